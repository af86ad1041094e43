"""Production: every secret from the environment, DEBUG never on, HTTPS only.

Refuses to start (ImproperlyConfigured naming the variable) when a required
variable is missing.
"""

import dj_database_url

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required, env_str

DEBUG = False  # never read from the environment here

SECRET_KEY = env_required("SECRET_KEY")
env_required("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    env_required("ALLOWED_HOSTS")

STRIPE_SECRET_KEY = env_required("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env_required("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env_required("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")  # unset: Stripe's own API
MINTKIT_SHARED_SECRET = env_required("MINTKIT_SHARED_SECRET")
MINTKIT_API_KEY = env_required("MINTKIT_API_KEY")

# E-mail must be verified before the dashboard opens.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
HUB_TRIAL_REQUIRES_VERIFIED_EMAIL = True  # the hub trial needs a verified address

# --- Log-in hardening (issue 10): the platform's router is one proxy in front of us, so the
# client's IP is the last X-Forwarded-For entry (the one the router appended).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)

# Compressed, content-hashed static files served by WhiteNoise.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# HTTPS behind the platform's proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0]}")

# Operations (see base.py): JSON log lines on stdout for Heroku's log drains, and Sentry
# error reports when SENTRY_DSN is set (release = the deployed git SHA; PII off).
LOGGING["root"]["level"] = env_str("LOG_LEVEL", "INFO")  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    from mintkit.logging import release_get, sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        # Heroku: SOURCE_VERSION at build, HEROKU_SLUG_COMMIT with dyno metadata; else git.
        release=release_get(env_str("SOURCE_VERSION"), env_str("HEROKU_SLUG_COMMIT")),
        environment="production",
    )
