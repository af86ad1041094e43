"""Several storefronts per business, by plan (issue 17.2).

The limit: the hub trial (no subscription) 1, Basic 1, Pro 3 (``SubscriptionPlan.max_storefronts``);
an owner without access keeps 1. Over the limit, ``/dashboard/storefronts/new/`` explains with
an upgrade link and a forged POST creates nothing; publishing beyond it is refused too. A
smaller plan unpublishes the newest extra storefronts (never deletes them) and says which.
Every per-storefront page is owner-scoped: another owner's slug is a 404.
"""

# billing's fixtures (owner_client, plans, pay, profile) are imported below, so their names
# reappear as test arguments and locals:
# ruff: noqa: F811

import datetime as dt

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from billing.models import Subscription
from billing.tests.conftest import owner_client, pay, plans, profile  # noqa: F401 - shared
from billing.tests.factories import SubscriptionFactory, SubscriptionPlanFactory
from storefronts.limits import storefront_limit
from storefronts.models import OfferDailyStat, Storefront, StorefrontDailyStat
from storefronts.tests.editor_data import editor_data
from storefronts.tests.factories import OfferFactory, StorefrontFactory
from tests.concurrency import at_once
from tests.factories import ProfileFactory
from tests.migration_check import run_on_own_database

pytestmark = pytest.mark.django_db

NEW = "/dashboard/storefronts/new/"
LIST = "/dashboard/storefronts/"


def _plan(slug: str, limit: int):
    return SubscriptionPlanFactory(
        slug=slug, name=slug.title(), max_storefronts=limit, amount=900 if limit == 1 else 1900
    )


def _owner(client, *, plan_slug: str | None, status: str = "active"):
    profile = ProfileFactory()
    if plan_slug is not None:
        SubscriptionFactory(
            profile=profile, plan=_plan(plan_slug, {"basic": 1, "pro": 3}[plan_slug]), status=status
        )
    client.force_login(profile.user)
    return profile


def _create(client, name: str, slug: str):
    return client.post(NEW, {"name": name, "slug": slug})


# --- limits per plan ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("plan_slug", "status", "limit"),
    [
        (None, None, 1),  # the hub trial
        ("basic", "active", 1),
        ("pro", "active", 3),
        ("pro", "trialing", 3),
        ("pro", "canceled", 1),  # access ended: one storefront stays possible
    ],
)
def test_each_plan_allows_its_number_of_storefronts_and_no_more(client, plan_slug, status, limit):
    profile = _owner(client, plan_slug=plan_slug, status=status or "active")
    assert storefront_limit(profile=profile) == limit
    for n in range(limit):
        assert client.get(NEW).status_code == 200
        response = _create(client, f"Branch {n}", f"branch-{profile.pk}-{n}")
        assert response.status_code == 302, response.content
        assert response["Location"] == f"/dashboard/storefronts/branch-{profile.pk}-{n}/"
    assert profile.storefronts.count() == limit
    # One more: the page explains and links to the plans instead of offering the form.
    refusal = client.get(NEW)
    html = refusal.content.decode()
    assert refusal.status_code == 200
    assert 'data-testid="limit-reached"' in html and 'href="/pricing/"' in html
    assert 'name="slug"' not in html
    assert f"Your plan allows {limit} storefront" in html
    # A forged POST is refused and creates nothing.
    forged = _create(client, "One too many", f"too-many-{profile.pk}")
    assert forged.status_code == 403
    assert 'href="/pricing/"' in forged.content.decode()
    assert profile.storefronts.count() == limit
    assert not Storefront.objects.filter(slug=f"too-many-{profile.pk}").exists()
    # The list says so too, and offers no "New storefront" button.
    listing = client.get(LIST).content.decode()
    assert f"Your plan allows {limit}." in listing and NEW not in listing


def test_hidden_storefronts_count_towards_the_limit(client):
    profile = _owner(client, plan_slug="basic")
    StorefrontFactory(profile=profile, is_active=False)
    assert _create(client, "Second", "second-basic").status_code == 403
    assert profile.storefronts.count() == 1


