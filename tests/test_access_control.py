"""Who may open what: every URL pattern of the URLconf × five kinds of visitor (issue 10, "Also").

The patterns come from ``get_resolver()``, not from a hand list. Each is requested (GET) by an
anonymous visitor, the owner of the objects in the URL, another owner, a staff editor (Wagtail
admin access through the Editors group, not a superuser) and a superuser, once with owner A's
storefront, offer and ids in the URL and once with owner B's. A's storefront is published, B's
is a draft. The answer must match EXPECTED below; a URL pattern with no entry there fails the
test, so a new view cannot ship without someone deciding who may see it.

The two vendor admin trees (Wagtail's under ``admin/``, Django's under ``django-admin/``) are
covered by one rule each: nobody without admin access gets past their log-in redirect (which
leads to allauth's log-in, or 403 for someone signed in), for every one of their patterns.
"""

import re
from collections import defaultdict
from urllib.parse import urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

import pytest
from allauth.account.models import EmailAddress

from accounts.models import User
from billing.tests.factories import SubscriptionPlanFactory
from home.seed import ensure_editors_group
from storefronts.tests.factories import OfferFactory, StorefrontFactory
from tests.factories import DEFAULT_PASSWORD, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anon", "owner", "other", "editor", "superuser"]
MISSING = 999_999  # ids nothing has

# --- the expectations -------------------------------------------------------------------------
# route (as the URLconf spells it) -> {role: expected}; an expected is a status code, or
# "302 <prefix>" for a redirect whose Location starts with <prefix>. A value given for the key
# "*" applies to every role not named. Entries keyed "route@draft" apply when the URL holds
# owner B's (draft) storefront; otherwise the plain entry is used for both owners' objects.
LOGIN = "302 /accounts/login/"
ADMIN_LOGIN = "302 /admin/login/"
DJANGO_ADMIN_LOGIN = "302 /django-admin/login/"
ALL_200 = {"*": 200}
OWNER_ONLY = {"*": 200, "anon": LOGIN}
# Pages about a business: staff accounts have none (404).
BUSINESS_ONLY = {"*": 200, "anon": LOGIN, "editor": 404, "superuser": 404}
# One of the owner's own storefronts, by slug: another owner gets the same 404 as a stranger.
OWN_STOREFRONT = {"*": 200, "anon": LOGIN, "other": 404, "editor": 404, "superuser": 404}

