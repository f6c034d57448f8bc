"""Development: the embedded default a newcomer gets from ``make run``."""

from .base import *  # noqa: F403
from .base import SECRET_KEY, env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed, clearly-marked key so sessions survive restarts on a laptop.
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production-clearsky"
# Serve files straight from site/static while developing (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
