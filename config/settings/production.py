"""Settings for a production server: base, plus HTTPS-only cookies and headers.

LOTRINH_SECRET_KEY must be set; the server is expected to sit behind an HTTPS reverse proxy.
"""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.env import env_bool, env_int, env_optional

if not env_optional("LOTRINH_SECRET_KEY"):
    raise ImproperlyConfigured(
        "LOTRINH_SECRET_KEY must be set in production. To try Lộ Trình on this machine over plain "
        "HTTP, run `make run` (DJANGO_SETTINGS_MODULE=config.settings.base)."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("LOTRINH_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("LOTRINH_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
