"""Settings for the test suite: base, with fast password hashing and no secrets on disk."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_optional

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test provider's (oidc-provider-mock) ID tokens name no signing key; production checks it.
OIDC_VERIFY_KID = False
EMAIL_ENABLED = True  # pytest-django keeps every e-mail in django.core.mail.outbox
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if env_optional("LOTRINH_TASKS") is None:
    # Tasks run in the request that enqueues them, so each test sees their outcome deterministically.
    TASKS = {"default": {"BACKEND": TASK_BACKENDS["immediate"]}}  # noqa: F405
if env_optional("LOTRINH_SCHEDULE") is None:
    # No timed jobs queue themselves behind a test's back; the schedule's tests turn it on.
    LOTRINH_SCHEDULE = False
if env_optional("LOTRINH_DATA_DIR") is None and env_optional("LOTRINH_DATABASE_URL") is None:
    # pytest makes its own database; anything else the test settings run (the migrations check)
    # must not leave an empty SQLite file in the checkout's data directory.
    DATABASES["default"]["NAME"] = ":memory:"  # noqa: F405
if env_optional("LOTRINH_DATA_DIR") is None:
    # The test process keeps both caches in memory: parallel test runs (SQLite and PostgreSQL)
    # share the checkout's data directory and must not read each other's cache files. A server
    # started with its own data directory (the browser tests) shares them between its workers.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "shared",
        },
    }
# Tests change the published data and read it back at once.
LOTRINH_OPEN_DATA_FRESHNESS_SECONDS = 0
