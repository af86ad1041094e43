from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Project-wide operations that belong to no business app: health probes, ``doctor``."""

    name = "core"
    default_auto_field = "django.db.models.BigAutoField"
