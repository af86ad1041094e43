"""Refunds and disputes through the emulator's helpers and the real SDK: a full refund of the
current period ends its access, a dispute marks the subscription and tells the staff, a lost
dispute acts like a refund and a won one clears the mark."""

from django.core import mail
from django.test import Client
from django.utils import timezone

import pytest

from billing import stripe_client
from billing.entitlements import entitlement_for
from billing.models import StripeEvent, Subscription
from tests.factories import UserFactory
from tests.stripe_fixtures import emulator_request, post_event

pytestmark = pytest.mark.django_db

DAY = 86400


@pytest.fixture
def paying(plans, trial_over, pay, emu, deliver):
    """An owner whose hub trial is over, on Pro, past the free month: one paid renewal."""
    profile = trial_over
    pay("pro")
    emu.advance(seconds=31 * DAY)  # the free month ends; the renewal is charged
    deliver()
    sub = Subscription.objects.get()
    assert sub.status == "active"
    assert entitlement_for(profile=profile).source == "subscription"
    return profile


def charges(profile) -> list:
    """The owner's succeeded charges, newest first (through the SDK)."""
    customer = profile.stripe_customer.stripe_customer_id
    page = stripe_client.client().v1.charges.list(params={"customer": customer})
    return [c for c in page.data if c.status == "succeeded"]


def helper(emu, path: str, data: dict | None = None) -> dict:
    import json

    status, _, body = emulator_request(emu, "POST", f"{emu.url}{path}", data or {})
    assert status == 200, body
    return json.loads(body)


def studio_json(client) -> dict:
    return client.get("/api/v1/me/entitlement").json()


def test_full_refund_of_the_current_period_ends_its_access(paying, owner_client, emu, deliver):
    (charge,) = charges(paying)
    helper(emu, f"/_emulator/charges/{charge.id}/refund")
    deliver()
    sub = Subscription.objects.get()
    assert sub.refunded_period_end == sub.current_period_end
    ent = entitlement_for(profile=paying)
    assert (ent.studio_access, ent.source, ent.access_refunded) == (False, None, True)
    assert studio_json(owner_client)["studio_access"] is False
    assert owner_client.post("/studio/launch/").status_code == 403
    assert StripeEvent.objects.get(type="charge.refunded").outcome == "applied"


def test_partial_refund_changes_no_access(paying, emu, deliver):
    (charge,) = charges(paying)
    helper(emu, f"/_emulator/charges/{charge.id}/refund", {"amount": "100"})
    deliver()
    assert Subscription.objects.get().refunded_period_end is None
    assert entitlement_for(profile=paying).source == "subscription"
    assert StripeEvent.objects.get(type="charge.refunded").outcome == "ignored"


def test_refund_of_an_earlier_period_changes_no_access(paying, emu, deliver):
    emu.advance(seconds=31 * DAY)  # a second paid period
    deliver()
    older = charges(paying)[-1]
    helper(emu, f"/_emulator/charges/{older.id}/refund")
    deliver()
    assert entitlement_for(profile=paying).source == "subscription"


def test_access_returns_when_a_later_period_is_paid(paying, emu, deliver):
    (charge,) = charges(paying)
    helper(emu, f"/_emulator/charges/{charge.id}/refund")
    deliver()
    assert not entitlement_for(profile=paying).studio_access
    emu.advance(seconds=31 * DAY)  # Stripe renews and charges again
    deliver()
    ent = entitlement_for(profile=paying)
    assert (ent.studio_access, ent.source, ent.access_refunded) == (True, "subscription", False)


def test_a_refunded_period_gives_no_grace_either(paying):
    sub = Subscription.objects.get()
    sub.status = "past_due"
    sub.past_due_since = timezone.now()
    sub.refunded_period_end = sub.current_period_end
    sub.save()
    assert entitlement_for(profile=paying).studio_access is False
    sub.refunded_period_end = None
    sub.save()
    assert entitlement_for(profile=paying).source == "grace"


