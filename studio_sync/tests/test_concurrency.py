"""Two processes noticing the same change at once (a webhook and the periodic job, say)
record one event: the per-business record is locked while comparing. PostgreSQL only
(SQLite serialises writers anyway)."""

from datetime import timedelta

from django.db import connection

import pytest

from studio_sync import services
from studio_sync.models import StudioEvent, StudioSyncState
from tests.concurrency import at_once
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_syncs_of_one_change_record_one_event(settings, receiver):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what is tested: PostgreSQL only")
    settings.MINTKIT_STUDIO_WEBHOOK_URL = receiver.url
    profile = ProfileFactory()  # committed: its own sync has run (trial_started)
    assert StudioEvent.objects.count() == 1
    later = profile.trial_started_at + timedelta(days=15)  # the trial is over
    at_once(4, lambda _: services.entitlement_sync(profile_id=profile.pk, now=later))
    assert list(StudioEvent.objects.order_by("sequence").values_list("reason", flat=True)) == [
        "trial_started",
        "trial_ended",
    ]
    assert StudioSyncState.objects.get().sequence == 2
