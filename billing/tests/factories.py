from django.utils import timezone

import factory
from factory.django import DjangoModelFactory

from billing.models import (
    MintKitAccess,
    StripeCustomer,
    StripeEvent,
    Subscription,
    SubscriptionPlan,
)
from tests.factories import ProfileFactory


class SubscriptionPlanFactory(DjangoModelFactory):
    class Meta:
        model = SubscriptionPlan
        django_get_or_create = ("slug",)

    name = "Pro"
    slug = "pro"
    description = "Everything for a growing business."
    features = "MintKit Studio\nUnlimited gift cards\nTickets and vouchers"
    amount = 1900
    currency = "gbp"
    interval = "month"
    sort_order = 20


class StripeCustomerFactory(DjangoModelFactory):
    class Meta:
        model = StripeCustomer

    profile = factory.SubFactory(ProfileFactory)
    stripe_customer_id = factory.Sequence(lambda n: f"cus_test{n}")


class SubscriptionFactory(DjangoModelFactory):
    class Meta:
        model = Subscription

    profile = factory.SubFactory(ProfileFactory)
    plan = factory.SubFactory(SubscriptionPlanFactory)
    stripe_customer_id = factory.Sequence(lambda n: f"cus_sub{n}")
    stripe_subscription_id = factory.Sequence(lambda n: f"sub_test{n}")
    status = Subscription.Status.ACTIVE
    is_current = True
    current_period_start = factory.LazyFunction(timezone.now)
    current_period_end = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=30))
    stripe_created = factory.LazyFunction(timezone.now)


class MintKitAccessFactory(DjangoModelFactory):
    class Meta:
        model = MintKitAccess

    profile = factory.SubFactory(ProfileFactory)
    first_access_at = factory.LazyFunction(timezone.now)
    last_access_at = factory.LazyFunction(timezone.now)


class StripeEventFactory(DjangoModelFactory):
    """A webhook event as received (``payload`` empty unless given)."""

    class Meta:
        model = StripeEvent

    stripe_id = factory.Sequence(lambda n: f"evt_test{n}")
    type = "invoice.paid"
    payload = factory.LazyFunction(dict)
    stripe_created = "2026-01-01T00:00Z"
