"""Account writes: creating profiles, recording trial claims, deleting accounts."""

from django.db import transaction
from django.db.models import ForeignKey
from django.db.models.deletion import Collector
from django.utils import timezone

from wagtail.images import get_image_model

from billing.selectors import profile_has_subscribed
from billing.services import profile_subscriptions_cancel

from .images import OWNER_COLLECTION_NAME, owner_image_delete
from .models import Profile, TrialClaim, User, email_digest
from .selectors import user_emails


def trial_claim_record(*, email: str, trial_started_at, has_subscribed: bool = False) -> TrialClaim:
    """Remember that ``email`` has had a trial starting at ``trial_started_at``.

    The earliest start wins, so a claim can only ever move a trial's start back; likewise
    ``has_subscribed`` can only ever be switched on.
    """
    digest = email_digest(email)
    claim, created = TrialClaim.objects.get_or_create(
        email_sha256=digest,
        defaults={"trial_started_at": trial_started_at, "has_subscribed": has_subscribed},
    )
    changed = []
    if not created and trial_started_at < claim.trial_started_at:
        claim.trial_started_at = trial_started_at
        changed.append("trial_started_at")
    if not created and has_subscribed and not claim.has_subscribed:
        claim.has_subscribed = True
        changed.append("has_subscribed")
    if changed:
        claim.save(update_fields=changed)
    return claim


@transaction.atomic
def profile_create(*, user: User, business_name: str, now=None) -> Profile:
    """Create ``user``'s business profile and start (or resume) the hub trial.

    An address that has had a trial before resumes that trial's start date: deleting
    the account and signing up again never buys a new trial.
    """
    now = now or timezone.now()
    digests = [email_digest(e) for e in user_emails(user=user)]
    earlier = (
        TrialClaim.objects.filter(email_sha256__in=digests)
        .order_by("trial_started_at")
        .values_list("trial_started_at", flat=True)
        .first()
    )
    started = min(earlier, now) if earlier else now
    profile = Profile.objects.create(
        user=user, business_name=business_name.strip(), trial_started_at=started
    )
    for email in user_emails(user=user):
        trial_claim_record(email=email, trial_started_at=started)
    return profile


def profile_email_added(*, user: User, email: str) -> None:
    """A new address on an account inherits the account's trial start (no fresh trial)."""
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        trial_claim_record(email=email, trial_started_at=profile.trial_started_at)


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
    (hashed) addresses so a new account with the same address gets no new trial.
    """
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        profile_subscriptions_cancel(profile=profile)
        subscribed = profile_has_subscribed(profile=profile)
        for email in user_emails(user=user):
            trial_claim_record(
                email=email, trial_started_at=profile.trial_started_at, has_subscribed=subscribed
            )
    image_ids = _owner_image_ids(user)
    user.delete()
    for image in get_image_model().objects.filter(pk__in=image_ids):
        owner_image_delete(image=image)
