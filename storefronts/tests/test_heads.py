"""The cached slug → page version lookup (storefronts/heads.py), through real commits.

A cached visit reads the slug's head from the cache instead of the database, so every way a
storefront changes must reach the head once the change commits — and a visit that read the
row just before the commit must not put the old head back.
"""

import threading
import warnings

from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning
from django.db import connection, transaction

import pytest

from storefronts import heads
from storefronts.models import Storefront
from storefronts.services import storefronts_touch_for_profile
from storefronts.tests.factories import BROWSER_UA, StorefrontFactory

pytestmark = pytest.mark.django_db(transaction=True)


def visit(client, slug):
    return client.get(f"/storefront/{slug}/", HTTP_USER_AGENT=BROWSER_UA)


def cached_visit(client, slug):
    """Two visits: the second comes from the page cache through the slug's head."""
    visit(client, slug)
    response = visit(client, slug)
    assert isinstance(cache.get(heads.head_key(slug)), tuple)
    return response


def test_an_edit_shows_at_once_on_a_cached_page(client):
    storefront = StorefrontFactory(slug="mint-co", headline="Old headline")
    assert "Old headline" in cached_visit(client, "mint-co").text
    storefront.headline = "New headline"
    storefront.save()  # committed: no test transaction around it
    response = visit(client, "mint-co")
    assert "New headline" in response.text and "Old headline" not in response.text


def test_a_renamed_storefront_redirects_from_its_old_cached_address_at_once(client):
    storefront = StorefrontFactory(slug="old-name")
    assert cached_visit(client, "old-name").status_code == 200
    storefront.slug = "new-name"
    storefront.save()
    assert cache.get(heads.head_key("old-name")) == heads.UNPUBLISHED
    response = visit(client, "old-name")
    # No slug history in this save (the editor keeps it): the old address is simply gone.
    assert response.status_code == 404
    assert visit(client, "new-name").status_code == 200


def test_unpublish_delete_and_republish_reach_the_cached_head_at_once(client):
    storefront = StorefrontFactory(slug="on-off")
    cached_visit(client, "on-off")
    storefront.is_active = False
    storefront.save()
    assert visit(client, "on-off").status_code == 404
    storefront.is_active = True
    storefront.save()
    assert visit(client, "on-off").status_code == 200
    storefront.delete()
    assert visit(client, "on-off").status_code == 404


def test_a_rolled_back_edit_leaves_the_page_as_it_was(client):
    storefront = StorefrontFactory(slug="steady", headline="Kept headline")
    cached_visit(client, "steady")

    def failed_edit():
        with transaction.atomic():
            storefront.headline = "Never committed"
            storefront.save()
            raise RuntimeError("the owner's request failed")

    with pytest.raises(RuntimeError):
        failed_edit()
    response = cached_visit(client, "steady")
    assert "Kept headline" in response.text and "Never committed" not in response.text


def test_a_profile_change_shown_on_the_storefront_reaches_the_cached_page(client):
    storefront = StorefrontFactory(slug="inherits", contact_email="", phone="")
    profile = storefront.profile
    cached_visit(client, "inherits")
    before = cache.get(heads.head_key("inherits"))
    profile.contact_email = "new-desk@example.com"
    profile.save()  # storefronts_touch_for_profile: a queryset update, no post_save
    after = cache.get(heads.head_key("inherits"))
    assert isinstance(after, tuple) and after != before
    assert "new-desk@example.com" in visit(client, "inherits").text
    assert storefronts_touch_for_profile(profile=profile) == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a visit beside an open write transaction needs PostgreSQL (CI runs on it)",
)
def test_a_visit_that_read_the_row_before_an_edit_committed_cannot_restore_the_old_head(client):
    storefront = StorefrontFactory(slug="racing", headline="Before the edit")
    cached_visit(client, "racing")
    seen: list[str] = []

    def visit_meanwhile():
        from django.db import connections
        from django.test import Client

        try:
            seen.append(visit(Client(), "racing").text)
        finally:
            connections.close_all()

    with transaction.atomic():
        storefront.headline = "After the edit"
        storefront.save()  # the head is forgotten now, rewritten after the commit
        other = threading.Thread(target=visit_meanwhile)
        other.start()
        other.join(30)
        # The visit read the committed (old) row and put that head back meanwhile.
        assert "Before the edit" in seen[0]
        assert cache.get(heads.head_key("racing"))[1] < storefront.updated_at.timestamp()
    head = cache.get(heads.head_key("racing"))
    assert head[1] == Storefront.objects.get(pk=storefront.pk).updated_at.timestamp()
    assert "After the edit" in visit(client, "racing").text


