"""Site search: live public pages and published storefronts, in one relevance-ordered list."""

import operator
import re
from dataclasses import dataclass
from functools import reduce

from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection
from django.db.models import F, Q, Subquery
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from wagtail.models import Page, Site

from home.models import HelpPage

from .highlight import excerpt, highlight, query_terms
from .indexing import name_key
from .models import StorefrontSearchEntry

_WORD = re.compile(r"[^\W_]+")

# Each source is cut at this many hits before merging; nobody pages past 20 pages of results.
MAX_HITS_PER_SOURCE = 200
MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
MAX_WORD_LENGTH = 40
MAX_RANKED_CANDIDATES = 1000
# An exact name match outranks any relevance score.
EXACT_NAME_SCORE = 1_000_000.0


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "page" or "storefront"
    obj_id: int
    score: float


@dataclass(frozen=True)
class SearchResult:
    kind: str
    kind_label: str
    url: str
    title: SafeString
    snippet: SafeString


def search_query_clean(raw: str | None) -> str:
    """The query as shown back: printable characters only, single spaces, at most 200 long."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or "")[: MAX_QUERY_LENGTH * 4])
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def query_words(query: str) -> list[str]:
    """The words searched for: letters and digits only, case-folded, de-duplicated, at most ten.

    Quotes, operators and other punctuation only separate words, so no input can reach a
    database's query syntax.
    """
    words = []
    for word in _WORD.findall(query.casefold()):
        word = word[:MAX_WORD_LENGTH]
        if word not in words:
            words.append(word)
    return words[:MAX_QUERY_WORDS]


def site_search_hits(*, query: str, site: Site | None) -> list[SearchHit]:
    """Every page and storefront matching ``query``, best first (exact storefront names lead).

    Pages: live, public (no view restriction), inside ``site``. Storefronts: published only.
    """
    words = query_words(query)
    if not words:
        return []
    pages = Page.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    page_results = pages.search(" ".join(words)).annotate_score("_score")[:MAX_HITS_PER_SOURCE]
    hits = [SearchHit("page", p.pk, p._score or 0.0) for p in page_results]
    hits += storefront_search_hits(query=query, limit=MAX_HITS_PER_SOURCE)
    # Stable sort: equal scores keep each source's own order, pages before storefronts.
    return sorted(hits, key=lambda hit: -hit.score)


def storefront_search_hits(*, query: str, limit: int) -> list[SearchHit]:
    """Published storefronts matching ``query``, best first, at most ``limit``.

    A storefront whose name has exactly the query's words leads; then every storefront having
    all the words (stemmed) in its name, headline, town, category, description or offers,
    by relevance; when none has them all, those having any; on PostgreSQL, when still nothing
    matched, names that are close (trigram similarity) to the query.
    """
    words = query_words(query)
    if not words:
        return []
    key = name_key(query)
    exact = list(
        StorefrontSearchEntry.objects.filter(name_key=key)
        .order_by("storefront_id")
        .values_list("storefront_id", flat=True)[:limit]
    )
    ranked = _ranked_storefronts(words, require_all=True, limit=limit)
    if not ranked and len(words) > 1:
        ranked = _ranked_storefronts(words, require_all=False, limit=limit)
    if not ranked and not exact and connection.vendor == "postgresql":
        ranked = _similar_names_postgresql(key, limit=limit)
    hits = [SearchHit("storefront", pk, EXACT_NAME_SCORE) for pk in exact]
    seen = set(exact)
    hits += [SearchHit("storefront", pk, score) for pk, score in ranked if pk not in seen]
    return hits[:limit]


def _ranked_storefronts(words, *, require_all, limit) -> list[tuple[int, float]]:
    if connection.vendor == "postgresql":
        return _ranked_postgresql(words, require_all=require_all, limit=limit)
    if connection.vendor == "sqlite":
        return _ranked_sqlite(words, require_all=require_all, limit=limit)
    return _ranked_portable(words, require_all=require_all, limit=limit)


def _ranked_postgresql(words, *, require_all, limit):
    if require_all:
        query = SearchQuery(" ".join(words), search_type="plain", config="english")
    else:
        query = reduce(
            operator.or_, (SearchQuery(w, search_type="plain", config="english") for w in words)
        )
    # Ranking reads every candidate's vector; a common word matches tens of thousands of
    # storefronts, so only the first MAX_RANKED_CANDIDATES matches are ranked (the scan stops
    # there). Exact names are found separately and always lead.
    candidates = StorefrontSearchEntry.objects.filter(search_vector=query).values("pk")[
        :MAX_RANKED_CANDIDATES
    ]
    rows = (
        StorefrontSearchEntry.objects.filter(pk__in=Subquery(candidates))
        .annotate(score=SearchRank(F("search_vector"), query))
        .order_by("-score", "storefront_id")
        .values_list("storefront_id", "score")[:limit]
    )
    return list(rows)


def _ranked_sqlite(words, *, require_all, limit):
    # Each word is letters and digits only, so quoting it makes a valid FTS5 string.
    match = (" " if require_all else " OR ").join(f'"{w}"' for w in words)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(search_storefront_fts, 10.0, 4.0, 1.0) AS score "
            "FROM search_storefront_fts WHERE search_storefront_fts MATCH %s "
            "ORDER BY score DESC, rowid LIMIT %s",
            [match, limit],
        )
        return [(pk, float(score)) for pk, score in cursor.fetchall()]


def _ranked_portable(words, *, require_all, limit):
    conditions = [
        Q(name__icontains=w) | Q(keywords__icontains=w) | Q(body__icontains=w) for w in words
    ]
    condition = reduce(operator.and_ if require_all else operator.or_, conditions)
    ids = (
        StorefrontSearchEntry.objects.filter(condition)
        .order_by("storefront_id")
        .values_list("storefront_id", flat=True)[:limit]
    )
    return [(pk, 1.0) for pk in ids]


def _similar_names_postgresql(key, *, limit):
    if len(key) < 3:
        return []
    rows = (
        StorefrontSearchEntry.objects.filter(name_key__trigram_similar=key)
        .annotate(score=TrigramSimilarity("name_key", key))
        .order_by("-score", "storefront_id")
        .values_list("storefront_id", "score")[:limit]
    )
    return list(rows)


def _page_text(page: Page) -> str:
    for attr in ("search_description", "summary", "intro"):
        value = getattr(page, attr, "")
        if value:
            return strip_tags(str(value))
    return ""


def search_results_for(*, hits: list[SearchHit], query: str, request) -> list[SearchResult]:
    """Display rows for one page of hits (two queries for pages, one for storefronts)."""
    from storefronts.models import Storefront

    terms = query_terms(query)
    page_ids = [h.obj_id for h in hits if h.kind == "page"]
    storefront_ids = [h.obj_id for h in hits if h.kind == "storefront"]
    pages = Page.objects.filter(pk__in=page_ids).specific().in_bulk() if page_ids else {}
    storefronts = (
        Storefront.objects.live()
        .only("slug", "name", "headline", "town", "description")
        .in_bulk(storefront_ids)
        if storefront_ids
        else {}
    )
    results = []
    for hit in hits:
        if hit.kind == "page" and hit.obj_id in pages:
            page = pages[hit.obj_id]
            results.append(
                SearchResult(
                    kind="page",
                    kind_label="Help" if isinstance(page, HelpPage) else "Page",
                    url=page.get_url(request) or "",
                    title=highlight(page.title, terms),
                    snippet=highlight(excerpt(_page_text(page), terms), terms),
                )
            )
        elif hit.kind == "storefront" and hit.obj_id in storefronts:
            storefront = storefronts[hit.obj_id]
            text = " — ".join(
                part
                for part in (storefront.headline, storefront.town, storefront.description)
                if part
            )
            results.append(
                SearchResult(
                    kind="storefront",
                    kind_label="Storefront",
                    url=storefront.get_absolute_url(),
                    title=highlight(storefront.name, terms),
                    snippet=highlight(excerpt(text, terms), terms),
                )
            )
    return results
