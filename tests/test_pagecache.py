"""The whole-page cache on the Wagtail pages (home, pricing, help) and what invalidates it.

The storefront side is in storefronts/tests/test_pagecache.py.
"""

import io
import re

from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from billing.tests.factories import SubscriptionPlanFactory
from core import generations, pagecache
from home import seed
from home.models import HelpPage, SiteSettings, StandardPage
from storefronts.tests.factories import StorefrontFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["/", "/pricing/", "/help/", "/help/getting-started/", "/about/"]


@pytest.fixture
def site(db):
    seed.run(stdout=io.StringIO())


def queries(client, url, **kwargs):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    return response, len(captured)


def test_every_public_page_is_served_from_the_cache_with_validators(client, site):
    for url in PAGES:
        first, cold = queries(client, url)
        second, warm = queries(client, url)
        assert first.status_code == second.status_code == 200
        assert warm == 0 < cold, url  # answered before Wagtail even routes the request
        assert first.text.replace(nonce(first), "") == second.text.replace(nonce(second), "")
        for response in (first, second):
            control = set(response["Cache-Control"].split(", "))
            assert control == {"public", "max-age=0", "s-maxage=300"}
            assert "Cookie" in response["Vary"]
            assert nonce(response) in response["Content-Security-Policy"]
        assert nonce(first) != nonce(second)
        assert first["ETag"] == second["ETag"]
        not_modified = client.get(url, HTTP_IF_NONE_MATCH=second["ETag"])
        assert not_modified.status_code == 304
        assert "Content-Security-Policy" not in not_modified


def nonce(response) -> str:
    (value,) = set(re.findall(r'nonce="([^"]+)"', response.text))
    return value


def test_publish_unpublish_and_move_show_at_once_on_every_page(client, site):
    storefront = StorefrontFactory()
    for url in [*PAGES, storefront.get_absolute_url()]:
        client.get(url)  # all cached
    article = HelpPage.objects.get(slug="getting-started")
    article.title = "Start here, freshly published"
    article.save_revision().publish()
    assert "Start here, freshly published" in client.get("/help/").text
    assert "Start here, freshly published" in client.get("/help/getting-started/").text

    # A new page in the menu shows on every hub page at once. A storefront is the
    # business's own page, without the hub's menu (issue 16).
    about = StandardPage.objects.get(slug="about")
    new = StandardPage(title="Careers", slug="careers", show_in_menus=True)
    about.get_parent().add_child(instance=new)
    new.save_revision().publish()
    for url in ["/", "/pricing/"]:
        assert ">Careers</a>" in client.get(url).text, url
    assert ">Careers</a>" not in client.get(storefront.get_absolute_url()).text

    new.move(about, pos="last-child")
    assert ">Careers</a>" not in client.get("/").text
    assert client.get("/about/careers/").status_code == 200

    article.unpublish()
    assert client.get("/help/getting-started/").status_code == 404
    assert "Start here, freshly published" not in client.get("/help/").text


def test_site_settings_and_plan_changes_show_at_once(client, site):
    storefront = StorefrontFactory()
    plan = SubscriptionPlanFactory(name="Pro")
    for url in ["/", "/pricing/", storefront.get_absolute_url()]:
        client.get(url)
    settings = SiteSettings.objects.get()
    settings.announcement_enabled = True
    settings.announcement_text = "Spring sale on now"
    settings.footer_text = "Now open on Sundays"
    settings.save()
    for url in ["/", "/pricing/"]:
        assert "Spring sale on now" in client.get(url).text, url
        assert "Now open on Sundays" in client.get(url).text, url
    # A storefront is the business's own page: no hub announcement or footer (issue 16).
    page = client.get(storefront.get_absolute_url()).text
    assert "Spring sale on now" not in page and "Now open on Sundays" not in page

    plan.name = "Professional plus"
    plan.save()
    assert "Professional plus" in client.get("/pricing/").text


def test_logged_in_visitors_get_private_fresh_pages_and_fill_nothing(client, site):
    member = Client()
    member.force_login(UserFactory())
    for url in PAGES:
        mine = member.get(url)
        assert "Log out" in mine.text and 'href="/dashboard/"' in mine.text
        assert set(mine["Cache-Control"].split(", ")) == {"private", "no-cache"}
        theirs, cold = queries(client, url)
        assert cold > 0  # the member's visit stored nothing
        assert "Log out" not in theirs.text and "csrfmiddlewaretoken" not in theirs.text
        queries(client, url)
        mine = member.get(url)
        assert "Log out" in mine.text and "private" in mine["Cache-Control"]


