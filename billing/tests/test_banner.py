"""The state × page table (issue 13.1, 13.4): for each billing state, the one billing-state
banner (text and its one button) and what the pricing, dashboard and Studio pages offer.

The same table is in docs/STRIPE_MINTKIT_INTEGRATION.md ("Billing states on each page").
"""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest

from billing.models import Subscription
from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = timedelta(days=1)

# state: (banner text, banner button, pricing buttons [Basic, Pro], Studio closed story or
# "open", Studio shows plans, "First month free" anywhere)
TABLE = {
    "anonymous": (None, None, ["Subscribe to Basic", "Subscribe to Pro"], None, None, True),
    "hub_trial": (None, None, ["Subscribe to Basic", "Subscribe to Pro"], "open", False, True),
    "hub_trial_ending": (
        "Your free trial ends in 2 days. Choose a plan to keep MintKit Studio.",
        "Choose a plan",
        ["Subscribe to Basic", "Subscribe to Pro"],
        "open",
        False,
        True,
    ),
    "trial_ended": (
        "Your free trial has ended. Choose a plan",
        "Choose a plan",
        ["Subscribe to Basic", "Subscribe to Pro"],
        "Your free trial has ended. Choose a plan below",
        True,
        True,
    ),
    "free_month": (
        "Your free month ends in 2 days; your card is charged £19.00 on",
        "Manage billing",
        ["Switch to Basic", None],
        "open",
        False,
        False,
    ),
    "active": (None, None, ["Switch to Basic", None], "open", False, False),
    "cancel_scheduled": (
        "Your Pro plan cancels on",
        "Resume",
        [None, "Resume Pro"],
        "open",
        False,
        False,
    ),
    "past_due_grace": (
        "Your last payment failed. Update your card by",
        "Update card",
        [None, "Update card"],
        "open",
        False,
        False,
    ),
    "payment_failed": (
        "Your payment failed and your grace period is over",
        "Update card",
        [None, "Update card"],
        "MintKit Studio is paused until your payment goes through",
        False,
        False,
    ),
    "action_required": (
        "Confirm your payment of £19.00: your bank asks you to approve it.",
        "Confirm payment",
        [None, "Confirm payment"],
        "open",  # in grace while the bank waits
        False,
        False,
    ),
    "canceled": (
        "Your Pro plan ended on",
        "Choose a plan",
        ["Subscribe to Basic", "Subscribe to Pro"],
        "Choose a plan below to open the Studio again",
        True,
        False,  # a returning customer: no second free month, and a sentence why
    ),
}


# state: what the dashboard's billing card says first (its status line).
DASHBOARD = {
    "hub_trial": "Free trial — 10 days left",
    "hub_trial_ending": "Free trial — 2 days left",
    "trial_ended": "No access — choose a plan",
    "free_month": "Pro plan — free until",
    "active": "Pro plan — renews",
    "cancel_scheduled": "Cancels on",
    "action_required": "Payment of £19.00 waits for your confirmation",
    "past_due_grace": "Payment failed — update your card",
    "payment_failed": "No access — payment failed, update your card",
    "canceled": "Your Pro plan ended on",
}

INVOICE_URL = "https://invoice.stripe.test/i/in_test_3ds"


