"""Telling MintKit Studio when a business's entitlement changes.

Two halves:

* **Detect** (``entitlement_sync``): compute the business's entitlement with the one rule
  (``billing.entitlements.entitlement_for``) and compare it with what was last recorded for
  the Studio, under that record's row lock. A difference records one ``StudioEvent`` (a new
  id, the body fixed) and queues its delivery after commit. Called after every committed
  change of a subscription row and of a new profile (``receivers.py``), and by the periodic
  job for changes that come from time passing alone (a trial or grace period ending).
* **Deliver** (``event_deliver``): POST the event's body, signed (``signing.py``), to
  ``MINTKIT_STUDIO_WEBHOOK_URL``. Only a 2xx counts; a redirect is never followed; every
  attempt is written on the row. A failure is retried by the periodic job after the next
  delay in ``RETRY_DELAYS`` (1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours), always under
  the same event id, then the row gives up (staff can resend it from the admin).

With ``MINTKIT_STUDIO_WEBHOOK_URL`` unset nothing is recorded or queued.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

import requests

from accounts.models import Profile
from billing import services as billing_services
from billing.entitlements import (
    STALE_AFTER,
    entitlement_for,
    hub_trial_ends_at,
    past_due_grace_ends_at,
    subscription_paid_until,
)
from billing.selectors import subscription_current

from .changes import change_reason
from .models import StudioEvent, StudioSyncState
from .signing import SIGNATURE_HEADER, signature_header

log = logging.getLogger(__name__)

EVENT_TYPE = "entitlement.updated"
# Delay before each retry: attempt n failed -> wait RETRY_DELAYS[n - 1]; len + 1 attempts.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 60 * 60, 6 * 60 * 60)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 10
# An attempt in progress holds the row this long; a worker that died mid-attempt is retried
# after it.
ATTEMPT_LEASE = timedelta(minutes=2)
# Everything is looked at again at least daily, whatever the next known instant.
RECHECK_AT_LEAST_EVERY = timedelta(days=1)
USER_AGENT = "MintKitHub-Webhooks/1.0"


def studio_webhook_url() -> str | None:
    return settings.MINTKIT_STUDIO_WEBHOOK_URL or None


# -- detect ----------------------------------------------------------------------------------


def _recheck_at(*, profile: Profile, subscription, now: datetime) -> datetime:
    """The next instant at which time alone may change the entitlement (capped at a day)."""
    candidates = [hub_trial_ends_at(profile=profile)]
    if subscription is not None:
        paid_until = subscription_paid_until(subscription=subscription)
        candidates += [
            subscription.trial_end,
            subscription.current_period_end,
            subscription.scheduled_end,
            past_due_grace_ends_at(subscription=subscription),
            paid_until + STALE_AFTER if paid_until else None,
        ]
    future = [moment for moment in candidates if moment is not None and moment > now]
    return min([*future, now + RECHECK_AT_LEAST_EVERY])


def _event_record(
    *, profile: Profile, sequence: int, reason: str, entitlement: dict, now: datetime
) -> StudioEvent:
    """Store one event, its body fixed for every attempt, and queue it after commit."""
    external_id = billing_services.mintkit_external_id_for(profile=profile)
    event_id = "evt_" + secrets.token_hex(12)
    body = {
        "id": event_id,
        "object": "event",
        "type": EVENT_TYPE,
        "reason": reason,
        "created": int(now.timestamp()),
        "sequence": sequence,
        "external_id": external_id,
        "entitlement": entitlement,
    }
    event = StudioEvent.objects.create(
        event_id=event_id,
        profile=profile,
        external_id=external_id,
        type=EVENT_TYPE,
        reason=reason,
        sequence=sequence,
        body=json.dumps(body, separators=(",", ":")),
        created_at=now,
        next_attempt_at=now,
    )
    event_enqueue_on_commit(event=event)
    log.info("Studio event %s recorded: %s for profile %s", event_id, reason, profile.pk)
    return event


def entitlement_sync(
    *, profile_id: int, now: datetime | None = None, is_new_profile: bool = False
) -> StudioEvent | None:
    """Record an event if the business's entitlement differs from the one last recorded for
    the Studio; returns it (its delivery queued on commit), or None.

    The first look at a business records its state silently when it has no access (nothing
    to tell a Studio that never heard of it); with access, a new profile's first event is
    ``trial_started``, an existing business's ``snapshot``.
    """
    if not studio_webhook_url():
        return None
    now = now or timezone.now()
    with transaction.atomic():
        profile = Profile.objects.filter(pk=profile_id).first()
        if profile is None:
            return None  # deleted meanwhile
        state, _ = StudioSyncState.objects.get_or_create(profile=profile)
        state = StudioSyncState.objects.select_for_update().get(pk=state.pk)
        subscription = subscription_current(profile=profile)
        after = entitlement_for(profile=profile, now=now, subscription=subscription).as_json()
        state.recheck_at = _recheck_at(profile=profile, subscription=subscription, now=now)
        state.checked_at = now
        before = state.entitlement
        if before == after or (before is None and not after["studio_access"]):
            state.entitlement = after
            state.save(update_fields=["entitlement", "recheck_at", "checked_at"])
            return None
        if before is None and is_new_profile:
            reason = change_reason(before={"studio_access": False, "source": None}, after=after)
        else:
            reason = change_reason(before=before, after=after)
        state.entitlement = after
        state.sequence += 1
        state.save(update_fields=["entitlement", "sequence", "recheck_at", "checked_at"])
        return _event_record(
            profile=profile, sequence=state.sequence, reason=reason, entitlement=after, now=now
        )


# What a deleted business is entitled to (the contract's JSON with nothing in it).
NO_ENTITLEMENT = {
    "studio_access": False,
    "source": None,
    "subscription_status": None,
    "plan": None,
    "trial_ends_at": None,
    "current_period_end": None,
    "cancel_at_period_end": False,
}


def account_deleted_record(*, profile: Profile, now: datetime | None = None) -> StudioEvent | None:
    """The owner is deleting the account: tell a Studio that has heard of the business that
    it has no access any more (reason ``account_deleted``). Runs inside the deletion's
    transaction; the event row outlives the profile (its ``profile`` becomes empty)."""
    if not studio_webhook_url():
        return None
    now = now or timezone.now()
    state = StudioSyncState.objects.select_for_update().filter(profile=profile).first()
    if state is None or state.sequence == 0:
        return None  # the Studio never heard of this business
    state.sequence += 1
    state.save(update_fields=["sequence"])
    return _event_record(
        profile=profile,
        sequence=state.sequence,
        reason=StudioEvent.Reason.ACCOUNT_DELETED,
        entitlement=NO_ENTITLEMENT,
        now=now,
    )


def entitlement_sync_on_commit(*, profile_id: int, is_new_profile: bool = False) -> None:
    """After the current transaction commits, look at the business's entitlement again."""
    if not studio_webhook_url():
        return

    def run():
        try:
            entitlement_sync(profile_id=profile_id, is_new_profile=is_new_profile)
        except Exception:  # a committed billing change must not fail because of us
            log.exception("Studio entitlement sync failed for profile %s", profile_id)

    transaction.on_commit(run)


