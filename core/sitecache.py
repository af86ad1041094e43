"""What a Wagtail page's render reuses between requests, for as long as the site generation
stands.

The page cache (core/pagecache.py) answers anonymous visitors with the whole page. Anyone
else — a logged-in owner, a link with a query string, the first visit after a publish —
gets a render, and most of that render is the same for everyone: the Wagtail ``Site`` that
answers for the host, the site settings, the footer, the page's StreamField body. Those are
kept here, versioned like cached pages by the site generation, which every publish,
unpublish, move, Site change, settings change, plan change and image or document change
replaces (home/signals.py), now and again after the commit:

- ``site_for_request``: the ``Site`` for the request's host and port, remembered in this
  process (a few hosts at most) and unpickled afresh for each request, so nothing one
  request caches on an instance reaches another;
- ``site_settings_for_request``: the same for ``home.SiteSettings`` (footer, announcement);
- ``any_view_restrictions``: whether any page is private at all, so a site without a
  private page skips Wagtail's two privacy queries per page (home/mixins.py);
- ``fragment``: a rendered piece of template (``{% sitefragment %}``,
  core/templatetags/site_fragments.py) in the shared cache, stamped with the generation it
  was rendered under and served only while that generation stands.

Each request reads the generation once for all of these (``generations.request_site_generation``;
a page cache lookup has already read it in the same round trip as the page), and once more
for the privacy check, which Wagtail makes without the request.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Model
from django.http import HttpRequest
from django.http.request import split_domain_port

from wagtail.models import PageViewRestriction, Site

import redis

from .generations import request_site_generation, site_generation

_MEMO_MAX = 64  # (kind, host, port) entries: far more than the hub's few hosts
_MEMO: dict[tuple, tuple[str, bytes]] = {}


def _remembered(key: tuple, token: str, load: Callable[[], Model | None]):
    """A fresh copy of what ``load()`` returned under ``key`` for ``token`` (None too), else
    ``load()``'s answer, remembered. Kept pickled: every request unpickles its own instance,
    so nothing one request caches on it (a related object, a StreamField's blocks) reaches
    another."""
    known = _MEMO.get(key)
    if known is not None and known[0] == token:
        return pickle.loads(known[1])  # noqa: S301 - pickled by this process, just above
    instance = load()
    if len(_MEMO) >= _MEMO_MAX:
        _MEMO.clear()
    _MEMO[key] = (token, pickle.dumps(instance))
    return instance


def forget() -> None:
    """Drop what this process remembers (tests; a new generation has the same effect)."""
    _MEMO.clear()


def _host(request: HttpRequest) -> tuple[str, str]:
    # What Wagtail's Site.find_for_request matches on.
    return split_domain_port(request._get_raw_host())[0], request.get_port()


def site_for_request(request: HttpRequest) -> Site | None:
    """``Site.find_for_request(request)``, without a query while the generation stands.

    Sets Wagtail's own per-request attribute (``request._wagtail_site``, see
    ``Site.find_for_request``), so Wagtail's routing and every later lookup in this request
    use the same instance.
    """
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    token = request_site_generation(request)
    site = _remembered(("site", *_host(request)), token, lambda: Site.find_for_request(request))
    request._wagtail_site = site
    return site


def site_settings_for_request(request: HttpRequest, model: type[Model]):
    """``model.for_request(request)`` for a Wagtail site setting (``home.SiteSettings``),
    without a query while the generation stands; None when the request has no site."""
    attribute = f"_mintkit_{model._meta.label_lower}"
    if hasattr(request, attribute):
        return getattr(request, attribute)
    site = site_for_request(request)
    if site is None:
        return None
    token = request_site_generation(request)
    instance = _remembered(
        ("setting", model._meta.label_lower, site.pk), token, lambda: model.for_site(site)
    )
    setattr(request, attribute, instance)
    return instance


def any_view_restrictions() -> bool:
    """Whether any page has a view restriction (password, log-in, groups). A restriction's
    save or delete replaces the site generation (home/signals.py)."""
    return _remembered(
        ("view-restrictions",), site_generation(), PageViewRestriction.objects.exists
    )


def fragment_key(name: str, site_id: int | None, vary_on: list[str]) -> str:
    raw = json.dumps([name, site_id, vary_on])
    return "sitecache:fragment:" + hashlib.sha256(raw.encode()).hexdigest()


def fragment(request: HttpRequest, name: str, vary_on: list[str], render: Callable[[], str]) -> str:
    """The HTML ``render()`` makes, from the shared cache while the site generation it was
    rendered under stands.

    Never stored: HTML that holds this response's CSP nonce or a CSRF token (they are per
    visitor), or a page preview's. ``vary_on``: whatever else the HTML depends on (the page's
    ``cache_key``, the year).
    """
    if not settings.PAGE_CACHE_ENABLED or getattr(request, "is_preview", False):
        return render()
    try:
        site = site_for_request(request)
        key = fragment_key(name, site.pk if site else None, vary_on)
        token = request_site_generation(request)
        stored = cache.get(key)
    except (DatabaseError, redis.RedisError, OSError):
        # The error page shares the layout: it still renders while a service is down.
        return render()
    if stored is not None and stored[0] == token:
        return stored[1]
    html = render()
    nonce = getattr(request, "_csp_nonce", None)
    per_visitor = (isinstance(nonce, str) and nonce in html) or "csrfmiddlewaretoken" in html
    if not per_visitor:
        with contextlib.suppress(redis.RedisError, OSError):  # not kept; the page renders
            cache.set(key, (token, str(html)), settings.PAGE_CACHE_SECONDS)
    return html
