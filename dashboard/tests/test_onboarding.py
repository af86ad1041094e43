"""The dashboard's onboarding checklist (confirm e-mail → profile → storefront → publish →
choose a plan → open Studio), its share panel and its wording (issue 16)."""

import re

from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from billing.models import MintKitAccess, Subscription
from billing.tests.factories import SubscriptionFactory
from dashboard.onboarding import onboarding_steps
from storefronts.models import StorefrontDailyStat
from storefronts.tests.factories import StorefrontFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

ORDER = ["email", "profile", "storefront", "publish", "plan", "studio"]


def steps_done(**facts):
    profile = facts.pop("profile", None) or ProfileFactory.build(phone="")
    args = {
        "email_confirmed": False,
        "profile": profile,
        "storefront": None,
        "subscription": None,
        "studio_opened": False,
        **facts,
    }
    return {step.key: step.done for step in onboarding_steps(**args)}


def test_steps_come_in_order_each_with_a_link():
    steps = onboarding_steps(
        email_confirmed=False,
        profile=ProfileFactory.build(phone=""),
        storefront=None,
        subscription=None,
        studio_opened=False,
    )
    assert [step.key for step in steps] == ORDER
    assert [step.url for step in steps] == [
        "/accounts/email/",
        "/dashboard/profile/",
        "/dashboard/storefront/",
        "/dashboard/storefront/#publish",
        "/pricing/",
        "/studio/",
    ]
    assert not any(step.done for step in steps)


def test_each_fact_ticks_its_own_step():
    assert steps_done(email_confirmed=True) == {k: k == "email" for k in ORDER}
    assert steps_done(profile=ProfileFactory.build(phone="+447700900123"))["profile"]
    draft = StorefrontFactory.build(is_active=False)
    assert steps_done(storefront=draft) == {k: k == "storefront" for k in ORDER}
    live = StorefrontFactory.build(is_active=True)
    assert steps_done(storefront=live)["publish"]
    assert steps_done(studio_opened=True)["studio"]


@pytest.mark.parametrize(
    "status, chosen",
    [
        (Subscription.Status.TRIALING, True),
        (Subscription.Status.ACTIVE, True),
        (Subscription.Status.PAST_DUE, True),
        (Subscription.Status.CANCELED, False),  # ended: choose a plan again
        (Subscription.Status.INCOMPLETE_EXPIRED, False),
    ],
)
def test_choosing_a_plan_means_a_live_subscription(status, chosen):
    assert steps_done(subscription=Subscription(status=status))["plan"] is chosen


@pytest.fixture
def owner(client):
    profile = ProfileFactory(business_name="Sunnyside", phone="")
    client.force_login(profile.user)
    return profile


def checklist(html):
    return dict(re.findall(r'data-step="(\w+)" data-done="(yes|no)"', html))


def test_a_new_owner_sees_every_step_to_do_with_links(client, owner):
    html = client.get("/dashboard/").content.decode()
    assert "Get set up" in html and "0 of 6 done" in html
    assert checklist(html) == dict.fromkeys(ORDER, "no")
    assert 'href="/dashboard/storefront/#publish">Publish your storefront</a>' in html
    assert 'href="/pricing/">Choose a plan</a>' in html


def test_the_checklist_follows_the_owner_and_disappears_when_all_is_done(client, owner):
    EmailAddress.objects.create(user=owner.user, email=owner.user.email, verified=True)
    owner.phone = "+447700900123"
    owner.save()
    StorefrontFactory(profile=owner, is_active=True)
    html = client.get("/dashboard/").content.decode()
    assert checklist(html) == {k: "yes" if k in ORDER[:4] else "no" for k in ORDER}
    assert "4 of 6 done" in html

    SubscriptionFactory(profile=owner, status=Subscription.Status.ACTIVE)
    now = timezone.now()
    MintKitAccess.objects.create(
        profile=owner, first_access_at=now, last_access_at=now, access_count=1
    )
    html = client.get("/dashboard/").content.decode()
    assert "Get set up" not in html and checklist(html) == {}


def test_an_unconfirmed_address_is_not_ticked(client, owner):
    EmailAddress.objects.create(user=owner.user, email=owner.user.email, verified=False)
    assert checklist(client.get("/dashboard/").content.decode())["email"] == "no"


def test_share_panel_has_the_public_link_copy_button_qr_and_posters(client, owner):
    storefront = StorefrontFactory(profile=owner, slug="sunnyside", is_active=True)
    html = client.get("/dashboard/").content.decode()
    panel = html[html.index('class="card mb-4 share-panel"') :]
    link = 'value="http://testserver/storefront/sunnyside/" readonly'
    assert f'id="share-url" type="text" {link}' in panel
    assert 'class="btn btn-success js-copy-link"' in panel and "hidden>Copy link<" in panel
    assert 'src="/dashboard/storefront/qr.svg"' in panel
    assert 'href="/dashboard/storefront/poster/">Print an A5 poster' in panel
    assert 'href="/dashboard/storefront/poster/?size=a4">Print an A4 poster' in panel
    assert re.search(r'<script src="/static/js/dashboard[.\w]*\.js" nonce="[^"]+"', html)
    assert "draft" not in panel
    storefront.is_active = False
    storefront.save()
    panel = client.get("/dashboard/").content.decode().split("share-panel", 1)[1]
    assert "Your storefront is a draft" in panel


def test_no_share_panel_before_there_is_a_storefront(client, owner):
    assert "share-panel" not in client.get("/dashboard/").content.decode()


def test_one_view_is_one_view_and_billing_has_one_label(client, owner):
    storefront = StorefrontFactory(profile=owner)
    StorefrontDailyStat.objects.create(storefront=storefront, date=timezone.localdate(), views=1)
    SubscriptionFactory(profile=owner, status=Subscription.Status.ACTIVE)
    html = client.get("/dashboard/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "1 view," in text and "1 views" not in text
    assert "0 offer clicks" in text
    portal_buttons = re.findall(
        r'action="/billing/portal/">.*?<button[^>]*>([^<]+)</button>', html, re.S
    )
    assert set(portal_buttons) <= {"Manage billing", "Invoices and receipts"}
    assert "Manage billing" in portal_buttons and "Manage subscription" not in html


def test_the_stats_range_carries_the_year_when_it_starts_last_year(client, owner, monkeypatch):
    import datetime as dt

    from storefronts import selectors

    StorefrontFactory(profile=owner)
    html = client.get("/dashboard/").content.decode()
    start = timezone.localdate() - dt.timedelta(days=29)
    shown = re.search(r'stats-range">([^<]+) – today', html).group(1)
    if start.year == timezone.localdate().year:
        assert shown == f"{start.day} {start:%b}"
    else:
        assert shown == f"{start.day} {start:%b} {start.year}"
    # The last 30 days seen on 10 January: they start in December of the year before.
    this_year = timezone.localdate().year
    real = selectors.storefront_stats

    def early_january(**kwargs):
        return real(**kwargs, today=dt.date(this_year, 1, 10))

    monkeypatch.setattr("storefronts.dashboard.storefront_stats", early_january)
    html = client.get("/dashboard/").content.decode()
    assert f'stats-range">12 Dec {this_year - 1} – today' in html
