"""Local development: DEBUG on, console e-mail, billing against the local Stripe emulator."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-secret-key-never-used-in-production")  # noqa: S105

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# `make run` starts `python -m stripe_emulator --port 12111` beside the dev server.
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "http://127.0.0.1:12111")

# SQLite (the `make run` default): writers queue for the lock instead of failing with
# "database is locked" when the checkout success page and Stripe's webhook arrive together.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
