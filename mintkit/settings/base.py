"""Settings shared by every environment. No secrets and no DEBUG here.

Environment-specific modules (dev, test, production) import * from this one and
set SECRET_KEY, DEBUG and anything that differs.
"""

from pathlib import Path

import dj_database_url

from .csp import *  # noqa: F403 - CONTENT_SECURITY_POLICY, CSP_ADMIN_*
from .env import env_bool, env_int, env_list, env_str
from .operations import *  # noqa: F403 - LOGGING, CELERY_*

BASE_DIR = Path(__file__).resolve().parent.parent.parent

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Ours
    "accounts",
    "home",
    "storefronts",
    "billing",
    "sales",
    "search",
    "notifications",
    "studio_sync",
    "core",
    "dashboard",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail_modeladmin",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # allauth
    "allauth",
    "allauth.account",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "mintkit.csp.SiteCSPMiddleware",  # Content-Security-Policy (the CSP block below)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "mintkit.urls"
WSGI_APPLICATION = "mintkit.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Every form field renders through templates/components/field.html (mintkit/forms.py).
FORM_RENDERER = "mintkit.forms.SiteFormRenderer"

# Database: any dj-database-url URL; SQLite for a fresh clone.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, otherwise local memory.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",  # one Redis client per pool (core/cache.py)
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "mintkit",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "mintkit",
        }
    }

# Auth: our own user model, e-mail as the login, through django-allauth.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory in every environment (dev too): with "optional" verification allauth cannot hide
# whether an address has an account (sign-up and e-mail change would say so); see below.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}

# --- Log-in hardening (issue 10) -------------------------------------------------------------
# One log-in path for everyone: allauth's. The log-in URLs of the Wagtail admin, the Django
# admin and Wagtail's private pages (/admin/login/, /django-admin/login/, /_util/login/) take no
# password: they send visitors on to allauth's log-in with their `next`, and answer 403 to
# someone signed in but not allowed in (mintkit/admin_login.py). The Wagtail admin is pointed at
# its own (redirecting) URL rather than straight at allauth's, which would send a signed-in owner
# back and forth between /admin/ and /accounts/login/ for ever.
WAGTAILADMIN_LOGIN_URL = "/admin/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/_util/login/"
# Passwords and e-mail addresses are changed and reset through allauth only (rate limits,
# verification, EmailAddress rows kept in step), not through Wagtail's account pages.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Rate limits are keyed on the client's IP: with N proxies of ours in front (Heroku's router is
# one), the Nth address from the right of X-Forwarded-For; 0 trusts no header and uses the
# socket's address. Production defaults to 1. The counters live in the default cache (Redis when
# REDIS_URL is set), so every web process shares them.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
# ---------------------------------------------------------------------------------------------

# Internationalisation
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# The hub's wording for django-allauth's strings (locale/make_overrides.py).
LOCALE_PATHS = [BASE_DIR / "locale"]

# Static and media
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "core.staticbundles.BundleFinder",
]
# Several static files served as one (core/staticbundles.py): the public storefront's one
# stylesheet per theme (storefronts.models.Theme), and every theme for the editor's preview.
STOREFRONT_THEMES = ("classic", "bold", "minimal", "warm")
STATIC_BUNDLES = {
    **{
        f"css/storefront-page-{theme}.css": [
            "vendor/bootstrap/bootstrap.min.css",
            "css/storefront.css",
            "css/storefront-public.css",
            f"css/themes/{theme}.css",
        ]
        for theme in STOREFRONT_THEMES
    },
    "css/storefront-themes.css": [f"css/themes/{theme}.css" for theme in STOREFRONT_THEMES],
}
STATIC_BUNDLE_ROOT = BASE_DIR / ".static-bundles"
MEDIA_URL = "/media/"
MEDIA_ROOT = BASE_DIR / "media"

AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible media; django-storages reads the other AWS_S3_* variables itself.
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "region_name": env_str("AWS_S3_REGION_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN"),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

# Serve media from this app when it lives on local disk (a single server with a persistent
# disk); on platforms with an ephemeral disk (Heroku) set AWS_STORAGE_BUCKET_NAME instead.
SERVE_MEDIA = env_bool("SERVE_MEDIA", not AWS_STORAGE_BUCKET_NAME)

STORAGES = {
    "default": _media_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Uploads: refuse anything over 5 MB before it reaches a form.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# E-mail (console in dev, locmem in tests, SMTP in production when EMAIL_HOST is set)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "MintKit Hub <hello@mintkit.co.uk>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

MESSAGE_TAGS = {40: "danger"}  # Bootstrap's name for Django's ERROR level

# Wagtail
WAGTAIL_SITE_NAME = "MintKit Hub"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000

# Billing and the MintKit Studio hand-off (names from CONTRACT.md)
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "sk_test_emulator")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "pk_test_emulator")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "whsec_emulator")
STRIPE_API_BASE = env_str("STRIPE_API_BASE")
MINTKIT_STUDIO_URL = env_str("MINTKIT_STUDIO_URL", "https://studio.mintkit.co.uk")
MINTKIT_SHARED_SECRET = env_str("MINTKIT_SHARED_SECRET", "dev-only-mintkit-shared-secret")
MINTKIT_API_KEY = env_str("MINTKIT_API_KEY", "dev-only-mintkit-api-key")
# Where the hub POSTs entitlement-change events, signed with MINTKIT_SHARED_SECRET
# (studio_sync/; docs/STRIPE_MINTKIT_INTEGRATION.md). Unset: no outbound events.
MINTKIT_STUDIO_WEBHOOK_URL = env_str("MINTKIT_STUDIO_WEBHOOK_URL")
HUB_TRIAL_DAYS = env_int("HUB_TRIAL_DAYS", 14)
STRIPE_TRIAL_DAYS = env_int("STRIPE_TRIAL_DAYS", 30)
PAST_DUE_GRACE_DAYS = env_int("PAST_DUE_GRACE_DAYS", 7)

