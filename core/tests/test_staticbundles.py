"""Static bundles (core/staticbundles.py): several static files served as one, always built
from the current sources, for runserver, the test server and collectstatic alike."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command

import pytest

from core.staticbundles import BundleFinder

BUNDLE = {"css/one.css": ["css/storefront.css", "vendor/bootstrap/bootstrap.min.css"]}


@pytest.fixture
def bundles(settings, tmp_path):
    settings.STATIC_BUNDLES = BUNDLE
    settings.STATIC_BUNDLE_ROOT = tmp_path / "bundles"
    return tmp_path


def test_a_bundle_joins_its_sources_in_order_without_source_maps(bundles):
    text = Path(finders.find("css/one.css")).read_text()
    ours, vendor = text.index(".storefront-hero"), text.index(".btn{")
    assert ours < vendor
    assert "sourceMappingURL" not in text
    assert finders.find("css/not-a-bundle.css") is None


def test_a_changed_source_changes_the_bundle(bundles, settings):
    source = bundles / "src" / "css"
    source.mkdir(parents=True)
    (source / "a.css").write_text(".a { color: red; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, bundles / "src"]
    settings.STATIC_BUNDLES = {"css/ab.css": ["css/a.css"]}
    finders.get_finder.cache_clear()
    try:
        assert "red" in Path(finders.find("css/ab.css")).read_text()
        (source / "a.css").write_text(".a { color: blue; }")
        assert "blue" in Path(finders.find("css/ab.css")).read_text()
    finally:
        finders.get_finder.cache_clear()


def test_collectstatic_copies_every_bundle(bundles, settings):
    settings.STATIC_ROOT = bundles / "collected"
    call_command("collectstatic", interactive=False, verbosity=0)
    assert ".storefront-hero" in (bundles / "collected" / "css" / "one.css").read_text()


def test_a_missing_source_is_a_system_check_error(bundles, settings):
    settings.STATIC_BUNDLES = {"css/broken.css": ["css/nowhere.css"]}
    [error] = BundleFinder().check()
    assert error.id == "core.E101" and "css/nowhere.css" in error.msg
