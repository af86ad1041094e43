"""POST /api/v1/studio/events: every answer the contract names, and hostile bodies."""

import datetime as dt
import json

from django.db import connection
from django.test import Client
from django.utils import timezone

import pytest

from billing.tests.factories import MintKitAccessFactory
from sales.models import StudioEvent
from storefronts.tests.factories import StorefrontFactory
from tests.concurrency import at_once
from tests.factories import ProfileFactory

URL = "/api/v1/studio/events"
KEY = "k-studio-123"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def api_key(settings):
    settings.MINTKIT_API_KEY = KEY


@pytest.fixture
def access():
    return MintKitAccessFactory(profile=ProfileFactory(business_name="Mint & Co"))


def event(access, **changes):
    body = {
        "id": "evt_1",
        "external_id": access.external_id,
        "type": "sale",
        "product_kind": "gift_card",
        "amount": 2500,
        "currency": "GBP",
        "occurred_at": "2026-03-01T14:05:00+00:00",
    }
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def post(body, *, key=KEY, client=None, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key is not None else {}
    return (client or Client()).post(
        URL, data=data, content_type="application/json", **headers, **extra
    )


def test_a_new_event_is_201_and_stored_with_its_business_and_storefront(access):
    storefront = StorefrontFactory(profile=access.profile, slug="mint-salon")
    response = post(event(access, storefront="mint-salon", currency="gbp"))
    assert response.status_code == 201
    assert response.json() == {"id": "evt_1", "status": "created"}
    row = StudioEvent.objects.get()
    assert (row.profile, row.storefront, row.amount, row.currency) == (
        access.profile,
        storefront,
        2500,
        "GBP",
    )
    assert row.occurred_at == dt.datetime(2026, 3, 1, 14, 5, tzinfo=dt.UTC)


def test_the_same_id_again_is_200_and_changes_nothing(access):
    assert post(event(access)).status_code == 201
    again = post(event(access, amount=999999, type="redemption"))
    assert again.status_code == 200
    assert again.json() == {"id": "evt_1", "status": "duplicate"}
    row = StudioEvent.objects.get()
    assert (row.amount, row.type) == (2500, "sale")


def test_without_or_with_a_wrong_key_is_401_and_stores_nothing(access):
    for key in (None, "", "k-studio-124", f"{KEY}x"):
        response = post(event(access), key=key)
        assert response.status_code == 401, key
        assert response["WWW-Authenticate"].startswith("Bearer")
    response = Client().post(
        URL, json.dumps(event(access)), "application/json", HTTP_AUTHORIZATION=f"Basic {KEY}"
    )
    assert response.status_code == 401
    assert not StudioEvent.objects.exists()


def test_an_unset_api_key_refuses_everyone(access, settings):
    settings.MINTKIT_API_KEY = ""
    assert post(event(access), key="").status_code == 401


def test_an_unknown_external_id_is_404(access):
    response = post(event(access, external_id="mk_nobody"))
    assert response.status_code == 404
    assert response.json() == {"error": "unknown external id"}
    assert not StudioEvent.objects.exists()


def test_another_business_storefront_is_400_and_stores_nothing(access):
    StorefrontFactory(profile=ProfileFactory(), slug="someone-else")
    for slug in ("someone-else", "no-such-storefront"):
        response = post(event(access, storefront=slug))
        assert response.status_code == 400
        assert "storefront" in response.json()["error"]
    assert not StudioEvent.objects.exists()


LATER = (timezone.now() + dt.timedelta(days=2)).isoformat()


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": ...}, "'id' is required"),
        ({"id": 7}, "'id' must be a string"),
        ({"id": ""}, "'id' must be"),
        ({"id": "x" * 101}, "'id' must be"),
        ({"id": "evt 1<script>"}, "'id' must be"),
        ({"external_id": ...}, "'external_id' is required"),
        ({"external_id": ["mk"]}, "'external_id' must be a string"),
        ({"type": ...}, "'type' is required"),
        ({"type": "refund"}, "'type' must be one of: sale, redemption"),
        ({"type": ["sale"]}, "'type' must be one of"),
        ({"product_kind": "membership"}, "'product_kind' must be one of"),
        ({"amount": ...}, "'amount' is required"),
        ({"amount": "2500"}, "'amount' must be a whole number"),
        ({"amount": 25.5}, "'amount' must be a whole number"),
        ({"amount": 2500.0}, "'amount' must be a whole number"),
        ({"amount": True}, "'amount' must be a whole number"),
        ({"amount": -1}, "'amount' must be between"),
        ({"amount": 10**30}, "'amount' must be between"),
        ({"currency": ...}, "'currency' is required"),
        ({"currency": "£"}, "'currency' must be an ISO 4217 code"),
        ({"currency": "GBPX"}, "'currency' must be"),
        ({"occurred_at": ...}, "'occurred_at' is required"),
        ({"occurred_at": "yesterday"}, "'occurred_at' must be"),
        ({"occurred_at": "2026-03-01T14:05:00"}, "'occurred_at' must be"),  # no offset
        ({"occurred_at": "2026-02-30T14:05:00Z"}, "'occurred_at' must be"),
        ({"occurred_at": 1772373900}, "'occurred_at' must be"),
        ({"occurred_at": "2" * 5000}, "'occurred_at' must be"),
        ({"occurred_at": LATER}, "'occurred_at' is in the future"),
        ({"occurred_at": "9999-12-31T23:59:59-23:59"}, "'occurred_at' is in the future"),
        ({"occurred_at": "0001-01-01T00:00:00+01:00"}, "'occurred_at' is before 2000"),
        ({"occurred_at": "2026-03-01T14:05:00+25:00"}, "'occurred_at' must be"),
        ({"storefront": 12}, "'storefront' must be"),
        ({"storefront": "../../etc"}, "'storefront' must be"),
    ],
)
def test_a_broken_field_is_400_with_the_reason(access, changes, reason):
    response = post(event(access, **changes))
    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert not StudioEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not JSON"),
        (b"{", "not JSON"),
        (b"\xff\xfe\x00", "not JSON"),
        (b"[" * 100_000, "larger than"),
        (b"[" * 5000 + b"]" * 5000, "larger than"),
        (b"[1, 2]", "must be a JSON object"),
        (b'"sale"', "must be a JSON object"),
        (b"null", "must be a JSON object"),
        (b"[" * 3000, "not JSON"),
        (json.dumps({"id": "evt_1", "pad": "x" * 20_000}).encode(), "larger than"),
    ],
)
def test_a_broken_body_is_400_with_the_reason(body, reason):
    response = post(body)
    assert response.status_code == 400
    assert reason in response.json()["error"]


