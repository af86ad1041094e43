"""The Wagtail admin: MintKit menu, home panel numbers, and what editors may and may not do."""

from django.urls import reverse

import pytest

from billing.models import Subscription
from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from home.models import HomePage
from storefronts.models import Storefront
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

BUSINESS_ADMIN_URLS = [
    "/admin/accounts/profile/",
    "/admin/storefronts/storefront/",
    "/admin/billing/subscriptionplan/",
    "/admin/billing/subscription/",
    "/admin/billing/stripeevent/",
    "/admin/billing/mintkitaccess/",
]


@pytest.fixture
def business_data(db):
    Storefront.objects.create(
        profile=ProfileFactory(), name="Willow", slug="willow", is_active=True
    )
    Storefront.objects.create(
        profile=ProfileFactory(), name="Draft", slug="draft-gym", is_active=False
    )
    pro = SubscriptionPlanFactory(slug="pro", amount=1900, interval="month")
    SubscriptionFactory(plan=pro, status=Subscription.Status.ACTIVE)
    SubscriptionFactory(plan=pro, status=Subscription.Status.ACTIVE)
    SubscriptionFactory(plan=pro, status=Subscription.Status.TRIALING)


def stat(html, name):
    marker = f'data-stat="{name}">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)].strip()


def test_superuser_sees_the_mintkit_numbers_on_the_admin_home(
    client, superuser, business_data, site_home
):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "MintKit at a glance" in html
    assert stat(html, "businesses") == "5"  # two storefront owners + three subscribers
    assert stat(html, "live_storefronts") == "1"
    assert stat(html, "paying_subscriptions") == "2"
    assert stat(html, "mrr") == "£38.00"
    assert int(stat(html, "trials_running")) >= 1


def test_superuser_has_the_mintkit_menu_and_every_business_list_loads(
    client, superuser, business_data, site_home
):
    client.force_login(superuser)
    html = client.get("/admin/").content.decode()
    assert "MintKit" in html
    for url in BUSINESS_ADMIN_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Willow" in client.get("/admin/storefronts/storefront/").content.decode()
    assert client.get("/admin/billing/subscriptionplan/create/").status_code == 200


def test_editor_edits_and_publishes_pages_but_sees_no_business_data(
    client, editor, business_data, site_home
):
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert client.get("/admin/").status_code == 200
    assert "MintKit at a glance" not in html
    home = HomePage.objects.get()
    assert client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).status_code == 200
    assert editor.has_perm("wagtailadmin.access_admin")
    assert home.permissions_for_user(editor).can_publish()

    for url in [*BUSINESS_ADMIN_URLS, "/admin/billing/subscriptionplan/create/"]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] in ("/admin/", "/admin/login/") or response[
                "Location"
            ].startswith("/admin/login/"), url
    assert client.get("/django-admin/billing/subscriptionplan/").status_code == 302


def test_editors_group_holds_no_business_or_billing_permissions(editor):
    group = editor.groups.get(name="Editors")
    assert not group.permissions.filter(
        content_type__app_label__in=["billing", "accounts", "storefronts"]
    ).exists()
    assert not editor.has_perm("billing.change_subscriptionplan")


def test_site_settings_are_edited_in_the_admin_by_superusers_only(
    client, superuser, editor, site_home
):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/home/sitesettings/{site.pk}/"
    client.force_login(superuser)
    response = client.get(url)
    assert response.status_code == 200
    assert "Announcement banner" in response.content.decode()

    client.force_login(editor)
    assert client.get(url).status_code in (302, 403)
