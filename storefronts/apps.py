from django.apps import AppConfig


class StorefrontsConfig(AppConfig):
    name = "storefronts"
    verbose_name = "Storefronts"

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers
