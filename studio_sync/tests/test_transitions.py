"""Each entitlement change makes exactly one event, however many times the hub hears of it:
trial start (sign-up), trial end (time, through the periodic job), subscribing, a plan change
and a failed payment (through the emulator, the real SDK and signed webhooks), grace ending
and access coming back."""

import json
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from billing.entitlements import entitlement_for
from billing.models import Subscription
from studio_sync import services
from studio_sync.models import StudioEvent
from tests.stripe_fixtures import emulator_request

from .conftest import SECRET
from .verify_sample import verify_studio_webhook

pytestmark = pytest.mark.django_db

DAY = 86400


def reasons():
    return list(StudioEvent.objects.order_by("sequence").values_list("reason", flat=True))


def received(studio):
    """The events the Studio received, verified with the docs' sample, in order."""
    return [
        verify_studio_webhook(payload=body, header=headers["MintKit-Signature"], secret=SECRET)
        for headers, body in studio.requests
    ]


def test_sign_up_starts_the_trial_and_time_ends_it(studio, profile):
    assert reasons() == ["trial_started"]
    trial_end = profile.trial_started_at + timedelta(days=14)

    services.studio_sync_run(now=trial_end - timedelta(minutes=1))
    assert reasons() == ["trial_started"]  # still running

    for _ in range(3):  # any number of runs: one event
        services.studio_sync_run(now=trial_end + timedelta(minutes=1))
    assert reasons() == ["trial_started", "trial_ended"]
    ended = received(studio)[-1]
    assert ended["reason"] == "trial_ended" and ended["sequence"] == 2
    assert ended["entitlement"]["studio_access"] is False


def test_subscribing_through_checkout_and_webhooks_is_one_event(
    studio, profile, plans, pay, deliver, committed
):
    with committed():
        pay("pro")
        deliver()  # checkout.session.completed, subscription.created, invoice.paid…
        deliver()
    assert reasons() == ["trial_started", "subscribed"]
    event = received(studio)[-1]
    assert event["entitlement"]["source"] == "subscription"
    assert event["entitlement"]["plan"] == "pro"
    assert event["entitlement"]["subscription_status"] == "trialing"
    assert event["entitlement"] == entitlement_for(profile=profile).as_json()
    # The same webhooks again (Stripe retries) change nothing and tell nothing.
    with committed():
        for sent in list(deliver.sent):
            deliver.sent.discard(sent)
        deliver()
    assert reasons() == ["trial_started", "subscribed"]


def test_a_plan_change_is_one_event(settings, studio, profile, plans, deliver, committed, emu):
    settings.STRIPE_TRIAL_DAYS = 0
    client = Client()
    client.force_login(profile.user)
    with committed():
        response = client.post("/billing/checkout/basic/", {"interval": "month"})
        status, headers, _ = emulator_request(
            emu, "POST", response["Location"], {"card_number": "4242 4242 4242 4242"}
        )
        client.get(headers["Location"].removeprefix("http://testserver"))
        deliver()
    assert reasons() == ["trial_started", "subscribed"]
    with committed():
        client.post("/billing/checkout/pro/", {"interval": "month"})
        done = client.post("/billing/change/pro/", {"interval": "month"})
        assert done.status_code == 303
        deliver()
    assert reasons() == ["trial_started", "subscribed", "plan_changed"]
    assert received(studio)[-1]["entitlement"]["plan"] == "pro"


