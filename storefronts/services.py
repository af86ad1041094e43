"""Writes: saving the editor, publishing, slug history and the visit counters."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.images import owner_image_delete, owner_image_save
from accounts.models import Profile

from .contact_source import storefronts_inheriting_from
from .forms import StorefrontEditor
from .heads import heads_changed
from .limits import StorefrontLimitReached, storefront_limit
from .models import (
    Offer,
    OfferDailyStat,
    Storefront,
    StorefrontDailyStat,
    StorefrontSlugHistory,
)
from .signals import published_send_on_commit
from .sources import VisitSource


@transaction.atomic
def storefront_save(*, editor: StorefrontEditor, profile: Profile) -> Storefront:
    """Save a validated editor: the storefront, its offers, hours and special dates.

    Every save bumps ``updated_at``, which versions the public page cache. A changed slug
    is kept in the history so its old URL redirects. Creating one past the plan's limit (two
    "build your storefront" submits at once) raises ``StorefrontLimitReached``.
    """
    storefront = editor.form.save(commit=False)
    storefront.profile = profile
    if not storefront.pk:  # the first one, from /dashboard/storefront/: still within the limit
        _profile_lock(profile)
        limit = storefront_limit(profile=profile)
        if Storefront.objects.filter(profile=profile).count() >= limit:
            raise StorefrontLimitReached(limit)
    if storefront.pk:
        old_slug = Storefront.objects.values_list("slug", flat=True).get(pk=storefront.pk)
        # The slug the database has now (another request may have renamed it since this
        # one loaded it): the one whose cached head the save retires (storefronts/heads.py).
        storefront.loaded_slug = old_slug
        if old_slug != storefront.slug:
            StorefrontSlugHistory.objects.filter(slug=storefront.slug).delete()
            StorefrontSlugHistory.objects.get_or_create(
                slug=old_slug, defaults={"storefront": storefront}
            )
    was_active = Storefront.objects.filter(pk=storefront.pk, is_active=True).exists()
    replaced = _apply_images(
        storefront=storefront, data=editor.form.cleaned_data, pending=editor.form.pending
    )
    storefront.save()
    published_send_on_commit(storefront=storefront, was_active=was_active)
    for image in replaced:
        owner_image_delete(image=image)
    # Unset any other main offer first, so moving it to another offer can't clash with
    # the one-primary-per-storefront constraint half-way through. (Unchanged rows are not
    # re-saved by the formset, so the chosen one is left alone.)
    primary = editor.offers.primary_form()
    others = Offer.objects.filter(storefront=storefront, is_primary=True)
    if primary is not None and primary.instance.pk:
        others = others.exclude(pk=primary.instance.pk)
    others.update(is_primary=False)
    for formset in (editor.offers, editor.hours, editor.special_dates):
        formset.instance = storefront
        formset.save()
    return storefront


def _apply_images(*, storefront: Storefront, data: dict, pending: dict) -> list:
    """Store new logo/cover uploads (or use ones kept from a refused submit, ``pending``);
    return the images they replace or the owner removed."""
    replaced = []
    for field in ("logo", "cover"):
        current = getattr(storefront, field)
        upload = data.get(f"{field}_upload")
        kept = pending.get(field)
        title = f"{storefront.name} {field}"
        if upload:
            setattr(storefront, field, owner_image_save(upload=upload, title=title))
            if kept is not None:  # kept from a refused submit, now replaced
                replaced.append(kept.image)
        elif kept is not None:
            kept.image.title = title[:255]
            kept.image.save(update_fields=["title"])
            setattr(storefront, field, kept.image)
        elif data.get(f"{field}_remove") and current is not None:
            setattr(storefront, field, None)
        else:
            continue
        if current is not None:
            replaced.append(current)
    return replaced


def _profile_lock(profile: Profile) -> None:
    """Hold the profile's row until the transaction ends, so two requests cannot both pass
    the storefront limit (PostgreSQL; SQLite serialises writes anyway)."""
    Profile.objects.select_for_update().filter(pk=profile.pk).first()


@transaction.atomic
def storefront_set_active(*, storefront: Storefront, active: bool) -> Storefront:
    """Publish (``active=True``) or unpublish a storefront.

    Publishing beyond the plan's limit (``limits.storefront_limit``: published storefronts
    count, hidden ones do not) raises ``StorefrontLimitReached`` and changes nothing.
    """
    was_active = Storefront.objects.filter(pk=storefront.pk, is_active=True).exists()
    if active and not was_active:
        _profile_lock(storefront.profile)
        limit = storefront_limit(profile=storefront.profile)
        published = Storefront.objects.filter(profile_id=storefront.profile_id, is_active=True)
        if published.exclude(pk=storefront.pk).count() >= limit:
            raise StorefrontLimitReached(limit)
    storefront.is_active = active
    if active:
        storefront.unpublished_by_plan_at = None
    storefront.save(update_fields=["is_active", "unpublished_by_plan_at", "updated_at"])
    published_send_on_commit(storefront=storefront, was_active=was_active)
    return storefront


@transaction.atomic
def storefront_create(*, profile: Profile, name: str, slug: str) -> Storefront:
    """A new, unpublished storefront with only its name and address; the rest is edited
    afterwards. Raises ``StorefrontLimitReached`` when the profile already has as many as
    its plan allows (hidden ones count: the limit is on storefronts, not on live ones)."""
    _profile_lock(profile)
    limit = storefront_limit(profile=profile)
    if Storefront.objects.filter(profile=profile).count() >= limit:
        raise StorefrontLimitReached(limit)
    return Storefront.objects.create(profile=profile, name=name, slug=slug, is_active=False)


@transaction.atomic
def storefronts_limit_enforce(*, profile: Profile, limit: int) -> list[Storefront]:
    """Unpublish the profile's published storefronts beyond ``limit``, newest first (the
    oldest ``limit`` stay live), and mark them so the owner is told. Never deletes one.
    Returns the storefronts it unpublished (empty when within the limit)."""
    _profile_lock(profile)
    published = list(
        Storefront.objects.filter(profile=profile, is_active=True).order_by("created_at", "pk")
    )
    extra = published[max(limit, 0) :]
    now = timezone.now()
    for storefront in extra:
        storefront.is_active = False
        storefront.unpublished_by_plan_at = now
        storefront.save(update_fields=["is_active", "unpublished_by_plan_at", "updated_at"])
    return extra


def storefronts_touch_for_profile(*, profile: Profile) -> int:
    """Bump ``updated_at`` of the profile's storefronts that show any of its contact details
    (e-mail, phone, logo: storefronts/contact_source.py), so their public pages, page parts
    and sitemap dates change with the profile. Returns how many were touched.

    Runs inside the caller's transaction: a rolled-back profile save touches nothing, and
    a request that reads the storefront before the commit caches under the old version,
    which the commit retires.
    """
    storefronts = storefronts_inheriting_from(profile=profile)
    if not storefronts:
        return 0
    ids = [s.pk for s in storefronts]
    touched = Storefront.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    # A queryset update sends no post_save: refresh the cached heads here.
    heads_changed(ids, slugs=[s.slug for s in storefronts])
    return touched


def _increment(model, *, lookup: dict, fields: tuple[str, ...]) -> None:
    """Add one to each of ``fields`` of the row matching ``lookup``, creating it if needed."""
    if model.objects.filter(**lookup).update(**{f: F(f) + 1 for f in fields}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**lookup, **dict.fromkeys(fields, 1))
    except IntegrityError:
        # Another request created today's row first; add to it instead.
        model.objects.filter(**lookup).update(**{f: F(f) + 1 for f in fields})


def storefront_view_record(
    *, storefront: Storefront, day: dt.date, source: VisitSource = VisitSource.DIRECT
) -> None:
    """One more view today, and one more from ``source`` (one UPDATE, as before)."""
    _increment(
        StorefrontDailyStat,
        lookup={"storefront": storefront, "date": day},
        fields=("views", f"{VisitSource(source).value}_views"),
    )


def offer_click_record(*, offer: Offer, day: dt.date) -> None:
    _increment(OfferDailyStat, lookup={"offer": offer, "date": day}, fields=("clicks",))
