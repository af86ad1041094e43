"""Where a storefront visit came from, worked out from the request and then forgotten.

Only the answer (one of ``VisitSource``) is kept, as a daily counter per storefront: never
the referrer, the address or anything else about the visitor, and no cookie is set.

- ``qr``: the address carries ``?src=qr`` (what the storefront's QR code and poster encode;
  ``utm_source=qr`` too);
- ``direct``: no referrer (typed, bookmarked, an app that sends none);
- ``social`` / ``search``: the referrer's host is one of the networks or engines below (any
  subdomain: ``m.facebook.com``, ``l.instagram.com``; any country's Google);
- ``other``: every other referrer, including one that is not an http(s) address or cannot
  be read.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from django.db import models
from django.http import HttpRequest


class VisitSource(models.TextChoices):
    QR = "qr", "QR code"
    DIRECT = "direct", "Direct link"
    SOCIAL = "social", "Social media"
    SEARCH = "search", "Search engines"
    OTHER = "other", "Other websites"


QR_MARK = "qr"
MAX_REFERRER_LENGTH = 2048

SOCIAL_DOMAINS = frozenset(
    {
        "facebook.com",
        "fb.com",
        "fb.me",
        "messenger.com",
        "instagram.com",
        "t.co",
        "twitter.com",
        "x.com",
        "tiktok.com",
        "linkedin.com",
        "lnkd.in",
        "pinterest.com",
        "pin.it",
        "threads.net",
        "youtube.com",
        "reddit.com",
        "snapchat.com",
        "whatsapp.com",
        "nextdoor.com",
        "nextdoor.co.uk",
        "bsky.app",
        "mastodon.social",
    }
)
SEARCH_DOMAINS = frozenset(
    {
        "bing.com",
        "duckduckgo.com",
        "yahoo.com",
        "ecosia.org",
        "search.brave.com",
        "startpage.com",
        "qwant.com",
        "baidu.com",
        "yandex.com",
        "yandex.ru",
        "ask.com",
        "aol.com",
        "kagi.com",
    }
)
# Google answers from google.<country>, google.co.<country> and google.com.<country>.
SEARCH_BRANDS = frozenset({"google"})


def _domain_suffixes(host: str) -> list[str]:
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def _is_search_brand(host: str) -> bool:
    """google.com, www.google.co.uk, google.com.au, google.de; not google.example.com."""
    labels = host.split(".")
    for i, label in enumerate(labels):
        rest = labels[i + 1 :]
        if label not in SEARCH_BRANDS:
            continue
        if len(rest) == 1 and 2 <= len(rest[0]) <= 3:
            return True
        if len(rest) == 2 and rest[0] in ("co", "com") and len(rest[1]) == 2:
            return True
    return False


def referrer_source(referrer: str | None) -> VisitSource:
    """``direct``, ``social``, ``search`` or ``other`` for a ``Referer`` header's value."""
    if not referrer or not referrer.strip():
        return VisitSource.DIRECT
    if len(referrer) > MAX_REFERRER_LENGTH:
        return VisitSource.OTHER
    try:
        parts = urlsplit(referrer.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return VisitSource.OTHER
    if parts.scheme not in ("http", "https") or not host:
        return VisitSource.OTHER
    suffixes = _domain_suffixes(host)
    if SOCIAL_DOMAINS.intersection(suffixes):
        return VisitSource.SOCIAL
    if SEARCH_DOMAINS.intersection(suffixes) or _is_search_brand(host):
        return VisitSource.SEARCH
    return VisitSource.OTHER


def visit_source(request: HttpRequest) -> VisitSource:
    """The source of this visit to a public storefront page."""
    query = request.META.get("QUERY_STRING", "")
    if query:
        marks = {
            value.strip().lower()
            for name, value in parse_qsl(query[:MAX_REFERRER_LENGTH], keep_blank_values=True)
            if name in ("src", "utm_source")
        }
        if QR_MARK in marks:
            return VisitSource.QR
    return referrer_source(request.headers.get("Referer"))


def qr_target(url: str) -> str:
    """The address a storefront's QR code encodes: its page, marked as reached by QR."""
    return f"{url}?src={QR_MARK}"
