"""Users and business profiles.

The Profile is the owner of everything business-side: storefronts, subscriptions
and the MintKit Studio access record all point at it.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from core.fields import optional_image


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
    logo = optional_image()
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


# How the address ledger (``TrialClaim``) tells addresses apart. Lower case everywhere;
# then, for providers that deliver them all to one mailbox:
# Google ignores dots in the local part and treats googlemail.com as gmail.com.
EMAIL_DOMAIN_ALIASES = {"googlemail.com": "gmail.com"}
EMAIL_DOTLESS_DOMAINS = frozenset({"gmail.com"})
# Providers that deliver "name+anything@" to "name@" (sub-addressing). Other domains keep
# their "+": on a company's own server "sales+eu@" may well be somebody else.
EMAIL_PLUS_TAG_DOMAINS = frozenset(
    {
        "gmail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "live.co.uk",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "proton.me",
        "protonmail.com",
        "protonmail.ch",
        "pm.me",
        "fastmail.com",
        "fastmail.fm",
        "yandex.com",
        "yandex.ru",
        "hey.com",
        "zoho.com",
    }
)


def email_normalise(email: str) -> str:
    """The address as its mailbox: lower case, trimmed, without what the provider ignores
    (see ``EMAIL_*_DOMAINS``). Only for telling addresses apart, never for sending."""
    local, _, domain = email.strip().lower().rpartition("@")
    domain = domain.rstrip(".")
    domain = EMAIL_DOMAIN_ALIASES.get(domain, domain)
    if domain in EMAIL_PLUS_TAG_DOMAINS:
        local = local.split("+", 1)[0]
    if domain in EMAIL_DOTLESS_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def _ledger_hmac(value: str, secret: str) -> str:
    return salted_hmac("accounts.TrialClaim", value, secret=secret, algorithm="sha256").hexdigest()


def _legacy_sha256(email: str) -> str:
    """The unkeyed digest rows had before migration 0004 (lower case, "+tag" cut anywhere)."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    return hashlib.sha256(f"{local}@{domain}".encode()).hexdigest()


def email_digest(email: str) -> str:
    """What the ledger stores for ``email``: an HMAC (keyed with ``SECRET_KEY``) of the
    normalised address, so a deleted account leaves no address anyone can read or guess."""
    return _ledger_hmac(email_normalise(email), settings.SECRET_KEY)


def email_digests(email: str) -> set[str]:
    """Every digest a ledger row for ``email`` may be stored under: keyed with the current
    ``SECRET_KEY`` or one in ``SECRET_KEY_FALLBACKS``, and rows re-keyed from the unkeyed
    digests of before migration 0004."""
    normalised, legacy = email_normalise(email), _legacy_sha256(email)
    digests = set()
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        digests.add(_ledger_hmac(normalised, secret))
        digests.add(_ledger_hmac(f"sha256:{legacy}", secret))
    return digests


class TrialClaim(models.Model):
    """An e-mail address that has had a hub trial (and when it started), and whether an
    account using it has had a subscription (and so its free first month).

    Only a keyed hash of the normalised address is stored, and rows outlive the account,
    so a re-created account, a changed address or a Gmail variant of it resumes the
    original trial and gets no second free month. ``profiles`` are the live accounts that
    have used the address (the link goes with the account): an account's old addresses
    are marked when it subscribes, not only the one it has then.
    """

    email_hmac = models.CharField(max_length=64, unique=True)
    trial_started_at = models.DateTimeField()
    subscribed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an account using this address first started a subscription.",
    )
    profiles = models.ManyToManyField(Profile, blank=True, related_name="address_claims")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"trial claim {self.email_hmac[:12]}… from {self.trial_started_at:%Y-%m-%d}"