EXPECTED: dict[str, dict[str, int | str]] = {
    "healthz": ALL_200,
    "sitemap.xml": ALL_200,
    "sitemap-<slug:section>.xml": ALL_200,  # a section of the index (sampled: pages)
    "robots.txt": ALL_200,
    "search/": ALL_200,
    "^((?:[\\w\\-]+/)*)$": ALL_200,  # Wagtail pages: the home page
    # Wagtail documents (none exist): 404 for everyone, no private document leaks.
    "documents/^(\\d+)/(.*)$": {"*": 404},
    "documents/authenticate_with_password/<int:restriction_id>/": {"*": 404},
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": {"*": 404},
    # The log-ins: one path, allauth's (see tests/test_login_hardening.py).
    "_util/login/": {"*": 403, "anon": LOGIN},
    "admin/login/": {"*": 403, "anon": LOGIN, "editor": "302 /admin/", "superuser": "302 /admin/"},
    "django-admin/login/": {"*": 403, "anon": LOGIN, "superuser": "302 /django-admin/"},
    # allauth
    "accounts/login/": {"*": "302 /dashboard/", "anon": 200},
    "accounts/signup/": {"*": "302 /dashboard/", "anon": 200},
    "accounts/logout/": {"*": 200, "anon": "302 /"},
    "accounts/inactive/": ALL_200,
    "accounts/reauthenticate/": OWNER_ONLY,
    "accounts/email/": OWNER_ONLY,
    "accounts/confirm-email/": ALL_200,
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": ALL_200,  # "this link is invalid"
    "accounts/password/change/": OWNER_ONLY,
    "accounts/password/set/": {"*": "302 /accounts/password/change/", "anon": LOGIN},
    "accounts/password/reset/": ALL_200,
    "accounts/password/reset/done/": ALL_200,
    "accounts/password/reset/key/done/": ALL_200,
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": ALL_200,  # bad token
    "accounts/login/code/confirm/": {"*": "302 /dashboard/", "anon": LOGIN},  # log-in by code off
    # The owner's dashboard: signed-in users with a business profile; staff accounts (no
    # profile) are offered to create one on /dashboard/ and get 404 on the business pages.
    "dashboard/": OWNER_ONLY,
    "dashboard/profile/": {
        **BUSINESS_ONLY,
        "editor": "302 /dashboard/",
        "superuser": "302 /dashboard/",
    },
    "dashboard/account/delete/": OWNER_ONLY,
    "dashboard/export/": BUSINESS_ONLY,
    "dashboard/storefront/": BUSINESS_ONLY,
    "dashboard/storefront/publish/": {"*": 405, "anon": LOGIN},
    "dashboard/storefront/slug-check/": BUSINESS_ONLY,
    "dashboard/storefront/qr.svg": BUSINESS_ONLY,
    "dashboard/storefront/qr.png": BUSINESS_ONLY,
    "dashboard/storefront/stats/": BUSINESS_ONLY,
    "dashboard/storefront/poster/": BUSINESS_ONLY,  # the counter poster, print view
    # Several storefronts (issue 17.2): the list, a new one (over the plan's limit, as here
    # with one storefront and no plan, GET explains with an upgrade link), and each one's
    # pages by slug: the owner's own, 404 for anyone else (another owner included).
    "dashboard/storefronts/": BUSINESS_ONLY,
    "dashboard/storefronts/new/": BUSINESS_ONLY,
    "dashboard/storefronts/<slug:slug>/": OWN_STOREFRONT,
    # POST only (GET is 405 before any look-up); another owner's POST is a 404
    # (tests/test_several_storefronts.py).
    "dashboard/storefronts/<slug:slug>/publish/": {"*": 405, "anon": LOGIN},
    "dashboard/storefronts/<slug:slug>/slug-check/": OWN_STOREFRONT,
    "dashboard/storefronts/<slug:slug>/qr.svg": OWN_STOREFRONT,
    "dashboard/storefronts/<slug:slug>/qr.png": OWN_STOREFRONT,
    "dashboard/storefronts/<slug:slug>/stats/": OWN_STOREFRONT,
    "dashboard/storefronts/<slug:slug>/poster/": OWN_STOREFRONT,
    "dashboard/email-preferences/": {"*": 405, "anon": LOGIN},  # the profile page's form posts
    # Public storefront: A's is live (everyone), B's a draft (its owner and is_staff users).
    "storefront/<slug:slug>/": ALL_200,
    "storefront/<slug:slug>/@draft": {"*": 404, "owner": 200, "superuser": 200},
    "storefront/<slug:slug>/go/<int:offer_id>/": {"*": "302 https://studio.mintkit.co.uk/"},
    # A draft's links: only its own owner may try them (docs/SECURITY.md); staff too get 404.
    "storefront/<slug:slug>/go/<int:offer_id>/@draft": {
        "*": 404,
        "owner": "302 https://studio.mintkit.co.uk/",
    },
    # "Add to contacts": a live storefront's card for everyone, a draft's for its owner only.
    "storefront/<slug:slug>/contact.vcf": ALL_200,
    "storefront/<slug:slug>/contact.vcf@draft": {"*": 404, "owner": 200},
    # Billing
    # GET: the plan's confirmation page; anonymous visitors are asked to sign up first.
    "billing/checkout/<slug:plan_slug>/": {**BUSINESS_ONLY, "anon": "302 /accounts/signup/"},
    # Plan change preview: only for a subscriber; others are sent back to the plans.
    "billing/change/<slug:plan_slug>/": {
        "*": "302 /pricing/",
        "anon": LOGIN,
        "editor": 404,
        "superuser": 404,
    },
    "billing/success/": {"*": 404, "anon": LOGIN},  # no checkout session in the URL
    "billing/cancel/": BUSINESS_ONLY,
    "billing/portal/": {"*": 405, "anon": LOGIN},
    # The payment-failed e-mail's "Update your card" (GET): no Stripe customer here → plans.
    "billing/portal/card/": {**BUSINESS_ONLY, "*": "303 /studio/"},
    "billing/webhook/": {"*": 405},
    "studio/": BUSINESS_ONLY,
    "studio/launch/": {"*": "303 /studio/", "anon": LOGIN},  # GET: back to the Studio page
    "api/v1/me/entitlement": {**BUSINESS_ONLY, "anon": 401},
    "api/v1/entitlements/<str:external_id>": {"*": 401},  # the Studio app's bearer key only
    "api/v1/studio/events": {"*": 405},  # POST only, with the Studio app's bearer key
    # Local media: renditions only (no such file here).
    "^media/(?P<path>images/.+)$": {"*": 404},
}

