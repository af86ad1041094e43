from billing.tests.conftest import owner_client, pay, plans, profile  # noqa: F401 - shared
