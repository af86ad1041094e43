"""Test settings: fast hashing, in-memory mail, no network."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Each test run gets its own, throwaway media folder.
MEDIA_ROOT = BASE_DIR / ".test-media"

# Tests start the Stripe emulator themselves and point the SDK at it.
STRIPE_API_BASE = None
STRIPE_WEBHOOK_SECRET = "whsec_test"  # noqa: S105

# Rate limits would trip over the many logins a test suite makes; the tests of the limits
# (tests/test_login_hardening.py) turn them back on for themselves.
ACCOUNT_RATE_LIMITS = False
# Most tests sign up and go straight on; the tests of verification and of account enumeration
# use the dev and production modules' own value ("mandatory").
ACCOUNT_EMAIL_VERIFICATION = "optional"
WAGTAILADMIN_BASE_URL = "http://testserver"

# Serve static files straight from the source folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Tasks run eagerly in tests even where REDIS_URL is set; the worker test starts a real
# worker against its own broker (notifications/tests/test_worker.py).
CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = True
# SQLite's test database is a file (not in-memory) so that a worker subprocess can share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db.sqlite3")}  # noqa: F405
