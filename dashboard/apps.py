from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The owner's dashboard and data export: the one layer above the business apps, which
    reads from accounts, storefronts and billing so that none of them reads the others.

    It also joins storefronts to billing: the plan's storefront limit and the reaction to a
    smaller plan (``dashboard/storefront_limits.py``)."""

    name = "dashboard"
    verbose_name = "Owner dashboard"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from billing.models import Subscription, SubscriptionPlan
        from storefronts.limits import storefront_limit_provider_set

        from .storefront_limits import plan_saved, storefront_limit_for, subscription_saved

        storefront_limit_provider_set(storefront_limit_for)
        post_save.connect(
            subscription_saved,
            sender=Subscription,
            dispatch_uid="dashboard.subscription_saved_fit_storefronts",
        )
        post_save.connect(
            plan_saved, sender=SubscriptionPlan, dispatch_uid="dashboard.plan_saved_fit_storefronts"
        )
