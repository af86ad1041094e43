"""Users and business profiles.

The Profile is the owner of everything business-side: storefronts, subscriptions
and the MintKit Studio access record all point at it.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    """Users are identified by e-mail; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField("e-mail address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    def __str__(self):
        return self.email


class Profile(models.Model):
    """A business owner's profile: one per user, created with the user.

    Everything business-side (storefront, subscriptions, Studio access) points at the
    profile, so deleting it takes all of that with it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    business_name = models.CharField(max_length=120)
    contact_email = models.EmailField(
        "contact e-mail",
        blank=True,
        help_text="Where customers can reach you; leave empty to use your log-in e-mail.",
    )
    # Stored in E.164 (+447700900123); forms validate and normalise it.
    phone = models.CharField(max_length=32, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the hub trial began; copied from the TrialClaim ledger, never reset.
    trial_started_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["business_name"]

    def __str__(self):
        return self.business_name

    def clean(self):
        from django.core.exceptions import ValidationError

        from .phones import phone_normalise

        try:
            self.phone = phone_normalise(self.phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from exc

    @property
    def public_email(self) -> str:
        return self.contact_email or self.user.email


def email_digest(email: str) -> str:
    """SHA-256 of the normalised address: lower case, trimmed, without a "+tag"."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    return hashlib.sha256(f"{local}@{domain}".encode()).hexdigest()


class TrialClaim(models.Model):
    """An e-mail address that has had a hub trial, and when that trial started.

    Kept when the account is deleted (only a hash of the address is stored), so a
    re-created account or a changed address resumes the original trial instead of a new one.
    """

    email_sha256 = models.CharField(max_length=64, unique=True)
    trial_started_at = models.DateTimeField()
    # Set when an account with this address is deleted after having a subscription, so the
    # free first month of a paid plan is not granted again to a re-created account.
    has_subscribed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"trial claim {self.email_sha256[:12]}… from {self.trial_started_at:%Y-%m-%d}"
