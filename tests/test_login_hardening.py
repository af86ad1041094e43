"""Log-in hardening (issue 10, point 1): one rate-limited log-in path for everyone.

Every URL that takes a password to log someone in is found from the URLconf; each gets 30 wrong
passwords and then the right one, which must be refused. The limits are keyed on the client's
real IP behind the router (``ALLAUTH_TRUSTED_PROXY_COUNT``) and live in the shared cache, so a
second web process (a real second Python process on the same Redis) sees the same counts.
"""

import json
import os
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver

import pytest
import redis
from allauth.account.models import EmailAddress

from accounts.models import User
from mintkit.settings import base as base_settings
from tests.factories import DEFAULT_PASSWORD, ProfileFactory
from tests.production_env import PRODUCTION_ENV

REPO = Path(__file__).resolve().parent.parent
REDIS_HOST_PORT = "127.0.0.1:6379"
REDIS_DB = 13  # this file's own Redis database number
WRONG = [f"wrong-password-{n}" for n in range(30)]

# Every log-in URL the project exposes, and what it does with a POST of credentials.
LOGIN_URLS = {
    "/accounts/login/": "allauth",
    "/admin/login/": "redirect",
    "/django-admin/login/": "redirect",
    "/_util/login/": "redirect",  # Wagtail's log-in for private pages
    # allauth's log-in by code (off): without a code pending it only redirects.
    "/accounts/login/code/confirm/": "code",
}


def _walk(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def _is_login_view(route: str, pattern: URLPattern) -> bool:
    from django.contrib.auth.views import LoginView as DjangoLoginView

    from allauth.account.views import LoginView as AllauthLoginView

    view_class = getattr(pattern.callback, "view_class", None)
    if view_class and issubclass(view_class, DjangoLoginView | AllauthLoginView):
        return True
    return "login" in route.lower() or "login" in (pattern.name or "").lower()


def login_routes() -> set[str]:
    routes = set()
    for route, pattern in _walk(get_resolver()):
        if _is_login_view(route, pattern) and "<" not in route and "(?P" not in route:
            routes.add("/" + route.lstrip("^").rstrip("$").replace("\\Z", ""))
    return routes


@pytest.fixture
def rate_limits(settings):
    """The project's real rate limits (the test settings switch them off)."""
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield settings
    cache.clear()


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser(email="root@example.com", password=DEFAULT_PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _credentials(email: str, password: str) -> dict:
    # Every field name a log-in form of Django, Wagtail or allauth reads.
    return {"login": email, "username": email, "email": email, "password": password}


def _too_many(response) -> bool:
    """allauth's refusal: the form's error, or a 429 once the per-IP request limit is hit."""
    html = response.content.decode().lower()
    return response.status_code == 429 or "too many failed login attempts" in html


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_every_login_url_in_the_urlconf_is_covered_here():
    """A new log-in URL (an allauth feature switched on, a new admin) fails until added above."""
    assert login_routes() == set(LOGIN_URLS)


@pytest.mark.parametrize("url", sorted(LOGIN_URLS))
@pytest.mark.django_db
def test_30_wrong_passwords_then_the_right_one_is_refused(client, rate_limits, superuser, url):
    for password in WRONG:
        response = client.post(url, _credentials(superuser.email, password))
        assert response.status_code in (200, 302, 303, 429), (url, response.status_code)
        assert not _logged_in(client)
    response = client.post(url, _credentials(superuser.email, DEFAULT_PASSWORD))
    assert not _logged_in(client), url
    if LOGIN_URLS[url] == "allauth":
        assert _too_many(response)
    elif LOGIN_URLS[url] == "code":
        assert response.status_code in (302, 429)
    else:
        # The admins' own forms take no password at all: 303 to allauth's log-in.
        assert response.status_code == 303
        assert response["Location"].startswith("/accounts/login/?next=")
    assert client.get("/admin/").status_code == 302
    assert client.get("/django-admin/").status_code == 302


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/", "/_util/login/"])
@pytest.mark.django_db
def test_an_admin_login_form_never_authenticates_even_the_right_password(client, superuser, url):
    response = client.post(url, _credentials(superuser.email, DEFAULT_PASSWORD))
    assert response.status_code == 303
    assert not _logged_in(client)
    # Nor an owner: no site session outside allauth's e-mail checks.
    owner = ProfileFactory().user
    client.post(url, _credentials(owner.email, DEFAULT_PASSWORD))
    assert not _logged_in(client)


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("/admin/login/", "/admin/"),
        ("/django-admin/login/", "/django-admin/"),
        ("/_util/login/", "/"),
    ],
)
@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "patch"])
@pytest.mark.django_db
def test_admin_login_urls_send_every_method_to_allauth(client, url, home, method):
    response = getattr(client, method)(url)
    assert response.status_code in (302, 303)
    assert response["Location"] == "/accounts/login/?next=" + home.replace("/", "%2F")


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"],
)
@pytest.mark.django_db
def test_admin_login_redirect_refuses_foreign_next(client, next_url):
    response = client.get("/admin/login/", {"next": next_url})
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_signed_in_non_staff_gets_403_not_a_second_login_form(client):
    owner = ProfileFactory().user
    client.force_login(owner)
    assert client.get("/admin/login/").status_code == 403
    assert (
        client.post("/django-admin/login/", {"username": "x", "password": "y"}).status_code == 403
    )


