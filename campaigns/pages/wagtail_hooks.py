from wagtail import hooks

from .challenge_chooser import challenge_chooser_viewset


@hooks.register("register_admin_viewset")
def register_challenge_chooser():
    return challenge_chooser_viewset
