"""MintKit Studio: the record of an owner's visits."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile

from ..models import MintKitAccess

log = logging.getLogger(__name__)


def mintkit_access_record(*, profile: Profile, now: datetime | None = None) -> MintKitAccess:
    """Record a Studio visit: create the profile's access record on first use."""
    now = now or timezone.now()
    with transaction.atomic():
        access, created = MintKitAccess.objects.select_for_update().get_or_create(
            profile=profile,
            defaults={"first_access_at": now, "last_access_at": now, "access_count": 1},
        )
        if not created:
            access.first_access_at = access.first_access_at or now
            access.last_access_at = now
            access.access_count += 1
            access.save(update_fields=["first_access_at", "last_access_at", "access_count"])
    return access


def mintkit_external_id_for(*, profile: Profile) -> str:
    """The profile's id towards the Studio, issuing it (without recording a visit) if the
    owner has never opened the Studio; the Studio sees the same id at the first hand-off."""
    access, _ = MintKitAccess.objects.get_or_create(profile=profile)
    return access.external_id