def test_a_visit_does_not_overwrite_a_head_an_edit_wrote(client):
    storefront = StorefrontFactory(slug="first-wins")
    storefront.save()  # the commit writes the head
    written = cache.get(heads.head_key("first-wins"))
    stale = (*written[:1], written[1] - 60, *written[2:])
    cache.set(heads.head_key("first-wins"), stale)
    # A head already there is never replaced by a visit's lookup (cache.add).
    heads.head_add(Storefront.objects.get(slug="first-wins"))
    assert cache.get(heads.head_key("first-wins")) == stale


def test_a_rename_of_a_storefront_loaded_from_the_database_retires_its_old_head(client):
    storefront = StorefrontFactory(slug="before-rename")
    cached_visit(client, "before-rename")
    loaded = Storefront.objects.get(pk=storefront.pk)  # as the editor and the admin load it
    loaded.slug = "after-rename"
    loaded.save()
    assert cache.get(heads.head_key("before-rename")) == heads.UNPUBLISHED
    assert visit(client, "before-rename").status_code == 404
    assert visit(client, "after-rename").status_code == 200
    loaded.slug = "third-name"  # the same instance again: it renames from "after-rename"
    loaded.save()
    assert cache.get(heads.head_key("after-rename")) == heads.UNPUBLISHED


class _SlowSetMany:
    """The real cache, but the first ``set_many`` lets ``meanwhile`` run first: a worker
    whose head refresh has read the row and loses the CPU before writing it."""

    def __init__(self, real, meanwhile):
        self.real, self.meanwhile = real, meanwhile

    def __getattr__(self, name):
        return getattr(self.real, name)

    def set_many(self, *args, **kwargs):
        if self.meanwhile:
            meanwhile, self.meanwhile = self.meanwhile, None
            meanwhile()
        return self.real.set_many(*args, **kwargs)


def test_an_edits_late_head_refresh_cannot_republish_a_storefront_unpublished_meanwhile(
    client, monkeypatch
):
    from storefronts import services

    storefront = StorefrontFactory(slug="two-commits", headline="First edit")
    visit(client, "two-commits")

    def meanwhile():
        # A visitor renders the edited page, then another request unpublishes it.
        assert visit(client, "two-commits").status_code == 200
        services.storefront_set_active(
            storefront=Storefront.objects.get(pk=storefront.pk), active=False
        )

    monkeypatch.setattr(heads, "cache", _SlowSetMany(cache, meanwhile))
    storefront.headline = "Second edit"
    storefront.save()  # its refresh holds the row until its heads are written
    monkeypatch.undo()

    assert not Storefront.objects.get(pk=storefront.pk).is_active
    assert cache.get(heads.head_key("two-commits")) == heads.UNPUBLISHED
    assert visit(client, "two-commits").status_code == 404


@pytest.mark.parametrize("slug", ["x" * 3000, "Mint-Co", "a_b", "0", "-"])
def test_a_hostile_or_unknown_slug_is_a_404_or_a_redirect_and_caches_no_head(client, slug):
    StorefrontFactory(slug="mint-co")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # no cache key past memcached's 250
        response = visit(client, slug)
    assert response.status_code in (301, 404)
    if len(slug) <= heads.SLUG_MAX_LENGTH:
        assert cache.get(heads.head_key(slug)) is None