# Operations: request ids, logs and error reports (mintkit/middleware.py, mintkit/logging.py).
# Every request gets an X-Request-ID (the router's when sane, else a new one), echoed in the
# response and carried by every log line written while it runs; one access-log line per
# request (logger "mintkit.request"). All records go through one stdout handler that masks
# secrets, card numbers and e-mail addresses. Development and tests keep readable console
# lines; production switches the handler to one JSON object per line (production.py), where
# Sentry is also set up when SENTRY_DSN is set.
MIDDLEWARE = ["mintkit.middleware.RequestIdMiddleware", *MIDDLEWARE]
if REDIS_URL:
    # A Redis that stops answering fails fast (2 s) instead of hanging every request, and
    # /healthz?deep=1 says so. Heroku Redis's rediss:// URL has a self-signed certificate.
    CACHES["default"]["OPTIONS"] = {
        "socket_connect_timeout": 2,
        "socket_timeout": 2,
        **({"ssl_cert_reqs": None} if REDIS_URL.startswith("rediss://") else {}),
    }
# LOGGING: mintkit/settings/operations.py.

# Content-Security-Policy (django-csp 4), enforced in every environment, and the admin's
# relaxed policy: mintkit/settings/csp.py (docs/DEPLOYMENT.md, "Security headers").

# Background worker (Celery 5, Redis as the broker): mintkit/settings/operations.py.

# ---------------------------------------------------------------------------
# App-specific settings. Each app keeps its own block below.
# ---------------------------------------------------------------------------

# accounts
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "MintKit Hub: "
ACCOUNT_EMAIL_CONFIRMATION_AUTHENTICATED_REDIRECT_URL = "/dashboard/"
ACCOUNT_CHANGE_EMAIL = True  # one address per account; changing it replaces the old one

# storefronts: the public page's cached parts share PAGE_CACHE_SECONDS (below).

# Public page cache (core/pagecache.py; docs/PERFORMANCE.md, "Public page cache").
# Anonymous visitors get whole pages (home, pricing, help, storefronts) from CACHES'
# default; keys are versioned, so PAGE_CACHE_SECONDS only bounds memory. Browsers keep a
# page MAX_AGE seconds without asking: 0, so every revisit asks again with its ETag and
# gets a 304 unless the page changed (with 60 a visitor kept seeing an unpublished
# storefront for a minute). A CDN keeps it S_MAXAGE seconds (it cannot be told of an edit:
# that is how long it may lag). Only these query parameters may ride along on a cached
# URL (tracking tags); any other query string bypasses the cache.
PAGE_CACHE_ENABLED = True
PAGE_CACHE_SECONDS = 6 * 60 * 60
PAGE_CACHE_MAX_AGE = 0
PAGE_CACHE_S_MAXAGE = 300
# The deployed commit (Heroku sets SOURCE_VERSION at build, HEROKU_SLUG_COMMIT with dyno
# metadata): pages a release stored are never served by the next (core/pagecache.py, with
# the static manifest's hash).
PAGE_CACHE_RELEASE = env_str("SOURCE_VERSION") or env_str("HEROKU_SLUG_COMMIT") or ""
# Last: it needs the user and messages, and answers Wagtail page hits before routing.
MIDDLEWARE += ["core.pagecache.WagtailPageCacheMiddleware"]
PAGE_CACHE_IGNORED_QUERY_PARAMS = frozenset(
    {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "fbclid", "gclid"}
    # ?src=qr: the storefront QR code's mark; the visit's source is counted before the cache
    # is asked (storefronts/public_views.py), and the cache key never holds the query string.
    | {"src"}
)

# sales: POST /api/v1/studio/events, requests per client address per minute (429 beyond).
STUDIO_EVENTS_RATE_LIMIT = (env_int("STUDIO_EVENTS_RATE_LIMIT_PER_MINUTE", 600), 60)

# billing
# Production sets this True (allauth's verified e-mail gates the hub trial there).
HUB_TRIAL_REQUIRES_VERIFIED_EMAIL = env_bool("HUB_TRIAL_REQUIRES_VERIFIED_EMAIL", False)
STRIPE_TIMEOUT_SECONDS = env_int("STRIPE_TIMEOUT_SECONDS", 20)
STRIPE_MAX_NETWORK_RETRIES = env_int("STRIPE_MAX_NETWORK_RETRIES", 2)

# home / search
