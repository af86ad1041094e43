"""The Subscriptions list fits a laptop screen; the Stripe ids live on the inspect page,
linked to Stripe's dashboard in the key's mode."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from billing.tests.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db

INDEX = "/admin/billing/subscription/"


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def headers(html: str) -> list[str]:
    thead = html.split('class="listing', 1)[1].split("<thead", 1)[1].split("</thead>", 1)[0]
    return [text(th) for th in re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", thead, re.S)]


def test_list_has_a_few_useful_columns(admin_client):
    SubscriptionFactory(profile__business_name="Ada Salon", status="active")
    html = admin_client.get(INDEX).content.decode()
    assert [h.lower() for h in headers(html) if h] == [
        "business",
        "plan",
        "status",
        "renews / ends",
        "past due since",
        "grace ends",
        "dispute status",  # issue 13: disputed subscriptions stand out (and can be filtered)
    ]
    assert "sub_test" not in text(html.split('class="listing', 1)[1])


def test_list_says_when_each_subscription_renews_ends_or_runs_out_of_grace(admin_client, settings):
    now = timezone.now()
    SubscriptionFactory(
        profile__business_name="Renewing", current_period_end=now + timedelta(days=10)
    )
    SubscriptionFactory(
        profile__business_name="Ending",
        cancel_at_period_end=True,
        current_period_end=now + timedelta(days=5),
    )
    SubscriptionFactory(
        profile__business_name="Late", status="past_due", past_due_since=now - timedelta(days=2)
    )
    SubscriptionFactory(profile__business_name="Gone", status="canceled")
    body = text(admin_client.get(INDEX).content.decode())
    grace_end = now - timedelta(days=2) + timedelta(days=settings.PAST_DUE_GRACE_DAYS)
    assert re.search(r"Renewing .*?Renews \d+ \w{3} \d{4}", body)
    assert re.search(r"Ending .*?Ends \d+ \w{3} \d{4}", body)
    assert timezone.localtime(grace_end).strftime("%-d %b %Y") in body
    assert re.search(r"Gone .*?Ended", body)


@pytest.mark.parametrize(
    ("key", "dashboard"),
    [
        ("sk_test_123", "https://dashboard.stripe.com/test/subscriptions/"),
        ("sk_live_123", "https://dashboard.stripe.com/subscriptions/"),
    ],
)
def test_inspect_page_links_the_stripe_id_to_stripes_dashboard(
    admin_client, settings, key, dashboard
):
    settings.STRIPE_SECRET_KEY = key
    sub = SubscriptionFactory(profile__user__email="ada@salon.test")
    html = admin_client.get(f"{INDEX}inspect/{sub.pk}/").content.decode()
    assert f'<a href="{dashboard}{sub.stripe_subscription_id}"' in html
    assert "ada@salon.test" in html
