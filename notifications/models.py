"""Lifecycle e-mails: one row per e-mail the hub means to send, and the owner's choices.

The unique constraint on (profile, kind, subject_key) is the "exactly once" rule: a webhook
delivered twice, two workers or a second run of the periodic job all collide on it.
"""

from django.db import models

from accounts.models import Profile


class EmailKind(models.TextChoices):
    WELCOME = "welcome", "Welcome (after e-mail confirmed)"
    HUB_TRIAL_3_DAYS = "hub_trial_3_days", "Hub trial ends in 3 days"
    HUB_TRIAL_LAST_DAY = "hub_trial_last_day", "Hub trial: last day"
    STRIPE_TRIAL_ENDING = "stripe_trial_ending", "Free month ends in 3 days"
    PAYMENT_FAILED = "payment_failed", "Payment failed"
    PAYMENT_ACTION_REQUIRED = "payment_action_required", "Payment needs confirmation"
    PAYMENT_RECOVERED = "payment_recovered", "Access restored"
    SUBSCRIPTION_ENDED = "subscription_ended", "Subscription ended"
    STOREFRONT_PUBLISHED = "storefront_published", "Storefront published"


# Non-essential e-mails the owner may turn off ("E-mail me about…"); the rest always go.
OPTIONAL_KINDS = {
    EmailKind.WELCOME: "product_tips",
    EmailKind.STOREFRONT_PUBLISHED: "storefront_news",
}


class LifecycleEmail(models.Model):
    """One e-mail to an owner about one thing (a subscription, an invoice, a trial…)."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed (will be retried)"
        GAVE_UP = "gave_up", "gave up (retries exhausted)"
        SKIPPED = "skipped", "skipped (owner opted out)"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="lifecycle_emails")
    kind = models.CharField(max_length=30, choices=EmailKind.choices)
    subject_key = models.CharField(
        max_length=120,
        help_text="What the e-mail is about: a subscription, invoice, storefront or trial.",
    )
    to_email = models.EmailField(blank=True)
    context = models.JSONField(default=dict, blank=True, help_text="Facts captured at trigger.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "e-mail sent"
        verbose_name_plural = "e-mails sent"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "kind", "subject_key"],
                name="notifications_email_once_per_subject",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.to_email or self.profile_id}"


class EmailPreferences(models.Model):
    """What an owner wants to hear about beyond billing and access (which always go)."""

    profile = models.OneToOneField(
        Profile, on_delete=models.CASCADE, related_name="email_preferences"
    )
    product_tips = models.BooleanField(
        "Getting started tips", default=True, help_text="A welcome e-mail with what to do first."
    )
    storefront_news = models.BooleanField(
        "My storefront going live",
        default=True,
        help_text="Its link and QR code when it is published for the first time.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "e-mail preferences"

    def __str__(self):
        return f"E-mail preferences of {self.profile}"
