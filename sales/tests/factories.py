import datetime as dt

import factory
from factory.django import DjangoModelFactory

from sales.models import StudioEvent
from tests.factories import ProfileFactory


class StudioEventFactory(DjangoModelFactory):
    """A gift-card sale of £25.00 the Studio reported (no storefront unless given)."""

    class Meta:
        model = StudioEvent

    event_id = factory.Sequence(lambda n: f"evt_sale{n}")
    profile = factory.SubFactory(ProfileFactory)
    type = StudioEvent.Type.SALE
    product_kind = StudioEvent.ProductKind.GIFT_CARD
    amount = 2500
    currency = "GBP"
    occurred_at = dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC)
