"""Signals storefronts sends; receivers live in the apps that act on them."""

from django.db import transaction
from django.dispatch import Signal

# A storefront went from hidden (or new) to published. Sent after commit with
# ``storefront``. The first publication is what matters to receivers; they key on it.
storefront_published = Signal()


def published_send_on_commit(*, storefront, was_active: bool) -> None:
    if storefront.is_active and not was_active:
        transaction.on_commit(
            lambda: storefront_published.send(sender=type(storefront), storefront=storefront)
        )
