"""Sales and redemptions MintKit Studio reports back to the hub (``POST /api/v1/studio/events``)."""

from django.db import models

from accounts.models import Profile
from storefronts.models import Storefront


class StudioEvent(models.Model):
    """One sale or redemption in the Studio, stored once under the Studio's own event id."""

    class Type(models.TextChoices):
        SALE = "sale", "Sale"
        REDEMPTION = "redemption", "Redemption"

    class ProductKind(models.TextChoices):
        GIFT_CARD = "gift_card", "Gift card"
        TICKET = "ticket", "Ticket"
        VOUCHER = "voucher", "Voucher"

    event_id = models.CharField(
        "Studio event id", max_length=100, unique=True, help_text="The Studio's id: one row each."
    )
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="studio_events")
    # Kept when the storefront goes: the sale happened all the same.
    storefront = models.ForeignKey(
        Storefront,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="studio_events",
    )
    type = models.CharField(max_length=12, choices=Type.choices)
    product_kind = models.CharField(max_length=12, choices=ProductKind.choices)
    amount = models.PositiveBigIntegerField(help_text="In the currency's minor unit (pence).")
    currency = models.CharField(max_length=3, help_text="ISO 4217, upper case.")
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Studio sale or redemption"
        verbose_name_plural = "Studio sales"
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["profile", "occurred_at"], name="studio_event_profile_time"),
            models.Index(fields=["storefront", "occurred_at"], name="studio_event_store_time"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.event_id}"