def event_enqueue_on_commit(*, event: StudioEvent) -> None:
    from .tasks import studio_event_deliver  # tasks import services

    event_pk = event.pk
    transaction.on_commit(lambda: studio_event_deliver.delay(event_pk=event_pk))


# -- deliver ---------------------------------------------------------------------------------


def retry_delay_seconds(*, attempts: int) -> int:
    """The wait after the ``attempts``-th failed attempt."""
    return RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]


def _timeouts() -> tuple[float, float]:
    # Tests shorten them through settings (not environment variables).
    return (
        getattr(settings, "STUDIO_WEBHOOK_CONNECT_TIMEOUT", CONNECT_TIMEOUT_SECONDS),
        getattr(settings, "STUDIO_WEBHOOK_READ_TIMEOUT", READ_TIMEOUT_SECONDS),
    )


def _post(*, url: str, event: StudioEvent) -> tuple[int | None, str]:
    """One POST of the event: (status code or None, error or "")."""
    body = event.body.encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "MintKit-Event-Id": event.event_id,
        SIGNATURE_HEADER: signature_header(
            body=body, secret=settings.MINTKIT_SHARED_SECRET, timestamp=timestamp
        ),
    }
    connect, read = _timeouts()
    try:
        # Redirects are never followed: the signed body goes to the configured URL only.
        with requests.post(
            url,
            data=body,
            headers=headers,
            timeout=(connect, read),
            allow_redirects=False,
            stream=True,
        ) as response:
            status = response.status_code
            if 200 <= status < 300:
                return status, ""
            if 300 <= status < 400:
                target = urlsplit(response.headers.get("Location", "")).netloc or "?"
                return status, f"redirect to {target} not followed"
            snippet = response.raw.read(200, decode_content=True).decode(errors="replace")
            return status, f"HTTP {status}: {snippet.strip()}"[:500]
    except requests.Timeout:
        return None, f"timed out (connect {connect:g} s, read {read:g} s)"
    except requests.RequestException as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500]


