"""Storefront-editor POSTs the editor's page cannot produce: forged row ids, another
storefront's ids, missing or forged management forms. Each is a 400 with a message and
changes nothing; none is a 500."""

from django.forms.models import model_to_dict
from django.test import Client

import pytest

from storefronts.forms import TAMPERED_ROWS_MESSAGE
from storefronts.models import Offer, OpeningHours, SpecialDate, Storefront
from storefronts.tests.editor_data import EDIT, editor_data
from storefronts.tests.factories import (
    OfferFactory,
    OpeningHoursFactory,
    SpecialDateFactory,
    StorefrontFactory,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    """An owner whose storefront has one offer, one opening range and one special date,
    and another owner's storefront with the same."""
    profile = ProfileFactory()
    mine = StorefrontFactory(profile=profile, slug="mint-co", name="Mint & Co")
    other = StorefrontFactory(slug="someone-else")
    rows = {}
    for key, storefront in (("mine", mine), ("other", other)):
        rows[key] = {
            "offer": OfferFactory(storefront=storefront, title=f"{key} offer"),
            "hours": OpeningHoursFactory(storefront=storefront),
            "special": SpecialDateFactory(storefront=storefront),
        }
    client = Client(raise_request_exception=False)
    client.force_login(profile.user)
    return {"client": client, "mine": mine, "other": other, "rows": rows}


def snapshot():
    return [
        sorted((model_to_dict(obj) for obj in model.objects.all()), key=lambda d: d["id"])
        for model in (Storefront, Offer, OpeningHours, SpecialDate)
    ]


def valid_post(setup) -> dict:
    """What the owner's own page submits: the saved rows by id, renamed name and headline."""
    mine = setup["rows"]["mine"]
    hours, special = mine["hours"], mine["special"]
    return editor_data(
        name="Renamed",
        **{
            "offers-TOTAL_FORMS": "2",
            "offers-INITIAL_FORMS": "1",
            "offers-0-id": str(mine["offer"].pk),
            "offers-0-title": "Changed title",
            "offers-0-url": "https://studio.mintkit.co.uk/p/1",
            "hours-TOTAL_FORMS": "1",
            "hours-INITIAL_FORMS": "1",
            "hours-0-id": str(hours.pk),
            "hours-0-weekday": str(hours.weekday),
            "hours-0-opens": "08:00",
            "hours-0-closes": "18:00",
            "hours-1-weekday": None,
            "special-TOTAL_FORMS": "1",
            "special-INITIAL_FORMS": "1",
            "special-0-id": str(special.pk),
            "special-0-date": special.date.isoformat(),
            "special-0-closed": "on",
        },
    )


def test_the_pages_own_post_is_accepted(setup):
    # Guards the tampering tests: the same POST untouched saves.
    response = setup["client"].post(EDIT, valid_post(setup))
    assert response.status_code == 302
    assert Storefront.objects.get(pk=setup["mine"].pk).name == "Renamed"
    assert Offer.objects.get(pk=setup["rows"]["mine"]["offer"].pk).title == "Changed title"


def _other(setup, kind):
    return str(setup["rows"]["other"][kind].pk)


TAMPERINGS = {
    "offer id that does not exist": {"offers-0-id": "999999"},
    "another storefront's offer id": lambda s: {"offers-0-id": _other(s, "offer")},
    "another storefront's offer id on a new row": lambda s: {
        "offers-1-id": _other(s, "offer"),
        "offers-1-title": "Hijack",
        "offers-1-url": "https://studio.mintkit.co.uk/p/9",
    },
    "another storefront's offer deleted": lambda s: {
        "offers-0-id": _other(s, "offer"),
        "offers-0-DELETE": "on",
    },
    "another storefront's hours id": lambda s: {"hours-0-id": _other(s, "hours")},
    "another storefront's special date id": lambda s: {"special-0-id": _other(s, "special")},
    "non-numeric offer id": {"offers-0-id": "abc"},
    "negative offer id": {"offers-0-id": "-1"},
    "offer id with SQL": {"offers-0-id": "1 OR 1=1"},
    "huge offer id": {"offers-0-id": "9" * 40},
    "saved offer row without its id": {"offers-0-id": None},
    "more saved rows than exist": {"offers-INITIAL_FORMS": "2"},
    "more saved rows than rows": {"offers-INITIAL_FORMS": "5"},
    "management form missing": {"offers-TOTAL_FORMS": None, "offers-INITIAL_FORMS": None},
    "every management form missing": {
        key: None
        for key in (
            "offers-TOTAL_FORMS",
            "offers-INITIAL_FORMS",
            "hours-TOTAL_FORMS",
            "hours-INITIAL_FORMS",
            "special-TOTAL_FORMS",
            "special-INITIAL_FORMS",
        )
    },
    "TOTAL_FORMS huge": {"offers-TOTAL_FORMS": "100000000"},
    "TOTAL_FORMS beyond 64 bits": {"offers-TOTAL_FORMS": "9" * 30},
    "TOTAL_FORMS negative": {"offers-TOTAL_FORMS": "-5"},
    "INITIAL_FORMS negative": {"offers-INITIAL_FORMS": "-1"},
    "hours TOTAL_FORMS negative": {"hours-TOTAL_FORMS": "-1", "hours-INITIAL_FORMS": "-1"},
    "TOTAL_FORMS non-numeric": {"offers-TOTAL_FORMS": "two"},
    "TOTAL_FORMS a float": {"offers-TOTAL_FORMS": "1.5"},
    "INITIAL_FORMS non-numeric": {"special-INITIAL_FORMS": "x"},
    "TOTAL_FORMS empty": {"hours-TOTAL_FORMS": ""},
    "MIN/MAX forged": {"offers-MIN_NUM_FORMS": "abc", "offers-MAX_NUM_FORMS": "-1"},
    "inline parent forged": {"offers-0-storefront": "abc"},
    "inline parent set to another storefront": lambda s: {
        "offers-0-storefront": str(s["other"].pk)
    },
}


@pytest.mark.parametrize("name", list(TAMPERINGS))
def test_a_tampered_editor_post_is_a_400_and_changes_nothing(setup, name):
    tampering = TAMPERINGS[name]
    overrides = tampering(setup) if callable(tampering) else tampering
    data = {**valid_post(setup), **overrides}
    data = {k: v for k, v in data.items() if v is not None}
    before = snapshot()
    response = setup["client"].post(EDIT, data)
    assert response.status_code == 400, response.status_code
    assert snapshot() == before
    html = response.content.decode()
    assert 'id="editor-errors"' in html  # the owner is told something is wrong


@pytest.mark.parametrize(
    "name",
    [
        "offer id that does not exist",
        "another storefront's offer id",
        "another storefront's offer id on a new row",
        "another storefront's hours id",
        "TOTAL_FORMS negative",
        "more saved rows than exist",
    ],
)
def test_the_owner_is_told_to_reload(setup, name):
    tampering = TAMPERINGS[name]
    overrides = tampering(setup) if callable(tampering) else tampering
    response = setup["client"].post(EDIT, {**valid_post(setup), **overrides})
    assert TAMPERED_ROWS_MESSAGE.replace("'", "&#x27;") in response.content.decode()


@pytest.mark.parametrize("prefix, limit", [("offers", 30), ("hours", 50), ("special", 60)])
def test_a_huge_total_forms_builds_no_more_rows_than_the_limit(setup, prefix, limit):
    # Without a cap Django builds max_num + 1000 rows and renders them all: ~15 s a request.
    response = setup["client"].post(
        EDIT, {**valid_post(setup), f"{prefix}-TOTAL_FORMS": "100000000"}
    )
    assert response.status_code == 400
    editor = response.context["editor"]
    formset = {"offers": editor.offers, "hours": editor.hours, "special": editor.special_dates}
    assert len(formset[prefix].forms) <= limit
    assert f"Please submit at most {limit} forms." in response.content.decode()
