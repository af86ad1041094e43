from django.apps import AppConfig


class StudioSyncConfig(AppConfig):
    name = "studio_sync"
    verbose_name = "Studio sync"

    def ready(self):
        from . import checks, receivers  # noqa: F401 - registers the checks and receivers