def test_a_second_build_your_storefront_submit_racing_the_first_creates_nothing():
    """Two first-storefront submits at once: the second finds the first (the profile lock
    makes it wait on PostgreSQL) and is refused rather than making a second one."""
    from storefronts.forms import StorefrontEditor
    from storefronts.limits import StorefrontLimitReached
    from storefronts.services import storefront_save

    profile = ProfileFactory()
    StorefrontFactory(profile=profile, slug="the-first")
    editor = StorefrontEditor(
        instance=Storefront(profile=profile), data=editor_data(slug="the-racer"), profile=profile
    )
    assert editor.is_valid(), editor.form.errors
    with pytest.raises(StorefrontLimitReached):
        storefront_save(editor=editor, profile=profile)
    assert list(profile.storefronts.values_list("slug", flat=True)) == ["the-first"]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL row locks (CI runs on PostgreSQL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_creates_at_once_at_the_last_free_place_make_one():
    from django.test import Client

    profile = ProfileFactory()
    SubscriptionFactory(profile=profile, plan=_plan("pro", 3))
    StorefrontFactory(profile=profile, slug="race-0")
    StorefrontFactory(profile=profile, slug="race-1")
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(profile.user)

    def create(n):
        return clients[n].post(NEW, {"name": f"Racer {n}", "slug": f"racer-{n}"}).status_code

    assert sorted(at_once(2, create)) == [302, 403]
    assert profile.storefronts.count() == 3


# --- creating: the address is checked like the editor's ---------------------------------------


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("new", "is reserved"),
        ("admin", "is reserved"),
        ("taken-one", "already taken"),
        ("old-address", "already taken"),  # another storefront's former address still redirects
        ("Bad Slug!", "Use lowercase letters"),
        ("a--b", "Use lowercase letters"),
        ("x" * 51, "at most 50"),
        ("", "This field is required"),
    ],
)
def test_a_bad_address_is_a_form_error_and_creates_nothing(client, slug, message):
    profile = _owner(client, plan_slug="pro")
    other = StorefrontFactory(slug="taken-one")
    other.old_slugs.create(slug="old-address")
    response = _create(client, "Branch", slug)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and 'id="id_slug_error"' in html
    assert profile.storefronts.count() == 0


@pytest.mark.parametrize(
    "data",
    [{}, {"name": "   ", "slug": "fine-slug"}, {"name": "x" * 81, "slug": "fine-slug"}],
)
def test_hostile_create_posts_are_form_errors_never_500(client, data):
    profile = _owner(client, plan_slug="pro")
    response = client.post(NEW, data)
    assert response.status_code == 400
    assert profile.storefronts.count() == 0


def test_an_address_in_capitals_is_stored_lowercase(client):
    profile = _owner(client, plan_slug="pro")
    assert _create(client, "Leeds", "Mint-Leeds").status_code == 302
    assert profile.storefronts.get().slug == "mint-leeds"


# --- owner scoping ----------------------------------------------------------------------------

PER_STOREFRONT = ["", "stats/", "qr.svg", "qr.png", "poster/", "slug-check/?slug=abc"]


@pytest.mark.parametrize("page", PER_STOREFRONT)
def test_another_owners_storefront_is_a_404_and_shows_nothing_of_it(client, page):
    theirs = StorefrontFactory(name="Their Secret Salon", slug="their-salon", is_active=False)
    mine = StorefrontFactory(name="My Salon", slug="my-salon")
    client.force_login(mine.profile.user)
    response = client.get(f"/dashboard/storefronts/{theirs.slug}/{page}")
    assert response.status_code == 404
    assert "Their Secret Salon" not in response.content.decode()
    assert client.get(f"/dashboard/storefronts/{mine.slug}/{page}").status_code == 200


