"""Plans, Stripe customers and subscriptions, received Stripe events and Studio access.

Stripe is the source of truth for subscriptions; these rows are the hub's copy, written only
through ``billing.services`` (webhooks, the success page and reconciliation).
"""

import secrets
from datetime import datetime

from django.db import models
from django.db.models import Q

from accounts.models import Profile


class SubscriptionPlan(models.Model):
    """A plan an owner can subscribe to; its Stripe Price is created by ``stripe_sync_plans``."""

    class Interval(models.TextChoices):
        MONTH = "month", "month"
        YEAR = "year", "year"

    name = models.CharField(max_length=60)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    features = models.TextField(blank=True, help_text="One feature per line.")
    amount = models.PositiveIntegerField(help_text="Price in minor units (pence): 900 = £9.")
    currency = models.CharField(max_length=3, default="gbp")
    interval = models.CharField(max_length=5, choices=Interval.choices, default=Interval.MONTH)
    stripe_product_id = models.CharField(max_length=255, blank=True)
    stripe_price_id = models.CharField(max_length=255, blank=True)
    stripe_price_id_yearly = models.CharField(
        max_length=255,
        blank=True,
        help_text="The yearly Stripe Price (10 × the monthly amount), made by stripe_setup.",
    )
    max_storefronts = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many storefronts a subscriber may have and publish (the hub trial: 1).",
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sort_order", "amount", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.currency = (self.currency or "").lower()

    @property
    def feature_list(self) -> list[str]:
        return [line.strip() for line in self.features.splitlines() if line.strip()]

    @property
    def monthly_amount(self) -> int:
        """The amount normalised to one month, in minor units."""
        return self.amount if self.interval == self.Interval.MONTH else round(self.amount / 12)


class StripeCustomer(models.Model):
    """The Stripe customer of a profile (created on its first checkout)."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="stripe_customer"
    )
    stripe_customer_id = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.stripe_customer_id


class Subscription(models.Model):
    """The hub's copy of a Stripe subscription. One ``is_current`` row per profile; older
    ones are kept as history."""

    class Status(models.TextChoices):
        INCOMPLETE = "incomplete", "incomplete"
        INCOMPLETE_EXPIRED = "incomplete_expired", "incomplete expired"
        TRIALING = "trialing", "trialing"
        ACTIVE = "active", "active"
        PAST_DUE = "past_due", "past due"
        CANCELED = "canceled", "canceled"
        UNPAID = "unpaid", "unpaid"
        PAUSED = "paused", "paused"

    class DisputeStatus(models.TextChoices):
        NONE = "", "none"
        OPEN = "open", "open"
        LOST = "lost", "lost"

    LIVE_STATUSES = (
        Status.TRIALING,
        Status.ACTIVE,
        Status.PAST_DUE,
        Status.UNPAID,
        Status.INCOMPLETE,
        Status.PAUSED,
    )

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="subscriptions")
    plan = models.ForeignKey(
        SubscriptionPlan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subscriptions",
    )
    stripe_customer_id = models.CharField(max_length=255)
    stripe_subscription_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    stripe_price_id = models.CharField(
        max_length=255, blank=True, help_text="The Stripe Price billed (monthly or yearly)."
    )
    is_current = models.BooleanField(default=True)
    trial_end = models.DateTimeField(null=True, blank=True)
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    cancel_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When Stripe will cancel it (set with or instead of cancel_at_period_end).",
    )
    past_due_since = models.DateTimeField(null=True, blank=True)
    # Refunds and disputes (billing/disputes.py; the rule is in billing/entitlements.py).
    refunded_period_end = models.DateTimeField(
        null=True,
        blank=True,
        help_text="End of a period whose payment was refunded in full (or lost in a "
        "dispute): no access from this subscription until a later period.",
    )
    dispute_status = models.CharField(
        max_length=10, choices=DisputeStatus.choices, default="", blank=True
    )
    stripe_dispute_id = models.CharField(max_length=255, blank=True)
    disputed_at = models.DateTimeField(null=True, blank=True)
    # A renewal waiting for the owner's 3-D Secure confirmation (billing/actions.py).
    action_required_invoice_id = models.CharField(max_length=255, blank=True)
    action_required_url = models.URLField(max_length=2000, blank=True)
    action_required_amount = models.PositiveIntegerField(null=True, blank=True)
    action_required_currency = models.CharField(max_length=3, blank=True)
    stripe_created = models.DateTimeField(help_text="When Stripe created the subscription.")
    latest_event_created = models.DateTimeField(
        null=True, blank=True, help_text="Stripe's `created` of the newest event applied."
    )
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-stripe_created"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(is_current=True),
                name="billing_one_current_subscription_per_profile",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.stripe_subscription_id} ({self.status})"

    @property
    def cancellation_scheduled(self) -> bool:
        """Set to end: "cancel at period end", or (newer API versions, flexible billing mode)
        only ``cancel_at`` with ``cancel_at_period_end`` false."""
        return self.cancel_at_period_end or self.cancel_at is not None

    @property
    def scheduled_end(self) -> datetime | None:
        """When a scheduled cancellation takes effect, or None."""
        if self.cancel_at is not None:
            return self.cancel_at
        return self.current_period_end if self.cancel_at_period_end else None


class StripeEvent(models.Model):
    """Every webhook event received, with what became of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "pending"
        APPLIED = "applied", "applied"
        IGNORED = "ignored", "ignored (not handled or not ours)"
        FAILED = "failed", "failed (Stripe will retry)"

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    stripe_created = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"

    @property
    def is_done(self) -> bool:
        return self.outcome in (self.Outcome.APPLIED, self.Outcome.IGNORED)


def new_external_id() -> str:
    return "mk_" + secrets.token_urlsafe(18)


class MintKitAccess(models.Model):
    """A profile's identity towards MintKit Studio and when it opened the Studio.

    The row (and so the ``external_id``) may exist before the first visit: the hub's
    entitlement events to the Studio (``studio_sync``) name the business from its sign-up on.
    Then the visit times are empty and ``access_count`` is 0.
    """

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="mintkit_access")
    external_id = models.CharField(
        max_length=40, unique=True, default=new_external_id, editable=False
    )
    first_access_at = models.DateTimeField(null=True, blank=True)
    last_access_at = models.DateTimeField(null=True, blank=True)
    access_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "MintKit access"
        verbose_name_plural = "MintKit access records"
        ordering = ["-last_access_at"]

    def __str__(self) -> str:
        return self.external_id
