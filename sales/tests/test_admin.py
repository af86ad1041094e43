"""Staff see Studio sales in the Wagtail admin (MintKit → Studio sales), read-only."""

import re

from django.test import Client

import pytest

from sales.tests.factories import StudioEventFactory
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

URL = "/admin/sales/studioevent/"


def test_staff_list_and_search_studio_sales_but_cannot_change_them(admin_client):
    profile = ProfileFactory(business_name="Mint & Co")
    row = StudioEventFactory(
        event_id="evt_admin_1", profile=profile, product_kind="voucher", amount=1500
    )
    html = admin_client.get(URL).content.decode()
    h1 = re.search(r'<h1[^>]*id="header-title"[^>]*>(.*?)</h1>', html, re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", " ", h1).split()) == "Studio sales"
    assert "evt_admin_1" in html and "Mint &amp; Co" in html
    assert "evt_admin_1" in admin_client.get(URL, {"q": "Mint"}).content.decode()
    assert "evt_admin_1" not in admin_client.get(URL, {"q": "nobody"}).content.decode()
    assert admin_client.get(f"{URL}inspect/{row.pk}/").status_code == 200
    # Wagtail answers a refused admin view by sending staff back with a message.
    for refused in (
        admin_client.get(f"{URL}create/"),
        admin_client.get(f"{URL}edit/{row.pk}/"),
        admin_client.post(f"{URL}edit/{row.pk}/", {"amount": 1}),
        admin_client.post(f"{URL}delete/{row.pk}/"),
    ):
        assert refused.status_code in (302, 403)
    row.refresh_from_db()
    assert row.amount == 1500
    assert Client().get(URL).status_code == 302