def test_dispute_marks_the_subscription_and_emails_the_staff_once(
    paying, emu, deliver, django_capture_on_commit_callbacks
):
    UserFactory(is_staff=True, email="staff@mintkit.test")
    UserFactory(is_staff=True, email="")  # no address: not e-mailed, no error
    UserFactory(is_staff=False, email="owner2@example.com")
    mail.outbox.clear()
    (charge,) = charges(paying)
    dispute = helper(emu, f"/_emulator/charges/{charge.id}/dispute")
    with django_capture_on_commit_callbacks(execute=True):
        deliver()
    sub = Subscription.objects.get()
    assert (sub.dispute_status, sub.stripe_dispute_id) == ("open", dispute["id"])
    assert sub.disputed_at is not None
    (message,) = mail.outbox
    assert message.to == ["staff@mintkit.test"]
    assert "disputed a payment of £19.00" in message.subject
    assert dispute["id"] in message.body and paying.user.email in message.body
    # Access is unchanged while the dispute is open.
    assert entitlement_for(profile=paying).source == "subscription"
    # The same event again (Stripe retries): no second e-mail.
    event = emu.events("charge.dispute.created")[-1]
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(Client(), event).status_code == 200
    assert len(mail.outbox) == 1


def _dispute_closed(paying, emu, deliver, outcome: str) -> Subscription:
    """The paying owner's charge disputed, then the dispute closed as ``outcome``."""
    (charge,) = charges(paying)
    dispute = helper(emu, f"/_emulator/charges/{charge.id}/dispute")
    deliver()
    helper(emu, f"/_emulator/disputes/{dispute['id']}/close", {"outcome": outcome})
    deliver()
    return Subscription.objects.get()


def test_a_won_dispute_clears_the_mark(paying, emu, deliver):
    sub = _dispute_closed(paying, emu, deliver, "won")
    assert (sub.dispute_status, sub.stripe_dispute_id, sub.disputed_at) == ("", "", None)
    assert entitlement_for(profile=paying).source == "subscription"


def test_a_lost_dispute_acts_like_a_refund(paying, emu, deliver):
    sub = _dispute_closed(paying, emu, deliver, "lost")
    assert sub.dispute_status == "lost"
    assert sub.refunded_period_end == sub.current_period_end
    assert entitlement_for(profile=paying).studio_access is False


def test_dispute_events_out_of_order_end_in_stripes_state(
    paying, emu, django_capture_on_commit_callbacks
):
    """``closed`` (lost) delivered before ``created``: the state is Stripe's, one e-mail."""
    UserFactory(is_staff=True, email="staff@mintkit.test")
    mail.outbox.clear()
    (charge,) = charges(paying)
    dispute = helper(emu, f"/_emulator/charges/{charge.id}/dispute")
    helper(emu, f"/_emulator/disputes/{dispute['id']}/close", {"outcome": "lost"})
    closed = emu.events("charge.dispute.closed")[-1]
    created = emu.events("charge.dispute.created")[-1]
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, closed).status_code == 200
        assert post_event(client, created).status_code == 200
    sub = Subscription.objects.get()
    assert sub.dispute_status == "lost" and not entitlement_for(profile=paying).studio_access
    assert len(mail.outbox) == 1


def test_admin_lists_and_filters_disputed_subscriptions(paying, emu, deliver):
    from billing.tests.factories import SubscriptionFactory

    SubscriptionFactory(  # a calm subscription the filter must leave out
        stripe_subscription_id="sub_calm", status="active", profile__business_name="Calm Co"
    )
    (charge,) = charges(paying)
    helper(emu, f"/_emulator/charges/{charge.id}/dispute")
    deliver()
    disputed = Subscription.objects.get(profile=paying)
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get("/admin/billing/subscription/?dispute_status=open").content.decode()
    # The list names businesses (the Stripe id is on each subscription's detail page).
    assert disputed.profile.business_name in page and "Calm Co" not in page
    everything = client.get("/admin/billing/subscription/").content.decode()
    assert "Dispute status" in everything or "dispute status" in everything.lower()


@pytest.mark.parametrize(
    ("event_type", "obj"),
    [
        ("charge.refunded", {"id": "ch_unknown", "object": "charge"}),
        ("charge.dispute.created", {"id": "dp_unknown", "object": "dispute"}),
        ("charge.dispute.closed", {"id": "dp_unknown", "object": "dispute"}),
    ],
)
def test_refund_and_dispute_events_for_objects_stripe_does_not_have_are_ignored(
    emu, event_type, obj
):
    event = {
        "id": f"evt_{event_type}",
        "object": "event",
        "type": event_type,
        "created": 1,
        "livemode": False,
        "api_version": stripe_client.API_VERSION,
        "data": {"object": obj},
    }
    assert post_event(Client(), event).status_code == 200
    assert StripeEvent.objects.get().outcome == "ignored"