def _setup(state):
    """A signed-in client in ``state`` (None for the anonymous visitor)."""
    if state == "anonymous":
        return Client()
    started = {"hub_trial": NOW - 4 * DAY, "hub_trial_ending": NOW - 12 * DAY - DAY / 2}.get(
        state, NOW - 40 * DAY
    )
    profile = ProfileFactory()
    profile.trial_started_at = started
    profile.save()
    pro = SubscriptionPlanFactory(slug="pro")
    S = Subscription.Status
    kwargs = {
        "free_month": {"status": S.TRIALING, "trial_end": NOW + 2 * DAY - timedelta(hours=1)},
        "active": {"status": S.ACTIVE},
        "cancel_scheduled": {"status": S.ACTIVE, "cancel_at_period_end": True},
        "past_due_grace": {"status": S.PAST_DUE, "past_due_since": NOW - DAY},
        "action_required": {
            "status": S.PAST_DUE,
            "past_due_since": NOW - DAY,
            "action_required_invoice_id": "in_test_3ds",
            "action_required_url": INVOICE_URL,
            "action_required_amount": 1900,
            "action_required_currency": "gbp",
        },
        "payment_failed": {"status": S.PAST_DUE, "past_due_since": NOW - 10 * DAY},
        "canceled": {
            "status": S.CANCELED,
            "current_period_start": NOW - 35 * DAY,
            "current_period_end": NOW - 5 * DAY,
        },
    }.get(state)
    if kwargs is not None:
        if state == "free_month":
            kwargs["current_period_end"] = kwargs["trial_end"]
        SubscriptionFactory(
            profile=profile, plan=pro, stripe_price_id=pro.stripe_price_id, **kwargs
        )
    client = Client()
    client.force_login(profile.user)
    return client


def _banners(html):
    return re.findall(r'<aside class="alert[^"]*billing-state-banner".*?</aside>', html, re.S)


def _text(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def _card_buttons(html):
    buttons = {}
    for slug, card in re.findall(r'data-plan="(\w+)"(.*?)</article>', html, re.S):
        found = re.search(r'plan-button"[^>]*>([^<]+)<', card)
        buttons[slug] = found.group(1).strip() if found else None
    return [buttons.get("basic"), buttons.get("pro")]


@pytest.fixture
def priced(db, site_home, settings):
    settings.HUB_TRIAL_DAYS = 14
    settings.STRIPE_TRIAL_DAYS = 30
    SubscriptionPlanFactory(name="Basic", slug="basic", amount=900, sort_order=10)
    SubscriptionPlanFactory(name="Pro", slug="pro", amount=1900, sort_order=20)


@pytest.mark.parametrize("state", list(TABLE))
def test_state_by_page(priced, state):
    text, button, pricing_buttons, studio, studio_plans, free_month = TABLE[state]
    client = _setup(state)
    pages = {"pricing": client.get("/pricing/").content.decode()}
    if state != "anonymous":
        pages["dashboard"] = client.get("/dashboard/").content.decode()
        pages["studio"] = client.get("/studio/").content.decode()
    for name, html in pages.items():
        banners = _banners(html)
        if text is None:
            assert banners == [], (name, banners)
            continue
        assert len(banners) == 1, (name, banners)  # one banner, never two stories
        assert text in _text(banners[0]), (name, _text(banners[0]))
        assert f">{button}</" in banners[0], (name, banners[0])
    assert _card_buttons(pages["pricing"]) == pricing_buttons
    if state == "action_required":  # banner and plan card send the owner to the same page
        assert pages["pricing"].count(f'href="{INVOICE_URL}"') == 2
    if state in DASHBOARD:
        status = re.search(r'billing-status"[^>]*>([^<]+)<', pages["dashboard"]).group(1)
        assert status.startswith(DASHBOARD[state]), status
    # The free-month badge only for those who qualify; never anywhere for the others.
    assert ("First month free" in pages["pricing"]) is free_month
    if not free_month:
        assert not any("First month free" in html for html in pages.values())
    if state == "anonymous":
        return
    studio_html = pages["studio"]
    if studio == "open":
        assert 'id="open-studio"' in studio_html
    else:
        assert studio in _text(studio_html)
        assert "Your free trial has ended" not in studio_html or state == "trial_ended"
    assert ('class="row row-cols-1' in studio_html) is studio_plans
    if state == "canceled":
        sentence = "Your first month was free earlier"
        assert sentence in pages["pricing"] and sentence in pages["dashboard"]


def test_subscriber_sees_next_charge_with_the_year_and_invoices(priced):
    client = _setup("active")
    sub = Subscription.objects.get()
    year = str(sub.current_period_end.year)
    pricing = client.get("/pricing/").content.decode()
    assert re.search(rf"Next charge: £19.00 on \d+ \w+ {year}", pricing)
    assert "Your plan" in pricing
    dashboard = client.get("/dashboard/").content.decode()
    assert re.search(rf"Next charge: £19.00 on \d+ \w+ {year}", dashboard)
    assert "Invoices and receipts" in dashboard


def test_yearly_toggle_without_javascript(priced):
    html = Client().get("/pricing/?interval=year").content.decode()
    assert 'href="?interval=month"' in html and 'id="interval-year" aria-current="true"' in html
    assert "£90.00 <span" in html and "£190.00 <span" in html  # ten months for a year
    assert 'href="/billing/checkout/pro/?interval=year"' in html
    forged = Client().get("/pricing/?interval=decade").content.decode()
    assert "£19.00 <span" in forged and "£190" not in forged


def test_banner_query_budget(priced, django_assert_max_num_queries):
    client = _setup("past_due_grace")
    client.get("/pricing/")
    with django_assert_max_num_queries(20):
        client.get("/pricing/")


DOC_ROWS = {
    "visitor": "anonymous",
    "hub trial, more than 3 days left": "hub_trial",
    "hub trial, last 3 days": "hub_trial_ending",
    "hub trial ended, never subscribed": "trial_ended",
    "free month (Stripe trial)": "free_month",
    "active": "active",
    "set to cancel": "cancel_scheduled",
    "action required (3-D Secure)": "action_required",
    "payment failed, in grace": "past_due_grace",
    "payment failed, grace over": "payment_failed",
    "canceled (returning customer)": "canceled",
}


def _doc_table():
    from django.conf import settings

    doc = (settings.BASE_DIR / "docs" / "STRIPE_MINTKIT_INTEGRATION.md").read_text()
    section = doc.split("## Billing states on each page", 1)[1]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] in DOC_ROWS:
            rows[DOC_ROWS[cells[0]]] = cells[1:]
    return rows