def test_another_owners_storefront_cannot_be_published_or_edited(client):
    theirs = StorefrontFactory(name="Theirs", slug="theirs", is_active=False)
    mine = StorefrontFactory(slug="mine")
    client.force_login(mine.profile.user)
    publish = client.post("/dashboard/storefronts/theirs/publish/", {"action": "publish"})
    edit = client.post(
        "/dashboard/storefronts/theirs/", editor_data(slug="theirs", name="Mine now")
    )
    assert publish.status_code == 404 and edit.status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "Theirs" and not theirs.is_active
    # Nor does the list show it.
    assert "Theirs" not in client.get(LIST).content.decode()


# --- several storefronts, one editor each; the old address edits the first -------------------


def test_the_old_address_keeps_editing_the_first_and_each_has_its_own(client):
    profile = _owner(client, plan_slug="pro")
    first = StorefrontFactory(profile=profile, name="First Branch", slug="first-branch")
    second = StorefrontFactory(profile=profile, name="Second Branch", slug="second-branch")

    assert 'value="First Branch"' in client.get("/dashboard/storefront/").content.decode()
    html = client.get("/dashboard/storefronts/second-branch/").content.decode()
    assert 'value="Second Branch"' in html
    # Its publish form, QR, stats and live slug check are its own.
    for link in ("publish/", "qr.svg", "qr.png", "stats/", "slug-check/"):
        assert f"/dashboard/storefronts/second-branch/{link}" in html

    old = client.post(
        "/dashboard/storefront/", editor_data(name="First, renamed", slug="first-branch")
    )
    assert old.status_code == 302 and old["Location"] == "/dashboard/storefront/"
    new = client.post(
        "/dashboard/storefronts/second-branch/",
        editor_data(name="Second, moved", slug="second-moved"),
    )
    assert new.status_code == 302 and new["Location"] == "/dashboard/storefronts/second-moved/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.name, first.slug) == ("First, renamed", "first-branch")
    assert (second.name, second.slug) == ("Second, moved", "second-moved")
    # The slug check on a storefront's own page knows which one it is.
    mine = client.get("/dashboard/storefronts/second-moved/slug-check/?slug=second-moved").json()
    assert mine["status"] == "available"
    assert client.get("/dashboard/storefront/slug-check/?slug=second-moved").json()["status"] == (
        "taken"
    )


def test_the_list_shows_each_storefront_with_its_state_views_and_clicks(client):
    profile = _owner(client, plan_slug="pro")
    live = StorefrontFactory(profile=profile, name="Live One", slug="live-one", is_active=True)
    hidden = StorefrontFactory(
        profile=profile, name="Hidden One", slug="hidden-one", is_active=False
    )
    today = timezone.localdate()
    StorefrontDailyStat.objects.create(storefront=live, date=today, views=12)
    StorefrontDailyStat.objects.create(
        storefront=live, date=today - dt.timedelta(days=45), views=99
    )
    OfferDailyStat.objects.create(offer=OfferFactory(storefront=live), date=today, clicks=5)
    StorefrontDailyStat.objects.create(storefront=hidden, date=today, views=3)
    html = client.get(LIST).content.decode()

    def row(slug):
        start = html.index(f'data-slug="{slug}"')
        return html[start : html.index("</tr>", start)]

    assert "Published" in row("live-one") and "Live One" in row("live-one")
    assert '<td class="text-end" data-testid="views">12</td>' in row("live-one")  # 30 days only
    assert '<td class="text-end" data-testid="clicks">5</td>' in row("live-one")
    assert "Hidden" in row("hidden-one")
    assert '<td class="text-end" data-testid="views">3</td>' in row("hidden-one")
    assert '<td class="text-end" data-testid="clicks">0</td>' in row("hidden-one")
    assert 'href="/dashboard/storefronts/hidden-one/"' in row("hidden-one")
    assert html.index("live-one") < html.index("hidden-one")  # oldest first


def test_the_list_costs_the_same_queries_for_one_storefront_or_many(client):
    profile = _owner(client, plan_slug="pro")

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    StorefrontFactory(profile=profile)
    count()  # the first request of a session does its own one-off work
    one = count()
    for _ in range(5):
        storefront = StorefrontFactory(profile=profile)
        StorefrontDailyStat.objects.create(
            storefront=storefront, date=timezone.localdate(), views=1
        )
        OfferDailyStat.objects.create(
            offer=OfferFactory(storefront=storefront), date=timezone.localdate(), clicks=1
        )
    assert count() == one