def test_a_waiting_message_is_shown_once_and_never_cached(client, site):
    client.get("/")  # cached without the message
    client.force_login(UserFactory())
    client.post("/accounts/logout/")  # "You have logged out."
    shown = client.get("/")
    assert "logged out" in shown.text
    assert "private" in shown["Cache-Control"]
    gone = client.get("/")
    assert "logged out" not in gone.text
    assert "public" in gone["Cache-Control"]
    assert "logged out" not in Client().get("/").text


def test_a_private_page_is_neither_served_from_nor_put_in_the_cache(client, site):
    client.get("/about/")
    about = StandardPage.objects.get(slug="about")
    PageViewRestriction.objects.create(page=about, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/about/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    member = Client()
    member.force_login(UserFactory())
    assert member.get("/about/").status_code == 200
    assert client.get("/about/").status_code == 302


def test_a_response_that_used_a_csrf_token_or_set_a_cookie_is_not_stored(client):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.cache import SessionStore

    renders = []

    def request():
        req = RequestFactory().get("/form/")
        req.user = AnonymousUser()
        req.session = SessionStore()
        req._messages = FallbackStorage(req)
        return req

    def with_token(req):
        def render():
            renders.append(1)
            return HttpResponse(f"<form>{get_token(req)}</form>")

        return render

    def with_cookie():
        renders.append(1)
        response = HttpResponse("hello")
        response.set_cookie("seen", "1")
        return response

    for _ in range(2):
        req = request()
        response = pagecache.cached_response(req, version=("t",), render=with_token(req))
        assert "private" in response["Cache-Control"]
    for _ in range(2):
        pagecache.cached_response(request(), version=("c",), render=with_cookie)
    assert len(renders) == 4  # rendered every time: nothing was stored


def test_pages_one_release_stored_are_never_served_by_the_next(client, site, settings):
    """A deploy's pages link to its CSS and JS by hashed name, which the next one drops."""
    for url in PAGES:
        client.get(url)  # stored by this release
    settings.PAGE_CACHE_RELEASE = "the-next-deploy"
    for url in PAGES:
        response, cold = queries(client, url)
        assert response.status_code == 200 and cold > 0, url  # rendered by the new release
        _again, warm = queries(client, url)
        assert warm == 0, url  # and cached for it


def test_the_release_changes_with_the_static_files_manifest(settings, tmp_path):
    releases = set()
    for version in ("1", "2"):
        root = tmp_path / version
        root.mkdir()
        manifest = {"paths": {"css/site.css": f"css/site.{version}.css"}, "version": "1.1"}
        (root / "staticfiles.json").write_text(str(manifest))
        settings.STATIC_ROOT = root
        releases.add(generations.release())
    assert len(releases) == 2


def test_a_hit_for_a_page_this_process_has_routed_skips_url_resolution(client, site, monkeypatch):
    from django.core.handlers.base import BaseHandler

    resolved = []
    resolve = BaseHandler.resolve_request
    monkeypatch.setattr(
        BaseHandler, "resolve_request", lambda self, r: resolved.append(r.path) or resolve(self, r)
    )
    client.get("/help/")  # routed and stored
    client.get("/help/")  # a hit, looked up before routing (the path is Wagtail's)
    assert resolved == ["/help/"]
    client.force_login(UserFactory())
    assert "Log out" in client.get("/help/").text  # logged in: routed and rendered as ever
    assert resolved == ["/help/", "/help/"]


def test_without_a_configured_commit_the_release_follows_the_code_and_templates(tmp_path, settings):
    from core.generations import _release

    templates = tmp_path / "templates"
    templates.mkdir()
    page = templates / "page.html"
    page.write_text("<p>one</p>")
    (tmp_path / "requirements.txt").write_text("Django==5.2.19\n")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
    releases = [_release("", str(tmp_path / "static"), str(tmp_path))]
    page.write_text("<p>two</p>")  # a template-only deploy
    _release.cache_clear()
    releases.append(_release("", str(tmp_path / "static"), str(tmp_path)))
    (tmp_path / "requirements.txt").write_text("Django==5.2.20\n")  # a dependency upgrade
    _release.cache_clear()
    releases.append(_release("", str(tmp_path / "static"), str(tmp_path)))
    assert len(set(releases)) == 3
    # A configured commit is taken as it is (no files read).
    assert _release("abc123", str(tmp_path / "static"), str(tmp_path)).startswith("abc123/")
