"""Site search: live public pages and published storefronts, in one relevance-ordered list."""

from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backend

from home.models import HelpPage

from .highlight import excerpt, highlight, query_terms

# Each source is cut at this many hits before merging; nobody pages past 20 pages of results.
MAX_HITS_PER_SOURCE = 200
MAX_QUERY_LENGTH = 200


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
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def site_search_hits(*, query: str, site: Site | None) -> list[SearchHit]:
    """Every page and storefront matching ``query``, best first.

    Pages: live, public (no view restriction), inside ``site``. Storefronts: published only.
    """
    from storefronts.models import Storefront

    if not query:
        return []
    pages = Page.objects.live().public()
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    page_results = pages.search(query).annotate_score("_score")[:MAX_HITS_PER_SOURCE]
    storefront_results = (
        get_search_backend()
        .search(query, Storefront.objects.live())
        .annotate_score("_score")[:MAX_HITS_PER_SOURCE]
    )
    hits = [SearchHit("page", p.pk, p._score or 0.0) for p in page_results]
    hits += [SearchHit("storefront", s.pk, s._score or 0.0) for s in storefront_results]
    # Stable sort: equal scores keep each backend's own order, pages before storefronts.
    return sorted(hits, key=lambda hit: -hit.score)


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
    storefronts = Storefront.objects.in_bulk(storefront_ids) if storefront_ids else {}
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
