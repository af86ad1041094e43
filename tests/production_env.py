"""The least environment production settings start with: every required variable, sample values
(for tests that import ``mintkit.settings.production``)."""

PRODUCTION_ENV = {
    "SECRET_KEY": "x",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
    "ALLOWED_HOSTS": "hub.example",
    "STRIPE_SECRET_KEY": "sk_test_x",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
    "MINTKIT_SHARED_SECRET": "s",
    "MINTKIT_API_KEY": "k",
}
