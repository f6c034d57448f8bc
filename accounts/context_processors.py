"""What the site's navigation needs to know about the signed-in user's roles."""

from django.utils.functional import SimpleLazyObject

from . import roles


def user_roles(request):
    """``user_roles.teacher`` / ``.reviewer`` / ``.volunteer_leader`` for templates, computed only when used."""

    def compute():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {}
        return {
            "teacher": roles.has_role(user, roles.TEACHER),
            "reviewer": roles.has_role(user, roles.SCHOOL_ADMIN) or roles.has_role(user, roles.DISTRICT_ADMIN),
        }

    return {"user_roles": SimpleLazyObject(compute)}
