"""The Wagtail admin views for plans, subscriptions, Stripe events and Studio access."""

import re

from django.contrib.auth.models import Permission
from django.test import Client

import pytest

from billing.models import Subscription
from billing.tests.factories import (
    StripeEventFactory,
    SubscriptionFactory,
    SubscriptionPlanFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/admin/billing"


@pytest.fixture
def editor_client(db):
    """Staff with Wagtail admin access and view rights, not a superuser."""
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_subscriptionplan"),
        Permission.objects.get(codename="change_subscriptionplan"),
    )
    client = Client()
    client.force_login(user)
    return client


def test_subscriptions_list_search_and_filter(admin_client, django_assert_max_num_queries):
    a = SubscriptionFactory(
        status="active", profile__user__email="ada@salon.test", profile__business_name="Ada Salon"
    )
    b = SubscriptionFactory(status="past_due", profile__business_name="Bea Barbers")
    for _ in range(5):
        SubscriptionFactory(status="canceled")
    with django_assert_max_num_queries(30):
        page = admin_client.get(f"{BASE}/subscription/")
    assert page.status_code == 200
    found = admin_client.get(f"{BASE}/subscription/?q=ada@salon").content.decode()
    assert "Ada Salon" in found and "Bea Barbers" not in found
    by_id = admin_client.get(f"{BASE}/subscription/?q={b.stripe_subscription_id}").content.decode()
    assert "Bea Barbers" in by_id and "Ada Salon" not in by_id
    filtered = admin_client.get(f"{BASE}/subscription/?status__exact=past_due").content.decode()
    assert "Bea Barbers" in filtered and "Ada Salon" not in filtered
    assert "Re-sync from Stripe" in page.content.decode()
    # read-only
    assert admin_client.get(f"{BASE}/subscription/edit/{a.pk}/").status_code in (302, 403)
    assert admin_client.get(f"{BASE}/subscription/create/").status_code in (302, 403)


def test_stripe_events_list_filters_by_type(admin_client):
    StripeEventFactory(stripe_id="evt_1", type="invoice.paid", outcome="applied")
    StripeEventFactory(stripe_id="evt_2", type="charge.refunded", outcome="ignored")
    page = admin_client.get(f"{BASE}/stripeevent/?type=invoice.paid").content.decode()
    assert "evt_1" in page and "evt_2" not in page
    assert admin_client.get(f"{BASE}/stripeevent/?q=evt_2").status_code == 200


def test_only_superusers_edit_plans(admin_client, editor_client):
    plan = SubscriptionPlanFactory()
    assert editor_client.get(f"{BASE}/subscriptionplan/").status_code == 200
    assert editor_client.get(f"{BASE}/subscriptionplan/edit/{plan.pk}/").status_code in (302, 403)
    assert admin_client.get(f"{BASE}/subscriptionplan/edit/{plan.pk}/").status_code == 200


def test_superuser_creates_plan_and_it_is_synced_to_stripe(admin_client, emu):
    response = admin_client.post(
        f"{BASE}/subscriptionplan/create/",
        {
            "name": "Studio",
            "slug": "studio",
            "description": "",
            "features": "A\nB",
            "amount": "2900",
            "currency": "gbp",
            "interval": "month",
            "max_storefronts": "2",
            "is_active": "on",
            "sort_order": "30",
        },
    )
    assert response.status_code == 302, response.content
    from billing.models import SubscriptionPlan

    plan = SubscriptionPlan.objects.get(slug="studio")
    assert plan.stripe_price_id.startswith("price_")
    assert emu.store.prices[plan.stripe_price_id]["unit_amount"] == 2900
    assert plan.max_storefronts == 2


def test_resync_action_fixes_drift(admin_client, plans, owner_client, pay, emu):
    pay("pro")
    sub = Subscription.objects.get()
    Subscription.objects.filter(pk=sub.pk).update(status="canceled")  # drift
    confirm = admin_client.get(f"{BASE}/subscription/resync/{sub.pk}/")
    assert confirm.status_code == 200 and sub.stripe_subscription_id in confirm.content.decode()
    done = admin_client.post(f"{BASE}/subscription/resync/{sub.pk}/", follow=True)
    assert "fixed drift" in done.content.decode()
    sub.refresh_from_db()
    assert sub.status == "trialing"


@pytest.mark.parametrize(
    ("path", "menu_label"),
    [
        ("mintkitaccess", "Studio access"),
        ("subscriptionplan", "Plans"),
        ("subscription", "Subscriptions"),
        ("stripeevent", "Stripe events"),
    ],
)
def test_index_pages_are_headed_like_their_menu_items(admin_client, path, menu_label):
    html = admin_client.get(f"{BASE}/{path}/").content.decode()
    h1 = re.search(r'<h1[^>]*id="header-title"[^>]*>(.*?)</h1>', html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", h1).split()) == menu_label
