"""Query budgets: every page's SQL count is capped, and does not grow with the data.

Each page is measured uncached (the page and menu caches are emptied first) with one of
everything, then with ten of each — offers, opening hours, plans, help pages and
businesses — and must issue the same number of queries both times, within its budget.
The figures are in docs/PERFORMANCE.md, "In-process timings and query budgets".
"""

import datetime as dt
import io

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from home import seed
from home.models import HelpIndexPage, HelpPage
from sales.models import StudioEvent
from storefronts.models import Offer, OfferDailyStat, StorefrontDailyStat
from storefronts.tests.factories import (
    BROWSER_UA,
    OfferFactory,
    OpeningHoursFactory,
    StorefrontFactory,
)
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


# (label, url or None for the owner's storefront, logged in as the owner, budget).
# Budgets are today's counts, uncached (with the page, menu, site and fragment caches empty;
# a later render of a Wagtail page skips the Site, settings and privacy reads:
# core/sitecache.py). Owner pages carry the billing-state banner (its subscription and
# ledger look-ups: +1 or +2);
# pricing as an owner also asks the address ledger whether the free month is still due.
PAGES = [
    ("home", "/", False, 8),
    ("pricing", "/pricing/", False, 11),
    ("help index", "/help/", False, 12),
    ("help article", "/help/getting-started/", False, 13),
    # Brand-first page (issue 16): no hub menu, footer. A first (uncached) visit reads the
    # storefront once (its head for later cached visits comes from that row), then its
    # offers, hours and special dates, and counts the visit.
    ("storefront", None, False, 5),
    ("search", "/search/?q=salon", False, 15),
    ("pricing as an owner", "/pricing/", True, 15),
    ("dashboard", "/dashboard/", True, 18),  # + Studio sales (one query)
    ("profile", "/dashboard/profile/", True, 11),
    ("storefront editor", "/dashboard/storefront/", True, 14),  # + the profile (inherited contact)
    ("stats", "/dashboard/storefront/stats/", True, 16),  # + Studio sales (one query)
    ("storefront list", "/dashboard/storefronts/", True, 12),  # however many the owner has
    ("studio", "/studio/", True, 11),
]


class World:
    """The demo site plus an owner whose storefront, plans and neighbours can be grown."""

    def __init__(self):
        seed.run(stdout=io.StringIO())
        self.profile = ProfileFactory(business_name="Mint & Co")
        self.storefront = StorefrontFactory(profile=self.profile, name="Mint Salon")
        self.help_index = HelpIndexPage.objects.get()
        self.article = HelpPage.objects.get(slug="getting-started")
        self.size = 0
        self.owner = Client()
        self.owner.force_login(self.profile.user)
        self.grow(1)
        SubscriptionFactory(profile=self.profile, plan=self.plans[0])

    def grow(self, size: int) -> None:
        today = dt.date.today()
        self.plans = getattr(self, "plans", [])
        for i in range(self.size, size):
            offer = OfferFactory(storefront=self.storefront, title=f"Salon offer {i}")
            OfferDailyStat.objects.create(offer=offer, date=today, clicks=i + 1)
            OpeningHoursFactory(
                storefront=self.storefront,
                weekday=i % 7,
                opens=dt.time(6 + 2 * (i // 7)),
                closes=dt.time(7 + 2 * (i // 7)),
            )
            StorefrontDailyStat.objects.create(
                storefront=self.storefront,
                date=today - dt.timedelta(days=i),
                views=i,
                qr_views=i,
            )
            for kind, currency in (("sale", "GBP"), ("sale", "EUR"), ("redemption", "GBP")):
                StudioEvent.objects.create(
                    event_id=f"evt_{kind}_{currency}_{i}",
                    profile=self.profile,
                    storefront=self.storefront if i % 2 else None,
                    type=kind,
                    product_kind="gift_card",
                    amount=1000 + i,
                    currency=currency,
                    occurred_at=timezone.now() - dt.timedelta(days=i),
                )
            self.plans.append(
                SubscriptionPlanFactory(slug=f"plan-{i}", name=f"Plan {i}", sort_order=i)
            )
            self.article.copy(
                to=self.help_index,
                update_attrs={"slug": f"article-{i}", "title": f"Salon article {i}"},
            )
            neighbour = StorefrontFactory(name=f"Salon neighbour {i}")
            OfferFactory(storefront=neighbour)
            # More storefronts of the owner's own (after the first, which the editor shows).
            branch = StorefrontFactory(profile=self.profile, name=f"Mint branch {i}")
            StorefrontDailyStat.objects.create(storefront=branch, date=today, views=i)
            OfferDailyStat.objects.create(
                offer=OfferFactory(storefront=branch), date=today, clicks=i
            )
        self.size = size

    def count(self, url: str | None, as_owner: bool) -> int:
        client = self.owner if as_owner else Client()
        url = url or self.storefront.get_absolute_url()
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_USER_AGENT=BROWSER_UA)
        assert response.status_code == 200, url
        return len(queries)


@pytest.fixture
def world(db):
    return World()


def test_every_page_has_a_query_budget_that_does_not_grow_with_the_data(
    world, django_assert_max_num_queries
):
    small = {label: world.count(url, owner) for label, url, owner, _budget in PAGES}
    world.grow(10)
    assert world.storefront.offers.filter(is_active=True).count() == 10
    assert Offer.objects.values("storefront").distinct().count() == 21
    assert world.profile.storefronts.count() == 11
    large = {label: world.count(url, owner) for label, url, owner, _budget in PAGES}
    # Search is being rebuilt (issue 15.3): only its budget is held here for now.
    small.pop("search"), large.pop("search")
    assert large == small
    for label, url, as_owner, budget in PAGES:
        client = world.owner if as_owner else Client()
        cache.clear()
        with django_assert_max_num_queries(budget):
            client.get(url or world.storefront.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