@pytest.mark.django_db
def test_staff_editor_logs_in_to_the_wagtail_admin_through_allauth(client, rate_limits):
    from django.contrib.auth.models import Permission

    editor = User.objects.create_user(email="editor@example.com", password=DEFAULT_PASSWORD)
    editor.is_staff = False  # Wagtail admin access is a permission, not Django's is_staff
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    editor.save()
    EmailAddress.objects.create(user=editor, email=editor.email, verified=True, primary=True)

    # /admin/… → /admin/login/?next=… (WAGTAILADMIN_LOGIN_URL) → allauth's log-in.
    first = client.get("/admin/pages/")
    assert first.status_code == 302
    assert first["Location"] == "/admin/login/?next=/admin/pages/"
    second = client.get(first["Location"])
    assert second["Location"] == "/accounts/login/?next=%2Fadmin%2Fpages%2F"
    page = client.get(second["Location"])
    assert page.status_code == 200
    response = client.post(
        second["Location"], {"login": editor.email, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/").status_code == 200
    # Signed in, the old admin log-in URL just goes on to the admin.
    assert client.get("/admin/login/")["Location"] == "/admin/"


@pytest.mark.django_db
def test_a_signed_in_owner_at_the_admins_gets_403_not_a_redirect_loop(client):
    client.force_login(ProfileFactory().user)
    for start in ("/admin/", "/admin/pages/", "/django-admin/"):
        response = client.get(start, follow=True)
        assert response.status_code == 403, start
        assert len(response.redirect_chain) <= 2, start


@pytest.mark.django_db
def test_superuser_reaches_the_django_admin_through_allauth(client, superuser):
    first = client.get("/django-admin/")
    assert first.status_code == 302
    second = client.get(first["Location"])
    assert second["Location"] == "/accounts/login/?next=%2Fdjango-admin%2F"
    response = client.post(
        second["Location"], {"login": superuser.email, "password": DEFAULT_PASSWORD}
    )
    assert response["Location"] == "/django-admin/"
    assert client.get("/django-admin/").status_code == 200


def test_wagtail_password_and_email_pages_are_off(admin_client):
    # Passwords and addresses change through allauth (rate limits, verification).
    assert admin_client.get("/admin/password_reset/").status_code == 404
    for url in ("/admin/account/",):
        html = admin_client.get(url).content.decode()
        assert 'name="password_new_password1"' not in html
        assert 'name="email-email"' not in html


# --- the client IP behind the router -----------------------------------------------------------


@pytest.mark.django_db
def test_rotating_a_spoofed_x_forwarded_for_does_not_escape_the_ip_limit(client, rate_limits):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # production: Heroku's router
    router_seen_ip = "203.0.113.7"
    # 30 wrong passwords on 30 different accounts (so only the per-IP limit can bite), each with
    # a different forged address in front of the one the router appends.
    for n, password in enumerate(WRONG):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.com", "password": password},
            headers={"x-forwarded-for": f"198.51.100.{n}, {router_seen_ip}"},
        )
    owner = ProfileFactory().user
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    refused = client.post(
        "/accounts/login/",
        {"login": owner.email, "password": DEFAULT_PASSWORD},
        headers={"x-forwarded-for": f"10.9.9.9, {router_seen_ip}"},
    )
    assert not _logged_in(client)
    assert _too_many(refused)
    # The owner, from their own address, is not locked out by someone else's guessing.
    allowed = client.post(
        "/accounts/login/",
        {"login": owner.email, "password": DEFAULT_PASSWORD},
        headers={"x-forwarded-for": "192.0.2.44"},
    )
    assert allowed.status_code == 302
    assert _logged_in(client)


@pytest.mark.django_db
def test_30_addresses_guessing_one_account_are_refused_on_the_account_key(client, rate_limits):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    owner = ProfileFactory().user
    for n, password in enumerate(WRONG):
        client.post(
            "/accounts/login/",
            {"login": owner.email.upper(), "password": password},
            headers={"x-forwarded-for": f"198.51.100.{n}"},
        )
    refused = client.post(
        "/accounts/login/",
        {"login": owner.email, "password": DEFAULT_PASSWORD},
        headers={"x-forwarded-for": "192.0.2.99"},
    )
    assert not _logged_in(client)
    assert _too_many(refused)


@pytest.mark.parametrize(
    "forwarded", ["not-an-ip", "203.0.113.7, ", "::::::", "\x00", "1.2.3.4:80, [::1]:443"]
)
@pytest.mark.django_db
def test_hostile_x_forwarded_for_is_a_4xx_or_ordinary_never_a_500(client, rate_limits, forwarded):
    rate_limits.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/accounts/login/",
        {"login": "x@example.com", "password": "wrong"},
        headers={"x-forwarded-for": forwarded},
    )
    assert response.status_code in (200, 403, 429)


