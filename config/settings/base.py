"""Settings for every deployment, read once from LOTRINH_* environment variables.

With no variables set this is a single-machine install: SQLite under the data directory, plain HTTP
on localhost, DEBUG off. Every key is documented in docs/configuration.md (a test checks that).
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.settings.env import (
    env_bool,
    env_hour,
    env_int,
    env_list,
    env_optional,
    env_share,
    env_str,
)

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
    "corsheaders",
    "axes",
    "csp",
    "mozilla_django_oidc",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before django_tasks_db: lotrinh.core's `db_worker` (which keeps the schedule) replaces its own.
    "lotrinh.core",
    "django_tasks",
    "django_tasks_db",
    "lotrinh.orgunits",
    "lotrinh.access",
    "lotrinh.indicators",
    "lotrinh.reporting",
    "lotrinh.reporting.importing",
    "lotrinh.extraction",
    "lotrinh.monitoring",
    "lotrinh.assessment",
    "lotrinh.ledger",
    "lotrinh.opendata",
    "lotrinh.workplan",
    "lotrinh.reviews",
    "lotrinh.dashboards",
    "lotrinh.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lotrinh.api.middleware.ApiErrorsAsJson",
    "lotrinh.core.middleware.RefuseNulCharacters",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "lotrinh.opendata.middleware.OpenDataMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lotrinh.access.middleware.SecondFactorRequired",
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
AXES_WHITELIST_CALLABLE = "lotrinh.access.oidc.carries_no_password"
# Reverse proxies in front of the server whose X-Forwarded-For entries are believed (0: none).
LOTRINH_TRUSTED_PROXIES = env_int("LOTRINH_TRUSTED_PROXIES", 0)

# Single sign-on with the province's OpenID Connect provider: on when a client id and the
# provider's endpoints are given (docs/configuration.md lists them; docs/security.md explains).
_OIDC_REQUIRED = {
    "OIDC_RP_CLIENT_ID": "LOTRINH_OIDC_CLIENT_ID",
    "OIDC_RP_CLIENT_SECRET": "LOTRINH_OIDC_CLIENT_SECRET",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "LOTRINH_OIDC_AUTHORIZATION_ENDPOINT",
    "OIDC_OP_TOKEN_ENDPOINT": "LOTRINH_OIDC_TOKEN_ENDPOINT",
    "OIDC_OP_USER_ENDPOINT": "LOTRINH_OIDC_USERINFO_ENDPOINT",
    "OIDC_OP_JWKS_ENDPOINT": "LOTRINH_OIDC_JWKS_ENDPOINT",
}
_oidc_given = {name: env_str(variable, "") for name, variable in _OIDC_REQUIRED.items()}
SSO_ENABLED = any(_oidc_given.values())
if SSO_ENABLED and not all(_oidc_given.values()):
    raise ImproperlyConfigured(
        "Single sign-on needs all of "
        + ", ".join(_OIDC_REQUIRED.values())
        + "; missing: "
        + ", ".join(_OIDC_REQUIRED[name] for name, value in _oidc_given.items() if not value)
    )
OIDC_RP_CLIENT_ID = _oidc_given["OIDC_RP_CLIENT_ID"]
OIDC_RP_CLIENT_SECRET = _oidc_given["OIDC_RP_CLIENT_SECRET"]
OIDC_OP_AUTHORIZATION_ENDPOINT = _oidc_given["OIDC_OP_AUTHORIZATION_ENDPOINT"]
OIDC_OP_TOKEN_ENDPOINT = _oidc_given["OIDC_OP_TOKEN_ENDPOINT"]
OIDC_OP_USER_ENDPOINT = _oidc_given["OIDC_OP_USER_ENDPOINT"]
OIDC_OP_JWKS_ENDPOINT = _oidc_given["OIDC_OP_JWKS_ENDPOINT"]
LOTRINH_OIDC_END_SESSION_ENDPOINT = env_str("LOTRINH_OIDC_END_SESSION_ENDPOINT", "")
# The provider's issuer (`issuer` of its discovery document). With it, the provider may end
# sessions here by posting logout tokens to /oidc/backchannel-logout/ (Back-Channel Logout 1.0).
LOTRINH_OIDC_ISSUER = env_str("LOTRINH_OIDC_ISSUER", "")
_end_session = urlsplit(LOTRINH_OIDC_END_SESSION_ENDPOINT)
_end_session_origin = (
    [f"{_end_session.scheme}://{_end_session.netloc}"] if LOTRINH_OIDC_END_SESSION_ENDPOINT else []
)
OIDC_RP_SIGN_ALGO = env_str("LOTRINH_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("LOTRINH_OIDC_SCOPES", "openid email profile")
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_STORE_ID_TOKEN = True  # sent back as id_token_hint when the user logs out
OIDC_TIMEOUT = env_int("LOTRINH_OIDC_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc-callback"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sso/refused/"
# How claims become a user's roles and units (JSON; docs/security.md), checked at start-up.
LOTRINH_OIDC_CLAIM_RULES = env_str("LOTRINH_OIDC_CLAIM_RULES", "")
# Whether the provider's own second factor is enough (true) or users who signed in through it
# also answer Lộ Trình's (false).
LOTRINH_OIDC_TRUST_PROVIDER_MFA = env_bool("LOTRINH_OIDC_TRUST_PROVIDER_MFA", True)
if SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("lotrinh.access.oidc.ProvinceOIDCBackend")

# A second factor (TOTP): anyone may enrol; with this on, staff, superusers and administrators
# of a unit must enrol before they can use any other page.
LOTRINH_REQUIRE_2FA_FOR_ADMINS = env_bool("LOTRINH_REQUIRE_2FA_FOR_ADMINS", False)
OTP_TOTP_ISSUER = env_str("LOTRINH_OTP_ISSUER", "Lộ Trình")
# Tasks' traffic light (docs/tasks.md): a task not done and due within this many days is at risk;
# a unit with this many overdue tasks is red.
LOTRINH_TASK_AT_RISK_DAYS = env_int("LOTRINH_TASK_AT_RISK_DAYS", 90)
LOTRINH_TASK_RED_OVERDUE = env_int("LOTRINH_TASK_RED_OVERDUE", 1)
# Four eyes for tasks' progress, as a regime's setting is for figures: who reported may not approve.
LOTRINH_TASK_APPROVER_MUST_DIFFER = env_bool("LOTRINH_TASK_APPROVER_MUST_DIFFER", True)
# The largest file of evidence a task's "done" may carry (PDF, PNG/JPEG, DOCX, XLSX).
LOTRINH_TASK_EVIDENCE_MAX_MB = env_int("LOTRINH_TASK_EVIDENCE_MAX_MB", 10)

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

# Caches. Without LOTRINH_REDIS_URL (one machine): "default" lives in each server process
# (dashboard bodies, keyed by the version of their data, so a worker never serves another's stale
# copy); "shared" is a directory all processes of the machine read, so a session ended in one worker
# (logout) is ended in all of them at once. With it, both are one Redis that every app server of
# the site reads, so several servers behind one address behave as one (docs/deployment.md).
REDIS_URL = env_str("LOTRINH_REDIS_URL", "")
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"lotrinh:{alias}",
        }
        for alias in ("default", "shared")
    }
else:
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
        # Logging out posts a form that the server redirects to the identity provider's end-session
        # address, which browsers allow only to the origins listed here.
        "form-action": [SELF, *_end_session_origin],
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
    "filters": {
        "client_errors_in_one_line": {"()": "lotrinh.core.logs.ClientErrorsInOneLine"},
        "not_found_is_routine": {"()": "lotrinh.core.logs.NotFoundIsRoutine"},
        "task_lines_only_when_verbose": {"()": "lotrinh.core.logs.TaskLinesOnlyWhenVerbose"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # A logger's filters apply only to its own records, so each logger that reports refused
    # requests with a traceback is named: a forged Host header is as routine as a 404.
    "loggers": {
        "django.request": {"filters": ["client_errors_in_one_line", "not_found_is_routine"]},
        "django.security.DisallowedHost": {"filters": ["client_errors_in_one_line"]},
        # The task worker's "started"/"succeeded" line per task (`db-worker -v 2` shows them).
        "django_tasks": {"filters": ["task_lines_only_when_verbose"]},
        "django.tasks": {"filters": ["task_lines_only_when_verbose"]},  # its name in Django 6
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
# Downloads with more rows than this are prepared by a background task (lotrinh.core.jobs); the
# task holds the user's heavy slot for at most LOTRINH_BACKGROUND_SECONDS, and the file is kept
# for its user for LOTRINH_BACKGROUND_KEEP_HOURS.
LOTRINH_BACKGROUND_ROWS = env_int("LOTRINH_BACKGROUND_ROWS", 5000)
# A document to extract from that is longer than this is read by a background task.
LOTRINH_BACKGROUND_CHARACTERS = env_int("LOTRINH_BACKGROUND_CHARACTERS", 100_000)
LOTRINH_BACKGROUND_SECONDS = env_int("LOTRINH_BACKGROUND_SECONDS", 900)
LOTRINH_BACKGROUND_KEEP_HOURS = env_int("LOTRINH_BACKGROUND_KEEP_HOURS", 24)

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# The ledger's Ed25519 signing key for tree heads (PEM, or base64 of the 32-byte seed). Without it
# a key derived from SECRET_KEY is used, with a warning; `check --deploy` refuses that.
LOTRINH_LEDGER_SIGNING_KEY = env_str("LOTRINH_LEDGER_SIGNING_KEY", "")
# After the ledger grows, a task worker signs a new tree head at most this many seconds after the
# previous one, so /ledger/sth.json is never older than this while entries are being added.
LOTRINH_LEDGER_STH_INTERVAL_SECONDS = env_int("LOTRINH_LEDGER_STH_INTERVAL_SECONDS", 300)

# Serving: `lotrinh serve` runs gunicorn with these.
LOTRINH_BIND = env_str("LOTRINH_BIND", "127.0.0.1:8000")
LOTRINH_WORKERS = env_int("LOTRINH_WORKERS", 2)
LOTRINH_THREADS = env_int("LOTRINH_THREADS", 2)

# Background tasks (django-tasks; docs/deployment.md). "database" keeps the queue in the site's
# database, run by `lotrinh db-worker` (or by the worker `lotrinh serve` embeds); "immediate" runs
# each task in the request that enqueues it (the test suite).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
LOTRINH_TASKS = env_str("LOTRINH_TASKS", "database")
if LOTRINH_TASKS not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"LOTRINH_TASKS must be one of {', '.join(TASK_BACKENDS)}, not {LOTRINH_TASKS!r}."
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[LOTRINH_TASKS]}}
# `lotrinh serve` starts one task worker beside the web server (one command for a pilot); turn it
# off where workers run as their own processes (`lotrinh db-worker`).
LOTRINH_EMBEDDED_WORKER = env_bool("LOTRINH_EMBEDDED_WORKER", True)
# How often a failed background task is tried again, waiting 10 s, 1 min, 5 min… in between.
LOTRINH_TASK_RETRIES = env_int("LOTRINH_TASK_RETRIES", 3)
# The task workers keep the product's timed jobs queued (lotrinh.core.schedule): reminders and
# digests daily at LOTRINH_REMINDER_HOUR, and at LOTRINH_HOUSEKEEPING_HOUR the removal of finished
# task results older than LOTRINH_TASK_RESULTS_KEEP_DAYS; expired prepared downloads hourly. Off
# for a deployment that runs the commands from cron instead. Hours are the site's (TIME_ZONE).
LOTRINH_SCHEDULE = env_bool("LOTRINH_SCHEDULE", True)
LOTRINH_REMINDER_HOUR = env_hour("LOTRINH_REMINDER_HOUR", 7)
LOTRINH_HOUSEKEEPING_HOUR = env_hour("LOTRINH_HOUSEKEEPING_HOUR", 2)
LOTRINH_TASK_RESULTS_KEEP_DAYS = env_int("LOTRINH_TASK_RESULTS_KEEP_DAYS", 14)

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

# The licence of the open data portal's datasets: "cc-by" (Creative Commons Attribution 4.0) or
# "vn-open-data" (the Vietnamese open-data terms of Decree 47/2020/NĐ-CP).
LOTRINH_OPEN_DATA_LICENCE = env_str("LOTRINH_OPEN_DATA_LICENCE", "cc-by")
# Requests one client may make to the open data's addresses per minute (429 beyond).
LOTRINH_OPEN_DATA_REQUESTS_PER_MINUTE = env_int("LOTRINH_OPEN_DATA_REQUESTS_PER_MINUTE", 1200)
# Any site may read the open data from a browser (GET only); nothing else is shared.
CORS_URLS_REGEX = (
    r"^/(?:en/)?(?:dataset/.*|api/3(?:/action/.*)?|api/action/.*|catalog\.\w+|data\.json"
    r"|sdmx/.*|datastore/dump/.*)$"
)
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# How long a server process trusts the version of the published data it last read: an approval
# shows in the open data within this many seconds (0: read it at every request).
LOTRINH_OPEN_DATA_FRESHNESS_SECONDS = env_int("LOTRINH_OPEN_DATA_FRESHNESS_SECONDS", 1)
# Each server process keeps the answers to anonymous requests of the open data's current version,
# at most this many and this many bytes in all (0 entries: keep none).
LOTRINH_OPEN_DATA_CACHE_ENTRIES = env_int("LOTRINH_OPEN_DATA_CACHE_ENTRIES", 1000)
LOTRINH_OPEN_DATA_CACHE_BYTES = env_int("LOTRINH_OPEN_DATA_CACHE_BYTES", 64 * 1024 * 1024)
# The address people write to about the open data (data.json's contact point). The default reaches
# nobody outside the server: `check --deploy` requires an address with a domain name.
LOTRINH_OPEN_DATA_EMAIL = env_str("LOTRINH_OPEN_DATA_EMAIL", "opendata@localhost")

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

# A folder holding LiberationSerif-{Regular,Bold,Italic,BoldItalic}.ttf (or another Times-compatible
# serif with Vietnamese letters) for review reports in PDF, when it is not in the system's fonts.
LOTRINH_SERIF_FONT_DIR = env_str("LOTRINH_SERIF_FONT_DIR", "")
