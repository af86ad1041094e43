from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Billing"

    def ready(self) -> None:
        from accounts.events import account_deleting, address_verified

        from .receivers import (
            account_deleting_cancel_subscriptions,
            address_verified_mark_subscribed,
        )

        account_deleting.connect(
            account_deleting_cancel_subscriptions,
            dispatch_uid="billing.account_deleting_cancel_subscriptions",
        )
        address_verified.connect(
            address_verified_mark_subscribed,
            dispatch_uid="billing.address_verified_mark_subscribed",
        )
