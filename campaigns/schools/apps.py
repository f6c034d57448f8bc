from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "campaigns.schools"
    label = "schools"
    verbose_name = _("学校与五个一")
