from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The owner's dashboard and data export: the one layer above the business apps, which
    reads from accounts, storefronts and billing so that none of them reads the others."""

    name = "dashboard"
    verbose_name = "Owner dashboard"