# The vendor admin trees: the rule for every pattern under them, with the few exceptions.
WAGTAIL_ADMIN_RULE = {"anon": ADMIN_LOGIN, "owner": ADMIN_LOGIN, "other": ADMIN_LOGIN}
WAGTAIL_ADMIN_OPEN = {  # not behind Wagtail's admin check
    "admin/password_reset/": {"*": 404},  # off: passwords are reset through allauth
    "admin/password_reset/done/": {"*": 404},
    "admin/password_reset/confirm/<uidb64>/<token>/": {"*": 404},
    "admin/password_reset/complete/": {"*": 404},
    "admin/sprite/": ALL_200,  # the admin's icons
    "admin/jsi18n/": ALL_200,  # the admin's translations
    # Wagtail's deliberate error, to check error reporting: only for those with admin access.
    "admin/failwhale/": {**WAGTAIL_ADMIN_RULE, "editor": 500, "superuser": 500},
}
DJANGO_ADMIN_RULE = {
    "anon": DJANGO_ADMIN_LOGIN,
    "owner": DJANGO_ADMIN_LOGIN,
    "other": DJANGO_ADMIN_LOGIN,
    "editor": DJANGO_ADMIN_LOGIN,
}
DJANGO_ADMIN_OPEN = {
    "django-admin/logout/": {"*": "302 /django-admin/", "superuser": 405},  # POST only
}


# --- walking the URLconf ------------------------------------------------------------------------


def url_patterns():
    """(route, pattern, is_regex) for every view in the URLconf, in resolution order."""

    def walk(resolver, prefix, regex):
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            is_regex = regex or not isinstance(pattern.pattern, RoutePattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route, is_regex)
            elif isinstance(pattern, URLPattern):
                yield route, pattern, is_regex

    seen = set()
    for route, pattern, is_regex in walk(get_resolver(), "", False):
        if route not in seen:  # a route defined twice is served by its first definition
            seen.add(route)
            yield route, pattern, is_regex


# Sample URLs for regex routes (no converters to fill in).
REGEX_SAMPLES = {
    "documents/^(\\d+)/(.*)$": "/documents/{missing}/file.pdf",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": "/accounts/confirm-email/bogus-key/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": (
        "/accounts/password/reset/key/{uidb36}-bogus-key/"
    ),
    "^media/(?P<path>images/.+)$": "/media/images/nothing-here.jpg",
    "^((?:[\\w\\-]+/)*)$": "/",
    "admin/^.*/$": "/admin/nothing-here/",
    "admin/pages/^(?P<pk>\\d+)/revisions/compare/(?P<revision_id_a>live|earliest|\\d+)"
    "\\.\\.\\.(?P<revision_id_b>live|latest|\\d+)/$": (
        "/admin/pages/{missing}/revisions/compare/live...latest/"
    ),
}


def build_url(route: str, is_regex: bool, data: dict) -> str | None:
    """A URL the route matches, with the target owner's objects where it names them."""

    def value(name: str, kind: str) -> str:
        if name in data:
            return str(data[name])
        if kind == "int" or name == "pk" or name.endswith(("_pk", "_id")):
            return str(MISSING)
        if kind == "path":
            return "nothing/here"
        return "nothing-here"

    if route in REGEX_SAMPLES:
        return REGEX_SAMPLES[route].format(**data)
    if is_regex:
        path = route.replace("^", "").replace("$", "").replace("\\Z", "")
        path = re.sub(
            r"\(\?P<(\w+)>([^)]*)\)",
            lambda m: (
                m.group(2).split("|")[0]  # an alternation of words: its first
                if re.fullmatch(r"[\w|]+", m.group(2))
                else value(m.group(1), "int" if "\\d" in m.group(2) else "str")
            ),
            path,
        )
        if re.search(r"[()\\\[\]*+?|]", path):
            return None  # an unnamed group or another construct: add a REGEX_SAMPLES entry
        route = path

    def fill(match):
        converter, _, name = match.group(1).rpartition(":")
        return value(name, converter)

    return "/" + re.sub(r"<([^>]+)>", fill, route)


def expectation_for(route: str, role: str, draft: bool) -> int | str | None:
    if route.startswith("admin/"):
        table = WAGTAIL_ADMIN_OPEN.get(route, WAGTAIL_ADMIN_RULE)
        if route not in WAGTAIL_ADMIN_OPEN and role not in table:
            return "any-but-login"
    elif route.startswith("django-admin/"):
        table = DJANGO_ADMIN_OPEN.get(route, DJANGO_ADMIN_RULE)
        if route not in DJANGO_ADMIN_OPEN and role not in table:
            return "any-but-login"
    else:
        table = (draft and EXPECTED.get(route + "@draft")) or EXPECTED.get(route)
        if table is None:
            return None
    if route in ("admin/login/", "django-admin/login/"):
        table = EXPECTED[route]
    return table.get(role, table.get("*"))


