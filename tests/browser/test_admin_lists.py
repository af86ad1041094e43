"""The site owner's admin lists are readable on a 1366 px laptop: no column squeezed until
its words wrap letter by letter, and no list wider than the screen."""

from django.utils import timezone

import pytest

from accounts.models import User
from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from tests.browser.session import log_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MIN_COLUMN_PX = 60

MEASURE = """() => {
  const table = document.querySelector("table.listing");
  const cells = [...table.querySelectorAll("thead th, tbody td")]
    .filter((cell) => cell.textContent.trim())
    .map((cell) => ({text: cell.textContent.trim().slice(0, 40),
                     width: cell.getBoundingClientRect().width}));
  const scrollers = [table, ...(function* up(node) {
    for (let n = node.parentElement; n; n = n.parentElement) yield n; })(table)];
  return {
    cells,
    overflowing: scrollers.filter((n) => n.scrollWidth > n.clientWidth + 1)
      .map((n) => `${n.tagName}.${n.className} ${n.scrollWidth}>${n.clientWidth}`),
    pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
  };
}"""


@pytest.fixture
def busy_admin(db):
    now = timezone.now()
    pro = SubscriptionPlanFactory(slug="pro", name="Pro")
    long_names = [
        "The Very Long Named Hair and Beauty Emporium of Upper Little Snoring",
        "Mint & Co. Hair Studio",
        "Bramble Barbers",
    ]
    for i, name in enumerate(long_names):
        profile = ProfileFactory(
            business_name=name, user__email=f"owner-with-a-long-address-{i}@example.co.uk"
        )
        SubscriptionFactory(
            profile=profile,
            plan=pro,
            status="past_due" if i == 0 else "active",
            past_due_since=now if i == 0 else None,
            cancel_at_period_end=i == 1,
            stripe_subscription_id=f"sub_1QxYzAbCdEfGhIjKlMnOpQr{i}",
            stripe_customer_id=f"cus_QxYzAbCdEfGhIj{i}",
        )
    ProfileFactory(business_name="Trial Tearoom")
    return User.objects.create_superuser(email="site-owner@example.com", password="x")


@pytest.mark.parametrize("path", ["/admin/billing/subscription/", "/admin/accounts/profile/"])
def test_admin_list_fits_1366_px_without_squeezed_columns(page, live_server, busy_admin, path):
    page.set_viewport_size({"width": 1366, "height": 800})
    log_in(page.context, live_server, busy_admin)
    page.goto(path)
    measured = page.evaluate(MEASURE)
    narrow = [cell for cell in measured["cells"] if cell["width"] < MIN_COLUMN_PX]
    assert not narrow, f"columns narrower than {MIN_COLUMN_PX} px: {narrow}"
    assert not measured["overflowing"], measured["overflowing"]
    assert measured["pageOverflow"] <= 0