def event_deliver(*, event_pk: int, now: datetime | None = None) -> str:
    """Make one delivery attempt of a pending or retrying event whose time has come.

    The attempt first claims the row (a single conditional UPDATE: whoever moves
    ``next_attempt_at`` on owns the attempt), so duplicate queue messages, two workers or the
    periodic job never POST the same event twice at once. Returns the row's status, or
    "skipped" when there was nothing to do.
    """
    url = studio_webhook_url()
    if not url:
        return "skipped"
    now = now or timezone.now()
    claimed = StudioEvent.objects.filter(
        Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
        pk=event_pk,
        status__in=(StudioEvent.Status.PENDING, StudioEvent.Status.RETRYING),
    ).update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=now + ATTEMPT_LEASE)
    if not claimed:
        return "skipped"
    event = StudioEvent.objects.get(pk=event_pk)
    status_code, error = _post(url=url, event=event)
    finished = timezone.now() if now is None else now
    entry = {"at": now.isoformat(), "status_code": status_code, "error": error}
    event.last_status_code = status_code
    event.last_error = error
    if not error:
        event.status = StudioEvent.Status.DELIVERED
        event.delivered_at = finished
        event.next_attempt_at = None
    elif event.attempts >= MAX_ATTEMPTS:
        event.status = StudioEvent.Status.GAVE_UP
        event.next_attempt_at = None
        log.error(
            "Studio event %s: gave up after %s attempts: %s", event.event_id, event.attempts, error
        )
    else:
        event.status = StudioEvent.Status.RETRYING
        event.next_attempt_at = now + timedelta(
            seconds=retry_delay_seconds(attempts=event.attempts)
        )
        entry["next_attempt_at"] = event.next_attempt_at.isoformat()
        log.warning("Studio event %s: attempt %s failed: %s", event.event_id, event.attempts, error)
    event.attempt_log = [*event.attempt_log, entry]
    event.save(
        update_fields=[
            "status",
            "last_status_code",
            "last_error",
            "delivered_at",
            "next_attempt_at",
            "attempt_log",
        ]
    )
    return event.status


def event_resend(*, event: StudioEvent, now: datetime | None = None) -> None:
    """Deliver an event again (staff's "Resend"): the same id and body, a fresh round of
    attempts. A delivered event is sent once more too — the Studio drops repeats by id."""
    now = now or timezone.now()
    StudioEvent.objects.filter(pk=event.pk).update(
        status=StudioEvent.Status.PENDING, attempts=0, next_attempt_at=now
    )
    event_enqueue_on_commit(event=event)


# -- the periodic job ------------------------------------------------------------------------


def studio_sync_run(*, now: datetime | None = None, batch: int = 500) -> dict[str, int]:
    """The every-minute job (beat, or ``manage.py studio_sync``): look again at businesses
    whose entitlement may have changed by time passing (and at any never looked at), then
    queue the events whose next attempt is due. Any number of runs record each change once."""
    counts = {"checked": 0, "recorded": 0, "queued": 0}
    if not studio_webhook_url():
        return counts
    now = now or timezone.now()
    due = (
        Profile.objects.filter(
            Q(studio_sync_state__isnull=True) | Q(studio_sync_state__recheck_at__lte=now)
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:batch]
    )
    for profile_id in list(due):
        profile = Profile.objects.get(pk=profile_id)
        # A trialing/active row past its period: ask Stripe before calling access lost.
        billing_services.subscription_refresh_if_stale(profile=profile, now=now)
        counts["checked"] += 1
        counts["recorded"] += entitlement_sync(profile_id=profile_id, now=now) is not None
    for event_pk in events_due(now=now):
        from .tasks import studio_event_deliver

        studio_event_deliver.delay(event_pk=event_pk, now=now.isoformat())
        counts["queued"] += 1
    return counts


def events_due(*, now: datetime) -> list[int]:
    return list(
        StudioEvent.objects.filter(
            status__in=(StudioEvent.Status.PENDING, StudioEvent.Status.RETRYING),
            next_attempt_at__lte=now,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:500]
    )
