from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Site pages"

    def ready(self):
        from . import signals
        from .site_host import site_follow_configured_host_after_migrate

        signals.connect()
        post_migrate.connect(
            site_follow_configured_host_after_migrate,
            sender=self,
            dispatch_uid="home-site-follow-configured-host",
        )
