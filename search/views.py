import json

from django.core.paginator import Paginator
from django.shortcuts import render

from core import generations, pagecache
from core.sitecache import site_for_request

from .indexing import SEARCH_GENERATION_KEY
from .selectors import search_query_clean, search_results_for, site_search_hits

RESULTS_PER_PAGE = 10
# Anonymous searches are answered from the page cache (core/pagecache.py) for this long, or
# until a storefront's search row or a Wagtail page changes (both retire the entries). Short,
# because every distinct query is its own entry.
SEARCH_CACHE_SECONDS = 5 * 60


def search(request):
    """``/search/?q=…&page=…``: pages and storefronts together.

    Any ``q`` is a valid search; a ``page`` that is not a number shows the first page, one out
    of range the last (``Paginator.get_page``).
    """
    query = search_query_clean(request.GET.get("q"))
    page = request.GET.get("page", "")[:12]
    return pagecache.cached_response(
        request,
        # JSON keeps "q=a|b" and "q=a&page=b" apart in the key.
        version=(
            "search",
            generations.generation(SEARCH_GENERATION_KEY),
            json.dumps([query, page]),
        ),
        render=lambda: _results(request, query=query, page=page),
        query_params=frozenset({"q", "page"}),
        timeout=SEARCH_CACHE_SECONDS,
    )


def _results(request, *, query: str, page: str):
    hits = site_search_hits(query=query, site=site_for_request(request))
    paginator = Paginator(hits, RESULTS_PER_PAGE)
    results_page = paginator.get_page(page)
    results = search_results_for(hits=list(results_page), query=query, request=request)
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "results": results,
            "results_page": results_page,
            "page_links": paginator.get_elided_page_range(
                results_page.number, on_each_side=2, on_ends=1
            ),
            "total": len(hits),
        },
    )
