from django.core.paginator import Paginator
from django.shortcuts import render

from wagtail.models import Site

from .selectors import search_query_clean, search_results_for, site_search_hits

RESULTS_PER_PAGE = 10


def search(request):
    """``/search/?q=…&page=…``: pages and storefronts together."""
    query = search_query_clean(request.GET.get("q"))
    hits = site_search_hits(query=query, site=Site.find_for_request(request))
    results_page = Paginator(hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    results = search_results_for(hits=list(results_page), query=query, request=request)
    return render(
        request,
        "search/search.html",
        {
            "search_query": query,
            "results": results,
            "results_page": results_page,
            "total": len(hits),
        },
    )