# --- publishing beyond the limit --------------------------------------------------------------


def test_publishing_beyond_the_limit_is_refused_with_an_upgrade_link(client):
    profile = _owner(client, plan_slug="basic")
    StorefrontFactory(profile=profile, slug="live-one", is_active=True)
    # Made while on a bigger plan, say: there, but hidden.
    StorefrontFactory(profile=profile, slug="hidden-two", is_active=False)
    response = client.post("/dashboard/storefronts/hidden-two/publish/", {"action": "publish"})
    html = response.content.decode()
    assert response.status_code == 403
    assert 'href="/pricing/"' in html and "1 published storefront" in html
    assert not Storefront.objects.get(slug="hidden-two").is_active
    # Unpublishing the live one makes room.
    client.post("/dashboard/storefronts/live-one/publish/", {"action": "unpublish"})
    ok = client.post("/dashboard/storefronts/hidden-two/publish/", {"action": "publish"})
    assert ok.status_code == 302 and ok["Location"] == "/dashboard/storefronts/hidden-two/"
    assert Storefront.objects.get(slug="hidden-two").is_active


def test_pro_can_publish_three(client):
    profile = _owner(client, plan_slug="pro")
    for n in range(3):
        StorefrontFactory(profile=profile, slug=f"pro-{n}", is_active=False)
        response = client.post(f"/dashboard/storefronts/pro-{n}/publish/", {"action": "publish"})
        assert response.status_code == 302
    assert profile.storefronts.filter(is_active=True).count() == 3


# --- a smaller plan: the newest extra storefronts are unpublished, and the owner told ----------


def _three_live(profile):
    made = []
    for n, name in enumerate(["Oldest Branch", "Middle Branch", "Newest Branch"]):
        storefront = StorefrontFactory(profile=profile, name=name, slug=f"branch-{n}")
        Storefront.objects.filter(pk=storefront.pk).update(
            created_at=timezone.now() - dt.timedelta(days=10 - n)
        )
        made.append(storefront)
    return made


@pytest.fixture
def subscribed(settings, plans, pay, deliver):
    """An owner paying for Pro (3 storefronts) through the emulator; Basic allows 1."""
    settings.STRIPE_TRIAL_DAYS = 0
    plans["pro"].max_storefronts = 3
    plans["pro"].save()
    _, status, _ = pay("pro", interval="month")
    assert status == 303
    deliver()
    return Subscription.objects.get(is_current=True)


def test_downgrade_from_pro_to_basic_unpublishes_the_two_newest_and_says_which(
    subscribed,
    owner_client,
    deliver,
    plans,
    django_capture_on_commit_callbacks,
):
    profile = owner_client.profile
    oldest, middle, newest = _three_live(profile)
    # The owner switches to Basic: preview, confirm, then Stripe's webhook brings the plan.
    assert owner_client.post("/billing/checkout/basic/", {"interval": "month"}).status_code == 303
    with django_capture_on_commit_callbacks(execute=True):
        done = owner_client.post("/billing/change/basic/", {"interval": "month"})
        assert done.status_code == 303
        deliver()
    subscribed.refresh_from_db()
    assert subscribed.plan == plans["basic"]

    states = dict(profile.storefronts.values_list("name", "is_active"))
    assert states == {"Oldest Branch": True, "Middle Branch": False, "Newest Branch": False}
    assert profile.storefronts.count() == 3  # never deleted
    for page in ("/dashboard/", LIST):
        html = owner_client.get(page).content.decode()
        notice = html[html.index('data-testid="unpublished-by-plan"') :]
        notice = notice[: notice.index("</div>")]
        assert "Middle Branch" in notice and "Newest Branch" in notice
        assert "Oldest Branch" not in notice and 'href="/pricing/"' in notice
    # Their public pages are gone for visitors; the oldest stays live.
    assert owner_client.__class__().get("/storefront/branch-2/").status_code == 404
    assert owner_client.__class__().get("/storefront/branch-0/").status_code == 200