def matches(expected, response) -> bool:
    if expected == "any-but-login":
        location = response.get("Location", "")
        return response.status_code < 500 and "/login/" not in urlsplit(location).path
    if isinstance(expected, int):
        return response.status_code == expected
    status, prefix = expected.split(" ", 1)
    return response.status_code == int(status) and response["Location"].startswith(prefix)


# --- the people and their things --------------------------------------------------------------


@pytest.fixture
def world(db, site_home):
    owners = {}
    for name, live in (("a", True), ("b", False)):
        profile = ProfileFactory(user__email=f"owner-{name}@example.com")
        EmailAddress.objects.create(
            user=profile.user, email=profile.user.email, verified=True, primary=True
        )
        storefront = StorefrontFactory(profile=profile, slug=f"shop-{name}", is_active=live)
        offer = OfferFactory(storefront=storefront)
        owners[name] = {
            "user": profile.user,
            "data": {
                "slug": storefront.slug,
                "offer_id": offer.pk,
                "external_id": getattr(profile, "external_id", profile.pk),
                "uidb36": _uidb36(profile.user),
                "missing": MISSING,
                "plan_slug": "pro",
                "section": "pages",
            },
            "draft": not live,
        }
    SubscriptionPlanFactory(slug="pro")
    editor = UserFactory(email="editor@example.com")
    editor.groups.add(ensure_editors_group())
    superuser = User.objects.create_superuser(email="root@example.com", password=DEFAULT_PASSWORD)
    return {"owners": owners, "editor": editor, "superuser": superuser}


def _uidb36(user) -> str:
    from allauth.account.utils import user_pk_to_url_str

    return user_pk_to_url_str(user)


def _client_for(role: str, world, target: str) -> Client:
    client = Client(raise_request_exception=False)
    user = {
        "anon": None,
        "owner": world["owners"][target]["user"],
        "other": world["owners"]["b" if target == "a" else "a"]["user"],
        "editor": world["editor"],
        "superuser": world["superuser"],
    }[role]
    if user is not None:
        client.force_login(user)
    return client


def _uses_objects(route: str) -> bool:
    return any(name in route for name in ("<slug:slug>", "<int:offer_id>", "external_id", "uidb36"))


# --- the tests --------------------------------------------------------------------------------


def test_every_url_pattern_has_an_expectation():
    missing = []
    for route, _, is_regex in url_patterns():
        in_admin = route.startswith(("admin/", "django-admin/"))
        if not in_admin and route not in EXPECTED:  # the admins: the rule of their tree
            missing.append(route)
        if (
            build_url(
                route,
                is_regex,
                {"slug": "s", "offer_id": 1, "external_id": "e", "uidb36": "1", "missing": MISSING},
            )
            is None
        ):
            missing.append(f"{route} (no sample URL)")
    stale = (
        set(EXPECTED)
        - {r for r, _, _ in url_patterns()}
        - {k for k in EXPECTED if k.endswith("@draft")}
    )
    assert not missing, "URL patterns with no entry in EXPECTED: " + ", ".join(missing)
    assert not stale, f"EXPECTED names routes the URLconf no longer has: {sorted(stale)}"


@pytest.mark.parametrize("role", ROLES)
def test_each_visitor_gets_what_the_table_says_on_every_url(world, role):
    failures = []
    checked = defaultdict(int)
    clients = {}
    for route, _, is_regex in url_patterns():
        targets = ("a", "b") if _uses_objects(route) else ("a",)
        for target in targets:
            draft = world["owners"][target]["draft"]
            expected = expectation_for(route, role, draft)
            if expected is None:
                failures.append(f"{route}: no expectation")
                continue
            url = build_url(route, is_regex, world["owners"][target]["data"])
            client = clients.get(target)
            if client is None or (role != "anon" and "_auth_user_id" not in client.session):
                client = clients[target] = _client_for(role, world, target)
            response = client.get(url)
            checked[route] += 1
            if not matches(expected, response):
                failures.append(
                    f"{route} [{target}] GET {url}: expected {expected!r}, got "
                    f"{response.status_code} {response.get('Location', '')}"
                )
    assert len(checked) > 300
    assert not failures, f"{role}:\n" + "\n".join(failures)
