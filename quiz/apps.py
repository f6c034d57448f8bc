from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = _("知识竞答")

    def ready(self):
        from . import bank_cache

        bank_cache.connect_signals()
