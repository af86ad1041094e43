"""Whole-response cache for the public pages anonymous visitors see.

The home, pricing, help and other Wagtail pages (through the ``on_serve_page`` hook in
home/wagtail_hooks.py) and the public storefront page (storefronts/public_views.py) hand their
rendering to ``cached_response``. For an anonymous GET with no pending messages the
rendered body is kept in Django's cache (Redis when ``REDIS_URL`` is set) and replayed;
anyone logged in, or with a message waiting, gets a fresh render marked
``private, no-cache`` and never writes to the cache.

Invalidation is by version, never by searching for keys to delete. A page is stored under
its address (``page_key``) with a *stamp*, and served only while the stamp is current:

- the *release* (``release``): pages one deploy stored link to its CSS and JS by their
  hashed names, which the next deploy no longer serves;
- the *site generation*, a random token that ``generations.site_generation_bump``
  replaces whenever something on every page changes (a Wagtail publish, unpublish, move or
  delete, the site settings, a privacy setting, a plan, an image or document; see
  home/signals.py);
- the caller's ``version`` of its own page: a storefront's id, ``updated_at`` (every save,
  publish, unpublish and slug change bumps it) and local date; search's generation and
  query.

A hit reads the generation and the page in one round trip (``cache.get_many``; the
storefront adds its slug's head to the same read), and a newer render overwrites an older
one in place.

What differs per response is cut out of the stored body and put back on each hit:

- the CSP nonce: the body is stored with the nonce it was rendered with, and every hit
  swaps in a fresh one (``request.csp_nonce``), which django-csp then puts in the header;
  the stored nonce itself is never sent again;
- ``holes``: markers the caller renders in place of parts that depend on the moment (the
  storefront's "open now" line) and fills per response.

A response is stored only when it is a 200, set no cookie and used no CSRF token, so a
form's token or a session can never reach another visitor. See docs/PERFORMANCE.md,
"Public page cache".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers

from .generations import (
    _REQUEST_GENERATION,
    GENERATION_KEY,
    _scoped,
    release,
    request_site_generation,
)


@dataclass(frozen=True)
class Entry:
    body: str
    content_type: str
    nonce: str | None  # the nonce the body was rendered with, if it used one
    data: object = None  # what the caller stored with the page to fill its holes on a hit
    stamp: tuple = ()  # the site generation and the caller's version it was rendered under
    etag_base: str = ""  # _etag_base of the body


def _query_is_ignorable(request: HttpRequest, query_params: frozenset[str] = frozenset()) -> bool:
    """Only tracking tags (``?utm_source=qr``), which never change the page, may ride along,
    and the ``query_params`` the caller puts into its version itself (search's ``q``)."""
    ignorable = settings.PAGE_CACHE_IGNORED_QUERY_PARAMS | query_params
    return all(
        name in ignorable
        for name, _value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    )


def _has_messages(request: HttpRequest) -> bool:
    # len() loads the stored messages without marking them read.
    return len(get_messages(request)) > 0


def request_is_cacheable(request: HttpRequest, query_params: frozenset[str] = frozenset()) -> bool:
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and _query_is_ignorable(request, query_params)
        and not _has_messages(request)
    )


def page_key(request: HttpRequest, query_params: frozenset[str] = frozenset()) -> str:
    """Where this request's page is stored: scheme, host and path, and the values of the
    ``query_params`` the page depends on (search's ``q``). What the page shows is checked
    against the entry's stamp on every read, so the key need not change with it."""
    query = sorted(
        (name, value)
        for name, value in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if name in query_params
    )
    raw = json.dumps([request.scheme, request.get_host(), request.path, query])
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()


def _fill(body: str, holes: dict[str, str] | None) -> str:
    for marker, html in (holes or {}).items():
        body = body.replace(marker, html)
    return body


def _etag_base(body: str, nonce: str | None) -> str:
    """A hash of the stored body (holes still as markers) without its nonce, so a body that
    differs only by the nonce keeps its ETag."""
    if nonce:
        body = body.replace(nonce, "")
    return hashlib.sha256(body.encode()).hexdigest()


def _etag(base: str, holes: dict[str, str] | None) -> str:
    """The ETag of a response: the stored body's hash, and what filled its holes."""
    if holes:
        base = hashlib.sha256("\x00".join([base, *holes.values()]).encode()).hexdigest()
    return '"' + base[:32] + '"'


