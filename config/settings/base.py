"""Settings for every deployment, read once from LOTRINH_* environment variables.

With no variables set this is a single-machine install: SQLite under the data directory, plain HTTP
on localhost, DEBUG off. Every key is documented in docs/configuration.md (a test checks that).
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from config.settings.env import env_bool, env_int, env_list, env_optional, env_share, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("LOTRINH_DATA_DIR", str(BASE_DIR / "var"))).resolve()


def _secret_key() -> str:
    """Use LOTRINH_SECRET_KEY, or a key generated once and kept in the data directory."""
    configured = env_optional("LOTRINH_SECRET_KEY")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        # Several workers may start at once on a fresh data directory: the key is written to a
        # private file first and linked into place, so nobody ever reads a half-written key, and
        # the first link wins (the others keep using it).
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        draft = DATA_DIR / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, key_file)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("LOTRINH_DEBUG", False)
ALLOWED_HOSTS = env_list("LOTRINH_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("LOTRINH_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "axes",
    "csp",
    "lotrinh.core",
    "lotrinh.orgunits",
    "lotrinh.access",
    "lotrinh.indicators",
    "lotrinh.reporting",
    "lotrinh.reporting.importing",
    "lotrinh.extraction",
    "lotrinh.monitoring",
    "lotrinh.assessment",
    "lotrinh.dashboards",
    "lotrinh.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lotrinh.core.middleware.RefuseNulCharacters",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lotrinh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "lotrinh.core.context_processors.language_links",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("LOTRINH_DATABASE_URL", f"sqlite:///{DATA_DIR / 'lotrinh.sqlite3'}"),
        conn_max_age=env_int("LOTRINH_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while a loader or a reporter writes; a busy timeout avoids
    # "database is locked" under a few concurrent writers.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out user name and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOTRINH_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOTRINH_LOGIN_LOCKOUT_MINUTES", 15))
# One user name from one address: a guesser is stopped without letting anyone lock others out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The banner axes prints at start-up would precede every `lotrinh` command's own output.
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "lotrinh.access.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "lotrinh.core.client.client_address"
# Reverse proxies in front of the server whose X-Forwarded-For entries are believed (0: none).
LOTRINH_TRUSTED_PROXIES = env_int("LOTRINH_TRUSTED_PROXIES", 0)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first; English available through the language switch.
LANGUAGE_CODE = env_str("LOTRINH_LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "lotrinh" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm at setup time and are served from this server: government
# networks are often closed, so nothing is fetched from a CDN when a page loads.
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/echarts-i18n", NODE_MODULES / "echarts" / "i18n"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"

# Caches. "default" lives in each server process (dashboard bodies, keyed by the version of their
# data, so a worker never serves another's stale copy); "shared" is a directory all processes of the
# machine read, so a session ended in one worker (logout) is ended in all of them at once.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    "shared": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
        "OPTIONS": {"MAX_ENTRIES": 10000},
    },
}
# Sessions are read from the shared cache and written to both it and the database: one query less
# on every signed-in request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "shared"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from this server (the templates have none inline). ECharts and htmx set inline
# styles, so styles alone may be inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# No page needs the browser's sensors, camera, microphone or payment features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_in_one_line": {"()": "lotrinh.core.logs.ClientErrorsInOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A logger's filters apply only to its own records, so each logger that reports refused
    # requests with a traceback is named: a forged Host header is as routine as a 404.
    "loggers": {
        "django.request": {"filters": ["client_errors_in_one_line"]},
        "django.security.DisallowedHost": {"filters": ["client_errors_in_one_line"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOTRINH_LOG_LEVEL", "INFO")},
}

# The target review form posts about 11 fields per proposed target; allow long resolutions.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
# A pasted resolution of LOTRINH_EXTRACTION_MAX_CHARACTERS Vietnamese characters takes up to
# 9 bytes each once form-encoded; anything larger is refused before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# Bounds on the work of one request (docs/configuration.md): each is checked before the costly
# step it protects, and each refusal names the limit and what to do.
LOTRINH_EXTRACTION_MAX_CHARACTERS = env_int("LOTRINH_EXTRACTION_MAX_CHARACTERS", 300_000)
LOTRINH_EXTRACTION_MAX_CANDIDATES = env_int("LOTRINH_EXTRACTION_MAX_CANDIDATES", 200)
LOTRINH_EXTRACTION_SECONDS = env_int("LOTRINH_EXTRACTION_SECONDS", 15)
LOTRINH_EXTRACTION_MAX_TXT_MB = env_int("LOTRINH_EXTRACTION_MAX_TXT_MB", 2)
LOTRINH_EXTRACTION_MAX_DOCX_MB = env_int("LOTRINH_EXTRACTION_MAX_DOCX_MB", 20)
LOTRINH_EXTRACTION_MAX_PDF_MB = env_int("LOTRINH_EXTRACTION_MAX_PDF_MB", 20)
LOTRINH_IMPORT_MAX_MB = env_int("LOTRINH_IMPORT_MAX_MB", 20)
LOTRINH_IMPORT_MAX_ISSUES_LISTED = env_int("LOTRINH_IMPORT_MAX_ISSUES_LISTED", 200)
LOTRINH_HEAVY_REQUESTS_PER_USER = env_int("LOTRINH_HEAVY_REQUESTS_PER_USER", 1)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# Serving: `lotrinh serve` runs gunicorn with these.
LOTRINH_BIND = env_str("LOTRINH_BIND", "127.0.0.1:8000")
LOTRINH_WORKERS = env_int("LOTRINH_WORKERS", 2)
LOTRINH_THREADS = env_int("LOTRINH_THREADS", 2)

FORMAT_MODULE_PATH = ["config.formats"]
USE_THOUSAND_SEPARATOR = True

# E-mail (reminders, password resets). Without LOTRINH_EMAIL_HOST no e-mail is sent: reminders
# stay in the app and the password reset page says to ask an administrator. Never printed to the
# log, since a reset e-mail holds a working link to someone's account.
EMAIL_HOST = env_str("LOTRINH_EMAIL_HOST", "")
EMAIL_PORT = env_int("LOTRINH_EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("LOTRINH_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("LOTRINH_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("LOTRINH_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("LOTRINH_EMAIL_FROM", "Lộ Trình <no-reply@localhost>")
EMAIL_ENABLED = bool(EMAIL_HOST)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_ENABLED
    else "django.core.mail.backends.dummy.EmailBackend"
)

# The site's public address (https://lotrinh.example.gov.vn), for full links in e-mails; without
# it e-mails name the page to open instead of linking to it.
LOTRINH_SITE_URL = env_str("LOTRINH_SITE_URL", "").rstrip("/")

# Reminders: how many days before a deadline to start, and how often to repeat after it.
LOTRINH_REMINDER_DAYS_BEFORE = env_int("LOTRINH_REMINDER_DAYS_BEFORE", 3)
LOTRINH_REMINDER_REPEAT_DAYS = env_int("LOTRINH_REMINDER_REPEAT_DAYS", 3)

# A period's aggregate over a territory counts for status, latest value and forecast only when this
# share of the units expected to report has approved reports (a regime may set its own).
LOTRINH_COMPLETENESS_THRESHOLD = env_share("LOTRINH_COMPLETENESS_THRESHOLD", 0.8)

# Optional official boundary files (GeoJSON, features with a 2-digit GSO `code` property) for true
# choropleth maps; without them maps are tile grids. A deployment supplies its own licensed files.
BOUNDARY_GEOJSON = {
    "2025": env_str("LOTRINH_BOUNDARY_GEOJSON_34", ""),
    "legacy": env_str("LOTRINH_BOUNDARY_GEOJSON_63", ""),
}
BOUNDARY_ATTRIBUTION = env_str("LOTRINH_BOUNDARY_ATTRIBUTION", "")
