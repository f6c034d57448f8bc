from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "campaigns.pages"
    label = "pages"
    verbose_name = _("宣传页面")

    def ready(self):
        from . import signals

        signals.connect()