def _generic(text):
    """The page's words as the table writes them: numbers of days as N."""
    return re.sub(r"\b\d+ days\b", "N days", text)


def test_docs_table_matches_the_pages():
    """docs/STRIPE_MINTKIT_INTEGRATION.md's state × page table says what TABLE (checked
    against the pages above) says: every state has a row, with the banner's button, the
    pricing buttons, the dashboard's status and the Studio page's story."""
    rows = _doc_table()
    assert set(rows) == set(TABLE)
    for state, (text, button, pricing_buttons, studio, _plans, _free) in TABLE.items():
        banner, pricing, dashboard, studio_cell = rows[state]
        if button is None:
            assert banner == "—", state
        else:
            assert f"({button}" in banner, (state, banner)
            assert _generic(text).rstrip(".")[:30] in banner, (state, banner)
        for label in pricing_buttons:
            assert label is None or label in pricing, (state, pricing)
        if state in DASHBOARD:
            head = _generic(DASHBOARD[state]).replace("10 days", "N days")
            assert head in dashboard, (state, dashboard)
        if studio == "open":
            assert studio_cell.startswith("Open MintKit Studio"), (state, studio_cell)
        elif studio:
            assert studio[:30] in studio_cell.replace("…", ""), (state, studio_cell)


@pytest.mark.parametrize("state", list(TABLE))
def test_announcement_offers_the_free_month_only_to_those_who_can_have_it(priced, state):
    """The site's announcement ("New: the first 30 days of your first paid plan are free.")
    is for visitors and owners who still qualify; a subscriber or returning customer never
    sees it advertise what they cannot have."""
    from wagtail.models import Site

    from home.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.announcement_enabled = True
    site_settings.announcement_text = "New: the first 30 days of your first paid plan are free."
    site_settings.announcement_url = "/pricing/"
    site_settings.save()
    free_month = TABLE[state][5]
    client = _setup(state)
    for url in ("/pricing/", "/dashboard/", "/studio/", "/help/"):
        if state == "anonymous" and url in ("/dashboard/", "/studio/"):
            continue
        html = client.get(url).content.decode()
        assert ('aria-label="Announcement"' in html) is free_month, url
        assert ("paid plan are free" in html) is free_month, url