def test_failed_payment_grace_then_access_lost_then_restored(
    studio, profile, plans, pay, deliver, committed, emu, in_portal, settings
):
    profile.trial_started_at = timezone.now() - timedelta(days=20)
    profile.save()
    with committed():
        pay("pro", card="4000 0000 0000 0341")
        deliver()
    assert reasons() == ["trial_started", "subscribed"]

    with committed():
        emu.advance(seconds=31 * DAY)  # the free month ends; the first charge fails
        deliver()
    assert Subscription.objects.get().status == "past_due"
    assert reasons()[-1] == "grace_started" and len(reasons()) == 3
    assert received(studio)[-1]["entitlement"]["source"] == "grace"

    # No event arrives when grace ends: the periodic job notices, once.
    grace_over = timezone.now() + timedelta(days=settings.PAST_DUE_GRACE_DAYS, minutes=1)
    for _ in range(2):
        services.studio_sync_run(now=grace_over)
    assert reasons()[3:] == ["access_lost"]
    assert received(studio)[-1]["entitlement"]["studio_access"] is False

    with committed():
        in_portal("update_card", card_number="4242424242424242")
        deliver()
    assert reasons()[4:] == ["access_restored"]
    restored = received(studio)[-1]
    assert restored["entitlement"]["studio_access"] is True
    assert [event["sequence"] for event in received(studio)] == [1, 2, 3, 4, 5]
    assert len({event["id"] for event in received(studio)}) == 5


def test_existing_businesses_are_reported_once_when_the_url_is_first_set(
    settings, receiver, committed
):
    from tests.factories import ProfileFactory

    settings.MINTKIT_STUDIO_WEBHOOK_URL = None
    with committed():
        trialling = ProfileFactory()
        lapsed = ProfileFactory(trial_started_at=timezone.now() - timedelta(days=40))
    settings.MINTKIT_STUDIO_WEBHOOK_URL = receiver.url
    with committed():
        services.studio_sync_run()
        services.studio_sync_run()
    events = [json.loads(body) for _, body in receiver.requests]
    # The entitled business is reported; the lapsed one, unknown to the Studio, is not.
    assert [(e["reason"], e["external_id"]) for e in events] == [
        ("snapshot", trialling.mintkit_access.external_id)
    ]
    assert not StudioEvent.objects.filter(profile=lapsed).exists()


def test_deleting_the_account_tells_the_studio_access_is_gone(studio, profile, committed):
    from accounts.services import account_delete

    external_id = profile.mintkit_access.external_id
    with committed():
        account_delete(user=profile.user)
    event = StudioEvent.objects.get(reason="account_deleted")
    assert event.profile is None and event.status == "delivered"
    told = received(studio)[-1]
    assert told["external_id"] == external_id and told["sequence"] == 2
    assert told["entitlement"]["studio_access"] is False


def test_deleting_an_account_the_studio_never_heard_of_tells_nothing(settings, receiver, committed):
    from accounts.services import account_delete
    from tests.factories import ProfileFactory

    settings.MINTKIT_STUDIO_WEBHOOK_URL = receiver.url
    settings.HUB_TRIAL_REQUIRES_VERIFIED_EMAIL = True  # no access until verified: no event
    with committed():
        profile = ProfileFactory()
    with committed():
        account_delete(user=profile.user)
    assert not StudioEvent.objects.exists() and receiver.requests == []


def test_where_the_trial_needs_a_verified_address_it_starts_at_confirmation(
    settings, receiver, committed
):
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    from tests.factories import ProfileFactory

    settings.MINTKIT_STUDIO_WEBHOOK_URL = receiver.url
    settings.HUB_TRIAL_REQUIRES_VERIFIED_EMAIL = True
    with committed():
        profile = ProfileFactory()
    assert reasons() == []  # signed up, not yet confirmed: no access, nothing to tell
    with committed():
        address = EmailAddress.objects.create(
            user=profile.user, email=profile.user.email, verified=True, primary=True
        )
        email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert reasons() == ["trial_started"]
    assert json.loads(receiver.requests[0][1])["entitlement"]["source"] == "trial"


def test_beat_runs_the_job_every_minute_through_the_worker(studio, profile):
    from django.conf import settings

    from mintkit.celery import app

    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule["studio_sync.run"] == 60
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    assert {"studio_sync.run", "studio_sync.event_deliver"} <= set(app.tasks)
    StudioEvent.objects.update(status="retrying", next_attempt_at=timezone.now())
    app.tasks["studio_sync.run"].delay()
    assert StudioEvent.objects.get().status == "delivered"
    assert len(studio.requests) == 2  # the first delivery and this retry
