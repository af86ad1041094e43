"""The Businesses list shows each business's plan and Studio access (billing.entitlements'
rule), filters by access, and costs the same number of queries for 3 rows or 30."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/accounts/profile/"
LONG_AGO = timedelta(days=90)


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="staff@example.com", password="x"))
    return client


@pytest.fixture
def businesses(settings):
    """One business in each access state."""
    settings.HUB_TRIAL_REQUIRES_VERIFIED_EMAIL = True
    now = timezone.now()
    trial = ProfileFactory(business_name="Trial Tearoom")
    EmailAddress.objects.create(user=trial.user, email=trial.user.email, verified=True)
    unverified = ProfileFactory(business_name="Unverified Upholstery")  # trial not allowed
    subscribed = ProfileFactory(business_name="Subscribed Salon", trial_started_at=now - LONG_AGO)
    SubscriptionFactory(profile=subscribed, plan=SubscriptionPlanFactory(slug="pro", name="Pro"))
    grace = ProfileFactory(business_name="Grace Garage", trial_started_at=now - LONG_AGO)
    SubscriptionFactory(
        profile=grace,
        plan=SubscriptionPlanFactory(slug="basic", name="Basic"),
        status="past_due",
        past_due_since=now - timedelta(days=2),
    )
    lapsed = ProfileFactory(business_name="Lapsed Launderette", trial_started_at=now - LONG_AGO)
    SubscriptionFactory(profile=lapsed, status="canceled", is_current=True)
    return {
        "trial": trial,
        "unverified": unverified,
        "subscribed": subscribed,
        "grace": grace,
        "lapsed": lapsed,
    }


def rows(html: str) -> dict[str, list[str]]:
    """Business name → the row's cell texts."""
    found = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", c).split())
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        if cells:
            found[cells[0].split(" Inspect")[0].split(" Edit")[0]] = cells
    return found


def test_list_shows_plan_and_access_state(staff_client, businesses):
    html = staff_client.get(INDEX).content.decode()
    assert '<th scope="col"' in html
    table = rows(html)
    assert "Pro" in table["Subscribed Salon"] and "Subscribed" in table["Subscribed Salon"]
    assert "Basic" in table["Grace Garage"]
    assert any(cell.startswith("Grace until ") for cell in table["Grace Garage"])
    assert any(cell.startswith("Trial until ") for cell in table["Trial Tearoom"])
    assert "No access" in table["Unverified Upholstery"]
    assert "No access" in table["Lapsed Launderette"]


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("trial", {"Trial Tearoom"}),
        ("subscribed", {"Subscribed Salon"}),
        ("grace", {"Grace Garage"}),
        ("none", {"Unverified Upholstery", "Lapsed Launderette"}),
    ],
)
def test_filter_by_access_state(staff_client, businesses, state, expected):
    html = staff_client.get(INDEX, {"access": state}).content.decode()
    names = {
        "Trial Tearoom",
        "Unverified Upholstery",
        "Subscribed Salon",
        "Grace Garage",
        "Lapsed Launderette",
    }
    shown = {name for name in names if name in html.replace("&amp;", "&")}
    assert shown == expected


def test_the_list_costs_the_same_queries_for_any_number_of_rows(
    staff_client, businesses, django_assert_max_num_queries
):
    def queries(params):
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(INDEX, params).status_code == 200
        return len(captured)

    few = {key: queries(params) for key, params in (("all", {}), ("grace", {"access": "grace"}))}
    now = timezone.now()
    for n in range(25):
        profile = ProfileFactory(trial_started_at=now - LONG_AGO)
        SubscriptionFactory(profile=profile, status="past_due", past_due_since=now)
        EmailAddress.objects.create(user=profile.user, email=profile.user.email, verified=True)
    with django_assert_max_num_queries(few["all"]):
        staff_client.get(INDEX)
    with django_assert_max_num_queries(few["grace"]):
        html = staff_client.get(INDEX, {"access": "grace"}).content.decode()
    assert html.count("Grace until ") == 26


def test_an_unknown_access_value_lists_everyone_rather_than_failing(staff_client, businesses):
    response = staff_client.get(INDEX, {"access": "<script>"})
    assert response.status_code == 200
    assert "Trial Tearoom" in response.content.decode()
    assert "Lapsed Launderette" in response.content.decode()
