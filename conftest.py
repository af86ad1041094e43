"""Project-wide pytest fixtures: the browser harness and shared factories.

Browser tests take the ``page`` fixture: a fresh Playwright page on a live server,
driving a real Chromium. The browser is found in this order: ``CHROMIUM_PATH``,
``/usr/bin/chromium``, Playwright's own installed browser. With none, browser
tests are skipped with a message saying how to get one — unless
``REQUIRE_BROWSER=1``, which turns a missing browser into a failure (CI sets it).
"""

import os
from pathlib import Path

import pytest

pytest_plugins = ["stripe_emulator.pytest_plugin", "tests.stripe_fixtures"]


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """``--reuse-db`` keeps PostgreSQL's test database, never SQLite's: that one is a file (so
    the real Celery worker test's subprocess can share it), and a transactional test's flush
    (the worker and browser tests) would otherwise carry over, without Wagtail's root page
    and collection, into the next run."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        return False
    return bool(request.config.getvalue("reuse_db"))


# Playwright's sync API runs an event loop in the test thread; the ORM calls our
# tests make between browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOW_TO_GET_A_BROWSER = (
    "No Chromium for browser tests. Install Debian's (`apt-get install -y chromium`), "
    "point CHROMIUM_PATH at one, or run `.venv/bin/playwright install chromium`."
)


def find_browser() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).exists():
            return candidate
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            bundled = pw.chromium.executable_path
    except Exception:  # noqa: BLE001 - any failure means "no bundled browser"
        return None
    return bundled if bundled and Path(bundled).exists() else None


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright):
    path = find_browser()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(HOW_TO_GET_A_BROWSER + " (REQUIRE_BROWSER=1 is set.)")
        pytest.skip(HOW_TO_GET_A_BROWSER)
    browser = _playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, live_server):
    """A new browser page whose relative URLs go to the live test server."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files go to a per-test temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from core import sitecache

    cache.clear()
    sitecache.forget()
    yield
    cache.clear()
    sitecache.forget()


def pytest_collection_modifyitems(config, items):
    # Browser tests are slower; run them last so quick failures show first.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def admin_client(db):
    """A superuser signed in (made by the project's factory; pytest-django's own fixture
    assumes a username field)."""
    from django.test import Client

    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit work (signal receivers, queueing) the test's
    own transaction would otherwise hold back, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def site_home(db):
    """The seeded Wagtail site and home page."""
    from home.seed import ensure_home_page

    return ensure_home_page()


DB_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


def pytest_runtest_call(item):
    """A transactional test ends with a flush of every table, which also deletes the root
    collection Wagtail's migrations created; the owner-image code needs it (as any Wagtail
    site does). Put it back before each database test, whatever order the tests run in (by
    now the test's own database fixtures are set up, so the query runs in its transaction)."""
    if item.get_closest_marker("django_db") or DB_FIXTURES & set(getattr(item, "fixturenames", ())):
        from wagtail.models import Collection

        if not Collection.objects.filter(depth=1).exists():
            Collection.add_root(name="Root")
