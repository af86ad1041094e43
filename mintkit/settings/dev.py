"""Local development: DEBUG on, console e-mail, billing against the local Stripe emulator."""

from .base import *  # noqa: F403
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-secret-key-never-used-in-production")  # noqa: S105

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# `make run` starts `python -m stripe_emulator --port 12111` beside the dev server.
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "http://127.0.0.1:12111")
