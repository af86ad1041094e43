"""core.pagecache: a stored page is served only while its stamp is current."""

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

import pytest

from core import generations, pagecache

pytestmark = pytest.mark.django_db


def anonymous_get(path="/some/page/", **extra):
    request = RequestFactory().get(path, **extra)
    request.user = AnonymousUser()
    return request


def serve(version, body, *, during_render=None, path="/some/page/"):
    def render():
        if during_render:
            during_render()
        return HttpResponse(body)

    return pagecache.cached_response(anonymous_get(path), version=version, render=render)


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True


def test_a_page_is_replayed_while_its_site_generation_and_version_hold():
    assert serve(("v", 1), "first").content == b"first"
    assert serve(("v", 1), "never rendered").content == b"first"
    assert serve(("v", 2), "second").content == b"second"  # a new version renders
    assert serve(("v", 2), "never rendered").content == b"second"
    generations.site_generation_bump()
    assert serve(("v", 2), "third").content == b"third"


def test_a_page_rendered_while_an_edit_retired_its_generation_is_never_served():
    serve(("v", 1), "old", during_render=generations.site_generation_bump)
    # Stored with the stamp it started under: the next visitor gets a fresh render.
    assert serve(("v", 1), "fresh").content == b"fresh"
    assert serve(("v", 1), "never rendered").content == b"fresh"


def test_one_entry_per_address_however_often_the_page_changes():
    for version in range(5):
        serve(("v", version), f"body {version}")
        generations.site_generation_bump()
    key = pagecache.page_key(anonymous_get())
    assert cache.get(key).body == "body 4"  # overwritten in place, not piled up


def test_tracking_tags_share_the_address_other_parameters_are_not_stored():
    assert pagecache.page_key(anonymous_get("/p/?utm_source=qr")) == pagecache.page_key(
        anonymous_get("/p/")
    )
    search = frozenset({"q"})
    assert pagecache.page_key(anonymous_get("/s/?q=a"), search) != pagecache.page_key(
        anonymous_get("/s/?q=b"), search
    )
    assert serve(("v", 1), "plain").content == b"plain"
    response = pagecache.cached_response(
        anonymous_get("/some/page/?sort=name"),
        version=("v", 1),
        render=lambda: HttpResponse("sorted"),
    )
    assert response.content == b"sorted" and "private" in response["Cache-Control"]
