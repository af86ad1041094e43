from django.apps import AppConfig


class SalesConfig(AppConfig):
    name = "sales"
    verbose_name = "Studio sales"

    def ready(self) -> None:
        from . import stats_panel  # noqa: F401 - adds the sales panel to the storefront stats page