def test_access_ending_unpublishes_all_but_the_oldest_and_publishing_again_clears_the_notice(
    client, django_capture_on_commit_callbacks
):
    profile = _owner(client, plan_slug="pro")
    _three_live(profile)
    subscription = Subscription.objects.get(profile=profile)
    with django_capture_on_commit_callbacks(execute=True):
        subscription.status = Subscription.Status.CANCELED
        subscription.save()
    assert list(profile.storefronts.filter(is_active=True).values_list("name", flat=True)) == [
        "Oldest Branch"
    ]
    assert "Newest Branch" in client.get("/dashboard/").content.decode()
    # Back on Pro: they may be published again, and then are no longer listed as hidden.
    with django_capture_on_commit_callbacks(execute=True):
        subscription.status = Subscription.Status.ACTIVE
        subscription.save()
    assert profile.storefronts.filter(is_active=True).count() == 1  # nothing republished by itself
    client.post("/dashboard/storefronts/branch-2/publish/", {"action": "publish"})
    client.post("/dashboard/storefronts/branch-1/publish/", {"action": "publish"})
    assert profile.storefronts.filter(is_active=True).count() == 3
    assert 'data-testid="unpublished-by-plan"' not in client.get("/dashboard/").content.decode()


def test_a_plan_within_its_limit_unpublishes_nothing(client, django_capture_on_commit_callbacks):
    profile = _owner(client, plan_slug="pro")
    _three_live(profile)
    subscription = Subscription.objects.get(profile=profile)
    with django_capture_on_commit_callbacks(execute=True):
        subscription.current_period_end = timezone.now() + dt.timedelta(days=60)
        subscription.save()
    assert profile.storefronts.filter(is_active=True).count() == 3


# --- the migration ----------------------------------------------------------------------------

MIGRATION_CHECK = """
import django

django.setup()

from django.core.management import call_command
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("storefronts", "0003_storefront_contact_inherits_profile"),
    ("billing", "0005_subscription_price"),
]
for app, name in BEFORE:
    call_command("migrate", app, name, verbosity=0)
old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
User, Profile = old.get_model("accounts", "User"), old.get_model("accounts", "Profile")
Storefront = old.get_model("storefronts", "Storefront")
Plan = old.get_model("billing", "SubscriptionPlan")
ids = []
for n in range(3):
    user = User.objects.create(email=f"owner{n}@example.com")
    profile = Profile.objects.create(
        user=user, business_name=f"Biz {n}", trial_started_at=timezone.now()
    )
    storefront = Storefront.objects.create(
        profile=profile, name=f"Shop {n}", slug=f"shop-{n}", is_active=n != 1
    )
    ids.append(storefront.pk)
for slug, amount in (("basic", 900), ("pro", 1900), ("custom", 4900)):
    Plan.objects.create(name=slug, slug=slug, amount=amount)

call_command("migrate", verbosity=0)

from billing.models import SubscriptionPlan
from storefronts.models import Storefront

rows = list(Storefront.objects.order_by("pk").values_list("pk", "slug", "is_active"))
assert rows == [(ids[0], "shop-0", True), (ids[1], "shop-1", False), (ids[2], "shop-2", True)], rows
first = Storefront.objects.get(slug="shop-0")
Storefront.objects.create(profile=first.profile, name="Second", slug="shop-0-second")
assert first.profile.storefronts.count() == 2
limits = dict(SubscriptionPlan.objects.values_list("slug", "max_storefronts"))
assert limits == {"basic": 1, "pro": 3, "custom": 1}, limits
print("several storefronts migration ok")
"""


def test_the_migration_keeps_every_storefront_and_allows_a_second(tmp_path):
    """storefronts 0004 and billing 0006 on a database of their own (like
    billing/tests/test_second_free_month.py): every row survives, a profile can then have a
    second storefront, and the seeded plans get their limits by slug."""
    output = run_on_own_database(MIGRATION_CHECK, tmp_path / "several.sqlite3")
    assert "several storefronts migration ok" in output