def _mark_public(
    request: HttpRequest, response: HttpResponseBase, etag: str, *, fresh: bool = False
) -> HttpResponseBase:
    """``fresh``: the response is a new one of ours with no caching headers yet, which
    takes them as they are instead of merged (the same values, for less work on a hit)."""
    response["ETag"] = etag
    if fresh:
        response["Cache-Control"] = (
            f"public, max-age={settings.PAGE_CACHE_MAX_AGE}, "
            f"s-maxage={settings.PAGE_CACHE_S_MAXAGE}"
        )
        response["Vary"] = "Cookie"
    else:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE,
            s_maxage=settings.PAGE_CACHE_S_MAXAGE,
        )
        patch_vary_headers(response, ["Cookie"])
    not_modified = get_conditional_response(request, etag=etag, response=response)
    if not_modified is not response:
        # No CSP header on a 304: the browser keeps the one stored with its body, whose
        # nonce matches that body (a fresh header would block its scripts).
        not_modified._csp_exempt = True
        not_modified._csp_exempt_ro = True
        patch_vary_headers(not_modified, ["Cookie"])
    return not_modified


def mark_private(response: HttpResponseBase) -> HttpResponseBase:
    if not response.has_header("Cache-Control") or "no-store" not in response["Cache-Control"]:
        patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        request.method == "GET"
        and response.status_code == 200
        and isinstance(response, HttpResponse)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not request.META.get("CSRF_COOKIE_USED")
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cached_hit(
    request: HttpRequest,
    *,
    version: tuple,
    holes: dict[str, str] | Callable[[object], dict[str, str]] | None = None,
    found: dict | None = None,
    key: str | None = None,
    site_wide: bool = True,
) -> HttpResponseBase | None:
    """The stored page for this request, made fresh (nonce, holes, 304), or None.

    A stored page is served only while its stamp — the site generation and ``version`` it
    was rendered under — is still the current one; both are read in one round trip.
    ``holes`` may be a function of the ``data`` stored with the page (``cached_response``);
    ``found``: the caller's own ``cache.get_many`` of the page's ``key`` (and
    ``GENERATION_KEY`` when ``site_wide``), when it had more to read in the same round trip
    (``key`` defaults to ``page_key(request)``); ``site_wide``: see ``cached_response``.
    """
    key = key or page_key(request)
    if found is None:
        found = cache.get_many([GENERATION_KEY, key] if site_wide else [key])
    entry: Entry | None = found.get(key)
    if site_wide:
        token = _scoped(found.get(GENERATION_KEY))
        if token is not None:
            setattr(request, _REQUEST_GENERATION, token)
    else:
        token = release()
    if entry is None or token is None or entry.stamp != (token, *version):
        return None
    filled = holes(entry.data) if callable(holes) else holes
    body = _fill(entry.body, filled)
    if entry.nonce:
        body = body.replace(entry.nonce, str(request.csp_nonce))
    response = HttpResponse(body, content_type=entry.content_type)
    return _mark_public(request, response, _etag(entry.etag_base, filled), fresh=True)


def cached_response(
    request: HttpRequest,
    *,
    version: tuple,
    render: Callable[[], HttpResponseBase],
    holes: dict[str, str] | None = None,
    shareable: Callable[[], bool] = lambda: True,
    looked_up: bool = False,
    query_params: frozenset[str] = frozenset(),
    timeout: int | None = None,
    data: object = None,
    site_wide: bool = True,
) -> HttpResponseBase:
    """The page for this request: from the cache when it may be, else ``render()``.

    ``version`` identifies what the page shows (beside the site generation, host and path);
    ``holes`` maps markers in the rendered body to this response's HTML for them;
    ``shareable`` is asked before storing (a page behind a password is not);
    ``looked_up``: the caller has already tried ``cached_hit`` for this request;
    ``query_params``: query parameters the caller has put into ``version`` (any other
    parameter, tracking tags apart, bypasses the cache);
    ``timeout``: seconds to keep the page (default ``PAGE_CACHE_SECONDS``);
    ``data``: kept with the page for a ``holes`` function on a hit (picklable);
    ``site_wide``: whether the page shows what is on every hub page (the menu, the footer,
    site settings: the site generation versions it). A storefront's brand-first page shows
    none of it, so a Wagtail publish leaves every storefront's cached page standing.
    """
    if not request_is_cacheable(request, query_params):
        response = render()
        _finish(response, lambda r: _fill_response(r, holes))
        return mark_private(response)

    # The stamp (with the site generation) is fixed before rendering: a page rendered from
    # data an edit is replacing is stored under the generation the edit then retires, and
    # is never served again.
    key = page_key(request, query_params)
    if not looked_up:
        hit = cached_hit(request, version=version, holes=holes, key=key, site_wide=site_wide)
        if hit is not None:
            return hit
    # The caller's lookup (or the one above) read the generation with the page.
    stamp = (request_site_generation(request) if site_wide else release(), *version)

    def store(response):
        storable = _storable(request, response) and shareable()
        if storable:
            nonce = getattr(request, "_csp_nonce", None)
            nonce = nonce if isinstance(nonce, str) else None
            body = response.content.decode(response.charset)
            entry = Entry(
                body=body,
                content_type=response["Content-Type"],
                nonce=nonce,
                data=data,
                stamp=stamp,
                etag_base=_etag_base(body, nonce),
            )
            cache.set(key, entry, settings.PAGE_CACHE_SECONDS if timeout is None else timeout)
        _fill_response(response, holes)
        if not storable:
            return mark_private(response)
        return _mark_public(request, response, _etag(entry.etag_base, holes))

    response = render()
    return _finish(response, store)