def test_production_trusts_one_proxy_and_the_env_can_change_it(monkeypatch):
    env = PRODUCTION_ENV
    code = (
        "import importlib, json; m = importlib.import_module('mintkit.settings.production');"
        "print(json.dumps([m.ALLAUTH_TRUSTED_PROXY_COUNT, m.WAGTAILADMIN_LOGIN_URL]))"
    )

    def run(extra):
        out = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code],
            env={**os.environ, **env, **extra},
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])

    assert run({}) == [1, "/admin/login/"]
    assert run({"ALLAUTH_TRUSTED_PROXY_COUNT": "2"})[0] == 2


# --- two web processes sharing Redis --------------------------------------------------------------

SECOND_PROCESS = textwrap.dedent(
    """
    import json, os, sys
    import django
    from django.conf import settings

    settings.CACHES["default"]["KEY_PREFIX"] = sys.argv[1]
    # A web process as deployed: the project's rate limits (the test settings turn them off).
    from mintkit.settings import base
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from accounts.models import User
    from allauth.account.models import EmailAddress
    from django.contrib.sessions.models import Session

    setup_test_environment()
    # This process has its own (empty) database: only the tables a log-in reads.
    with connection.schema_editor() as editor:
        for model in (User, EmailAddress, Session):
            editor.create_model(model)
    user = User.objects.create_user(email=sys.argv[2], password=sys.argv[3])
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    client = Client()
    results = []
    for password in ["wrong-a", "wrong-b", sys.argv[3]]:
        html = client.post(
            "/accounts/login/", {"login": user.email, "password": password}
        ).content.decode().lower()
        results.append({
            "too_many": "too many failed login attempts" in html,
            "logged_in": "_auth_user_id" in client.session,
        })
    print(json.dumps({"cache": settings.CACHES["default"]["BACKEND"], "results": results}))
    """
)


@pytest.fixture
def shared_redis(settings):
    """This process's cache on Redis, as a web process with REDIS_URL set has it."""
    url = f"redis://{REDIS_HOST_PORT}/{REDIS_DB}"
    connection = redis.Redis.from_url(url)
    connection.ping()  # Redis is part of the test environment: fail loudly, never skip
    prefix = f"mintkit-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS
    yield url, prefix
    for key in connection.scan_iter(f"{prefix}:*"):
        connection.delete(key)


@pytest.mark.django_db
def test_the_failed_login_limit_holds_across_two_processes_sharing_redis(
    client, shared_redis, tmp_path
):
    url, prefix = shared_redis
    limit = int(base_settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")[1].split("/")[0])
    assert limit == 5
    owner = ProfileFactory(user__email="shared@example.com").user
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)

    # This process: three wrong passwords.
    for password in WRONG[:3]:
        response = client.post("/accounts/login/", {"login": owner.email, "password": password})
        assert "too many" not in response.content.decode().lower()

    # A second web process: two more wrong ones (still answered normally), then the right one.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mintkit.settings.test",
        "REDIS_URL": url,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'second.sqlite3'}",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SECOND_PROCESS, prefix, owner.email, DEFAULT_PASSWORD],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    second = json.loads(done.stdout.strip().splitlines()[-1])
    assert second["cache"] == "core.cache.RedisCache"
    wrong_a, wrong_b, right = second["results"]
    assert not wrong_a["too_many"] and not wrong_b["too_many"]  # 4th and 5th failures overall
    assert right == {"too_many": True, "logged_in": False}  # the 6th attempt: refused

    # And back in this process the right password is refused as well.
    response = client.post("/accounts/login/", {"login": owner.email, "password": DEFAULT_PASSWORD})
    assert _too_many(response)
    assert not _logged_in(client)
    assert django_settings.CACHES["default"]["KEY_PREFIX"] == prefix


@pytest.mark.django_db
def test_a_createsuperuser_account_confirms_its_address_once_then_reaches_the_admin(
    client, settings
):
    import re

    from django.core import mail
    from django.core.management import call_command

    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"  # dev and production
    call_command("createsuperuser", interactive=False, email="boss@example.com", verbosity=0)
    boss = User.objects.get(email="boss@example.com")
    boss.set_password(DEFAULT_PASSWORD)
    boss.save()
    login = "/accounts/login/?next=%2Fadmin%2F"
    response = client.post(login, {"login": boss.email, "password": DEFAULT_PASSWORD})
    assert not _logged_in(client)
    assert response["Location"] == "/accounts/confirm-email/"
    link = re.search(r"(/accounts/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    client.post(link)
    response = client.post(login, {"login": boss.email, "password": DEFAULT_PASSWORD})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_request_limit_answers_with_a_page_in_the_sites_layout(client, rate_limits, site_home):
    """Past allauth's per-IP request limit the visitor gets a 429 page that says what to do."""
    response = None
    for password in WRONG * 2:
        response = client.post("/accounts/login/", _credentials("who@example.com", password))
        if response.status_code == 429:
            break
    assert response is not None and response.status_code == 429
    html = response.content.decode()
    assert "Too many attempts" in html
    assert "/accounts/password/reset/" in html
    assert "<nav" in html  # the site's layout, not a bare error line