def test_a_huge_body_is_refused_before_it_is_read():
    response = post(b"{}", CONTENT_LENGTH="50000000")
    assert response.status_code == 400
    assert "larger than" in response.json()["error"]


def test_get_is_not_allowed():
    assert Client().get(URL, HTTP_AUTHORIZATION=f"Bearer {KEY}").status_code == 405


def test_csrf_is_not_asked_of_the_studio(access):
    client = Client(enforce_csrf_checks=True)
    assert post(event(access), client=client).status_code == 201


def test_unknown_keys_and_a_missing_storefront_are_fine(access):
    response = post(event(access, id="evt_extra", storefront=None, note="ignored", extra=[1]))
    assert response.status_code == 201
    assert StudioEvent.objects.get().storefront is None


def test_too_many_requests_from_one_address_is_429(access, settings):
    settings.STUDIO_EVENTS_RATE_LIMIT = (3, 60)
    statuses = [post(event(access, id=f"evt_{i}")).status_code for i in range(3)]
    assert statuses == [201, 201, 201]
    refused = post(event(access, id="evt_4"))
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert refused.json()["error"]
    # Wrong keys count too (guessing is slowed), and another address has its own allowance.
    assert post(event(access, id="evt_5"), key="guess").status_code == 429
    other = post(event(access, id="evt_6"), REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 201
    assert StudioEvent.objects.count() == 4


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's concurrent inserts"
)
@pytest.mark.django_db(transaction=True)
def test_the_same_id_delivered_concurrently_is_stored_once():
    access = MintKitAccessFactory(profile=ProfileFactory())
    body = event(access, id="evt_race")
    statuses = at_once(4, lambda _: post(body).status_code)
    assert sorted(statuses) == [200, 200, 200, 201]
    assert StudioEvent.objects.filter(event_id="evt_race").count() == 1
