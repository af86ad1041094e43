"""The least environment production settings start with: every required variable, sample values
(for tests that import ``mintkit.settings.production``), and a child process run with them."""

import os
import subprocess
import sys

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


def env_for_prod() -> dict[str, str]:
    """This process's environment with production settings and sample values of every
    required variable (for ``manage.py`` or ``python -c`` in a child process)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mintkit.settings.production",
        "SECRET_KEY": "x7#Lq!9vR2@mZp$4wT8&nB6^kJ3*hF1(dS5)gA0_eC-yU+iO=sample-key-for-tests",
        "DATABASE_URL": "sqlite:////tmp/mintkit-prod-check.sqlite3",
        "ALLOWED_HOSTS": "hub.example.com",
        "STRIPE_SECRET_KEY": "sk_test_sample",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_sample",
        "STRIPE_WEBHOOK_SECRET": "whsec_sample",
        "MINTKIT_SHARED_SECRET": "sample-shared-secret-sample-shared-secret",
        "MINTKIT_API_KEY": "sample-api-key",
    }


def python_in_production(
    code: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``python -c code`` in a child process under ``env`` (by default :func:`env_for_prod`)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env_for_prod() if env is None else env,
        capture_output=True,
        text=True,
        timeout=60,
    )
