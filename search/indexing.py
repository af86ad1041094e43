"""Keeping ``StorefrontSearchEntry`` rows true to the storefronts (keyword-only services).

A row exists exactly for each published storefront. Saves and deletes of storefronts and
offers refresh it through the signal handlers in ``search.signals``; ``rebuild_storefront_index``
rewrites every row (``manage.py rebuild_search_index``, and after bulk loads that skip signals).
"""

import re

from django.db import transaction

from core.generations import generation_bump

# Cached search pages (search/views.py) carry this generation; any change to a row retires them.
SEARCH_GENERATION_KEY = "pagecache:search-generation"
_WORD = re.compile(r"[^\W_]+")  # letters and digits; "_" and punctuation split words
REBUILD_BATCH = 2000


def name_key(text: str) -> str:
    """A name's words, case-folded, for exact-name matches ("Mint & Co." → "mint co")."""
    return " ".join(_WORD.findall((text or "").casefold()))[:200]


def _category_label(value: str) -> str:
    from storefronts.models import Category

    try:
        return Category(value).label
    except ValueError:
        return ""


def _entry_for(entry_model, storefront, offers):
    keywords = " ".join(
        part
        for part in (storefront.headline, storefront.town, _category_label(storefront.category))
        if part
    )
    body = "\n".join(
        [storefront.description or ""]
        + [f"{offer.title} {offer.description}".strip() for offer in offers]
    )
    return entry_model(
        storefront_id=storefront.pk,
        name=storefront.name,
        name_key=name_key(storefront.name),
        keywords=keywords,
        body=body.strip(),
    )


def refresh_storefront_entry(*, storefront_id: int) -> None:
    """Make the one storefront's row match it: written when published, gone otherwise."""
    from storefronts.models import Offer, Storefront

    from .models import StorefrontSearchEntry

    storefront = (
        Storefront.objects.filter(pk=storefront_id, is_active=True)
        .only("pk", "name", "headline", "town", "category", "description")
        .first()
    )
    with transaction.atomic():
        StorefrontSearchEntry.objects.filter(storefront_id=storefront_id).delete()
        if storefront is not None:
            offers = Offer.objects.filter(storefront_id=storefront_id, is_active=True).only(
                "title", "description"
            )
            _entry_for(StorefrontSearchEntry, storefront, offers).save(force_insert=True)
    generation_bump(SEARCH_GENERATION_KEY)


def rebuild_storefront_index(
    *, batch_size: int = REBUILD_BATCH, storefront_model=None, offer_model=None, entry_model=None
) -> int:
    """Rewrite every row from the storefronts; returns how many published storefronts it holds.

    The model arguments are for the data migration (historical models); callers leave them out.
    """
    if storefront_model is None:
        from storefronts.models import Offer, Storefront

        from .models import StorefrontSearchEntry

        storefront_model, offer_model, entry_model = Storefront, Offer, StorefrontSearchEntry

        transaction.on_commit(lambda: generation_bump(SEARCH_GENERATION_KEY))

    fields = ("pk", "name", "headline", "town", "category", "description")
    total, last_pk = 0, 0
    with transaction.atomic():
        entry_model.objects.all().delete()
        while True:
            storefronts = list(
                storefront_model.objects.filter(is_active=True, pk__gt=last_pk)
                .order_by("pk")
                .only(*fields)[:batch_size]
            )
            if not storefronts:
                break
            offers: dict[int, list] = {}
            for offer in (
                offer_model.objects.filter(
                    storefront_id__in=[s.pk for s in storefronts], is_active=True
                )
                .order_by("storefront_id", "sort_order", "pk")
                .only("storefront_id", "title", "description")
            ):
                offers.setdefault(offer.storefront_id, []).append(offer)
            entry_model.objects.bulk_create(
                [_entry_for(entry_model, s, offers.get(s.pk, [])) for s in storefronts]
            )
            total += len(storefronts)
            last_pk = storefronts[-1].pk
    return total
