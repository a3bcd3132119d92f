"""Settings for a developer's machine: base, with DEBUG on unless LOTRINH_DEBUG says otherwise, and
without an SMTP server e-mails (password reset links included) printed to the console."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool

DEBUG = env_bool("LOTRINH_DEBUG", True)
WHITENOISE_USE_FINDERS = DEBUG
if not EMAIL_HOST:  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    EMAIL_ENABLED = True
