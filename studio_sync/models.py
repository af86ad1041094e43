"""What the hub has told MintKit Studio about each business, and each event it sends.

``StudioSyncState`` holds, per business, the entitlement last recorded for the Studio: a new
event is recorded only when the current entitlement differs from it (under the row's lock),
so the same change never makes two events. ``StudioEvent`` is one outbound event: its body is
fixed when it is recorded and sent byte for byte, under the same id, until the Studio answers
2xx (or the attempts run out).
"""

from django.db import models

from accounts.models import Profile


class StudioSyncState(models.Model):
    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="studio_sync_state"
    )
    entitlement = models.JSONField(
        null=True, blank=True, help_text="The entitlement JSON last recorded for the Studio."
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="How many events have been recorded for this business."
    )
    recheck_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text="When time passing may change the entitlement (a trial or grace ends).",
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Studio sync state"

    def __str__(self):
        return f"Studio sync state of {self.profile_id}"


class StudioEvent(models.Model):
    """One entitlement event for the Studio, with the record of every delivery attempt."""

    class Reason(models.TextChoices):
        TRIAL_STARTED = "trial_started", "Trial started"
        TRIAL_ENDED = "trial_ended", "Trial ended"
        SUBSCRIBED = "subscribed", "Subscribed"
        PLAN_CHANGED = "plan_changed", "Plan changed"
        GRACE_STARTED = "grace_started", "Payment failed: grace started"
        ACCESS_LOST = "access_lost", "Access lost"
        ACCESS_RESTORED = "access_restored", "Access restored"
        SUBSCRIPTION_ENDED = "subscription_ended", "Subscription ended (hub trial still runs)"
        CANCELLATION_SCHEDULED = "cancellation_scheduled", "Set to cancel at period end"
        CANCELLATION_WITHDRAWN = "cancellation_withdrawn", "Cancellation withdrawn"
        RENEWED = "renewed", "Renewed"
        UPDATED = "updated", "Other change"
        SNAPSHOT = "snapshot", "First report of an existing business"
        ACCOUNT_DELETED = "account_deleted", "Account deleted"

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        RETRYING = "retrying", "failed (will be retried)"
        DELIVERED = "delivered", "delivered"
        GAVE_UP = "gave_up", "gave up (retries exhausted)"

    event_id = models.CharField(max_length=40, unique=True, editable=False)
    # Kept when the business is deleted: the delivery record stays, the body names only the
    # Studio's id for the business.
    profile = models.ForeignKey(
        Profile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="studio_outbound_events",
    )
    external_id = models.CharField(max_length=40, db_index=True)
    type = models.CharField(max_length=40, default="entitlement.updated")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    sequence = models.PositiveIntegerField()
    body = models.TextField(help_text="The JSON sent, byte for byte, on every attempt.")
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempt_log = models.JSONField(
        default=list, blank=True, help_text="Every attempt: when, status code, error, next try."
    )

    class Meta:
        verbose_name = "Studio event"
        verbose_name_plural = "Studio events"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event_id} ({self.reason})"
