"""Settings for a developer's machine: base, with DEBUG on unless LOTRINH_DEBUG says otherwise."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool

DEBUG = env_bool("LOTRINH_DEBUG", True)
WHITENOISE_USE_FINDERS = DEBUG
