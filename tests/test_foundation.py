"""The skeleton every page relies on: health check, layout, error pages, settings."""

import subprocess
import sys

from django.db import DatabaseError
from django.test import Client

import pytest

from tests.production_env import env_for_prod, python_in_production

pytestmark = pytest.mark.django_db


def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}


def test_home_page_uses_the_layout_with_navigation(client, site_home):
    html = client.get("/").content.decode()
    for label in ("Home", "Pricing", "Help", "Log in", "Sign up"):
        assert f">{label}<" in html
    assert "Dashboard" not in html  # only for logged-in owners
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html


def test_logged_in_navigation_offers_dashboard_studio_and_log_out(client, site_home):
    from tests.factories import ProfileFactory

    client.force_login(ProfileFactory().user)
    html = client.get("/").content.decode()
    assert 'href="/dashboard/"' in html and 'href="/studio/"' in html
    assert "Log out" in html and "Log in" not in html


def test_404_page_is_in_the_site_layout(client, site_home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"MintKit" in response.content


def test_500_page_is_in_the_site_layout(rf):
    from mintkit.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_messages_show_as_dismissible_alerts(site_home):
    from django.contrib import messages
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    from django.contrib.messages.storage.fallback import FallbackStorage

    request.session = {}
    request._messages = FallbackStorage(request)
    messages.error(request, "Card declined.")
    html = render_to_string("includes/messages.html", {"messages": request._messages})
    assert "alert-danger alert-dismissible" in html and "Card declined." in html


def _production_check(env_overrides: dict, unset: tuple = ()) -> subprocess.CompletedProcess:
    env = {**env_for_prod(), **env_overrides}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for Playwright only
    for name in unset:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _production_check({"DEBUG": "1"})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "missing",
    [
        "SECRET_KEY",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "STRIPE_SECRET_KEY",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_WEBHOOK_SECRET",
    ],
)
def test_production_refuses_to_start_without_a_required_variable(missing):
    result = _production_check({}, unset=(missing,))
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_never_runs_with_debug():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = python_in_production(code, {**env_for_prod(), "DEBUG": "1"})
    assert result.stdout.strip() == "False", result.stderr


def test_seed_demo_is_idempotent(site_home):
    from django.core.management import call_command

    from wagtail.models import Site

    from home.models import HomePage

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert HomePage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page.specific == HomePage.objects.get()
    assert Client().get("/").status_code == 200


def test_production_never_imports_the_stripe_emulator():
    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import mintkit.wsgi; "
        "print(sorted(m for m in sys.modules if m.startswith('stripe_emulator')))"
    )
    result = python_in_production(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_only_resized_renditions_are_served_never_the_original_upload(client, settings):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="logo", file=get_test_image_file())
    rendition = image.get_rendition("fill-50x50")
    assert client.get(rendition.url).status_code == 200
    original = settings.MEDIA_URL + image.file.name
    assert image.file.name.startswith("original_images/")
    assert client.get(original).status_code == 404


def test_django_admin_is_for_superusers_only(client):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get("/django-admin/").status_code == 302  # sent to the admin log-in

    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/django-admin/").status_code == 200


def test_redis_url_switches_the_cache_to_redis():
    import os

    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.set('mintkit-probe', 'ok', 5); "
        "from django.core.cache import caches; "
        "print(type(caches['default']).__name__, cache.get('mintkit-probe'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mintkit.settings.test",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == ["RedisCache", "ok"], result.stderr[-2000:]