def _fill_response(response: HttpResponseBase, holes: dict[str, str] | None):
    if holes and isinstance(response, HttpResponse) and response.status_code == 200:
        response.content = _fill(response.content.decode(response.charset), holes)
    return


def _finish(response: HttpResponseBase, callback) -> HttpResponseBase:
    """Run ``callback`` on the rendered response (after a TemplateResponse renders)."""
    if getattr(response, "is_rendered", True):
        return callback(response) or response
    response.add_post_render_callback(callback)
    return response


# Apps that answer their own cached pages (``cached_hit``) before Django routes the request:
# (path prefix, lookup(request, rest of the path) -> response or None). storefronts/apps.py
# registers the public storefront page. Only asked for a request ``request_is_cacheable``.
_EARLY_LOOKUPS: list[tuple[str, Callable[[HttpRequest, str], HttpResponseBase | None]]] = []


def early_lookup_register(
    prefix: str, lookup: Callable[[HttpRequest, str], HttpResponseBase | None]
) -> None:
    if (prefix, lookup) not in _EARLY_LOOKUPS:
        _EARLY_LOOKUPS.append((prefix, lookup))


# Wagtail pages: what the page shows is versioned by the site generation alone (every
# publish, unpublish, move and delete replaces it), so a hit needs no routing at all.
WAGTAIL_PAGE_VERSION = ("wagtail-page",)


class WagtailPageCacheMiddleware:
    """Answer an anonymous GET for a Wagtail page from the cache before Wagtail routes it
    (and, for the apps that register an early lookup, their pages before Django routes them).

    Only pages Wagtail served to everyone are ever stored (home/wagtail_hooks.py stores
    them after the privacy checks; a page behind a password or log-in never is), so
    answering before those checks run reveals nothing.
    """

    # Paths this process has seen Django route to Wagtail's ``serve`` (the URL map is fixed
    # for the life of a process): a hit for one of them skips URL resolution too.
    _WAGTAIL_PATHS_MAX = 4096

    def __init__(self, get_response):
        self.get_response = get_response
        self.wagtail_paths: set[str] = set()

    def __call__(self, request):
        path = request.path_info
        if path in self.wagtail_paths and request_is_cacheable(request):
            hit = cached_hit(request, version=WAGTAIL_PAGE_VERSION)
            if hit is not None:
                return hit
            request._mintkit_page_looked_up = True
        else:
            for prefix, lookup in _EARLY_LOOKUPS:
                if path.startswith(prefix) and request_is_cacheable(request):
                    hit = lookup(request, path[len(prefix) :])
                    if hit is not None:
                        return hit
                    break
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from wagtail.views import serve

        from .sitecache import site_for_request

        if view_func is not serve:
            return None
        if len(self.wagtail_paths) >= self._WAGTAIL_PATHS_MAX:
            self.wagtail_paths.clear()
        self.wagtail_paths.add(request.path_info)
        if (
            request_is_cacheable(request)
            and not getattr(request, "_mintkit_page_looked_up", False)
            and (hit := cached_hit(request, version=WAGTAIL_PAGE_VERSION))
        ):
            return hit
        # A render follows: the Site for Wagtail's routing without a query (core/sitecache.py).
        site_for_request(request)
        return None
