"""Account writes: creating profiles, recording trial claims, deleting accounts."""

from django.db import transaction
from django.db.models import ForeignKey, Q
from django.db.models.deletion import Collector
from django.utils import timezone

from wagtail.images import get_image_model

from .events import account_deleting, address_verified
from .images import OWNER_COLLECTION_NAME, owner_image_delete
from .models import Profile, TrialClaim, User, email_digest, email_digests
from .selectors import user_addresses_owned, user_emails


def trial_claim_record(
    *, email: str, trial_started_at, profile: Profile | None = None, subscribed_at=None
) -> TrialClaim:
    """Remember that ``email`` has had a trial starting at ``trial_started_at`` (and, with
    ``subscribed_at``, a subscription from then), used by ``profile``'s account.

    The earliest start wins, so a claim can only ever move a trial's start back; likewise
    ``subscribed_at`` can only ever be set or moved back.
    """
    claim = (
        TrialClaim.objects.filter(email_hmac__in=email_digests(email))
        .order_by("trial_started_at", "pk")
        .first()
    )
    if claim is None:
        claim, _ = TrialClaim.objects.get_or_create(
            email_hmac=email_digest(email),
            defaults={"trial_started_at": trial_started_at, "subscribed_at": subscribed_at},
        )
    changed = []
    if trial_started_at < claim.trial_started_at:
        claim.trial_started_at = trial_started_at
        changed.append("trial_started_at")
    if subscribed_at is not None and (
        claim.subscribed_at is None or subscribed_at < claim.subscribed_at
    ):
        claim.subscribed_at = subscribed_at
        changed.append("subscribed_at")
    if changed:
        claim.save(update_fields=changed)
    if profile is not None:
        claim.profiles.add(profile)
    return claim


def profile_addresses_mark_subscribed(*, profile: Profile, subscribed_at) -> None:
    """Every address ``profile``'s account uses or has used has had its free first month
    from ``subscribed_at`` on (called when a subscription starts): changing the address,
    deleting the account and signing up again with the old one gets no second.

    Only addresses the owner has shown to be theirs count (the log-in address, verified
    ones): an address merely typed in and never confirmed may be a stranger's.
    """
    for email in user_addresses_owned(user=profile.user):
        trial_claim_record(
            email=email,
            trial_started_at=profile.trial_started_at,
            profile=profile,
            subscribed_at=subscribed_at,
        )
    TrialClaim.objects.filter(profiles=profile).filter(
        Q(subscribed_at__isnull=True) | Q(subscribed_at__gt=subscribed_at)
    ).update(subscribed_at=subscribed_at)


@transaction.atomic
def profile_create(*, user: User, business_name: str, now=None) -> Profile:
    """Create ``user``'s business profile and start (or resume) the hub trial.

    An address that has had a trial before resumes that trial's start date: deleting
    the account and signing up again never buys a new trial.
    """
    now = now or timezone.now()
    digests = set().union(*(email_digests(e) for e in user_emails(user=user)))
    earlier = (
        TrialClaim.objects.filter(email_hmac__in=digests)
        .order_by("trial_started_at")
        .values_list("trial_started_at", flat=True)
        .first()
    )
    started = min(earlier, now) if earlier else now
    profile = Profile.objects.create(
        user=user, business_name=business_name.strip(), trial_started_at=started
    )
    for email in user_emails(user=user):
        trial_claim_record(email=email, trial_started_at=started, profile=profile)
    return profile


def profile_email_added(*, user: User, email: str, verified: bool = False) -> None:
    """A new address on an account inherits the account's trial start (no fresh trial).
    Once ``verified`` it becomes one of the account's addresses: if the account has
    subscribed (now or later), the address has had its free first month too."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return
    if not verified:
        trial_claim_record(email=email, trial_started_at=profile.trial_started_at)
        return
    trial_claim_record(email=email, trial_started_at=profile.trial_started_at, profile=profile)
    # Billing marks the address as subscribed if the account has subscribed.
    address_verified.send(sender=Profile, profile=profile, email=email)


@transaction.atomic
def profile_update(*, profile: Profile, logo_upload=None, remove_logo: bool = False) -> Profile:
    """Save a validated profile form's instance, replacing or removing its logo."""
    from .images import owner_image_save

    old_logo = profile.logo if (logo_upload or remove_logo) else None
    if logo_upload:
        profile.logo = owner_image_save(upload=logo_upload, title=f"{profile.business_name} logo")
    elif remove_logo:
        profile.logo = None
    profile.save()
    if old_logo is not None:
        owner_image_delete(image=old_logo)
    return profile


def _owner_image_ids(user: User) -> set[int]:
    """Ids of the owner-upload images referenced by anything deleting ``user`` would delete.

    Works out what cascades (profile, storefront, offers, …) with Django's own deletion
    collector, so images added by other apps' models are found without naming them here.
    """
    image_model = get_image_model()
    collector = Collector(using=User.objects.db)
    collector.collect([user])
    image_ids: set[int] = set()

    def image_fields(model):
        return [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, ForeignKey) and f.related_model is image_model
        ]

    for model, instances in collector.data.items():
        for field in image_fields(model):
            image_ids.update(v for v in (getattr(obj, field.attname) for obj in instances) if v)
    for queryset in collector.fast_deletes:
        for field in image_fields(queryset.model):
            image_ids.update(v for v in queryset.values_list(field.attname, flat=True) if v)
    return set(
        image_model.objects.filter(
            pk__in=image_ids, collection__name=OWNER_COLLECTION_NAME
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete ``user``, their profile and everything it owns, including uploaded images.

    Live subscriptions are cancelled first; the storefront disappears with the profile in
    the same transaction, so it is offline the moment this returns. The trial ledger keeps
    (keyed hashes of) the addresses, so a new account with one of them gets no new trial
    and, if this one had subscribed, no second free month.
    """
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        # Billing cancels the live subscriptions and marks the addresses as subscribed;
        # its ``AccountDeletionBlocked`` (Stripe unreachable) rolls everything back.
        account_deleting.send(sender=Profile, profile=profile)
        for email in user_emails(user=user):
            trial_claim_record(email=email, trial_started_at=profile.trial_started_at)
    image_ids = _owner_image_ids(user)
    user.delete()
    for image in get_image_model().objects.filter(pk__in=image_ids):
        owner_image_delete(image=image)
