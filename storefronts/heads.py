"""Slug → the few fields a cached public page needs, kept in the cache.

An anonymous visit to ``/storefront/<slug>/`` is answered from the page cache
(core/pagecache.py), whose key carries the storefront's id and ``updated_at``. Finding those
for a slug was the one SQL query left on a cache hit; the *head* keeps them in the cache
too, so a hit is one cache round trip (head, site generation and page together) and no
query (docs/PERFORMANCE.md, "Public page cache").

Kept exact by writing through, never by waiting for a timeout:

- every save or delete of a storefront, and every ``updated_at`` bump done with a queryset
  update (``services.storefronts_touch_for_profile``), calls ``heads_changed``: the heads
  are forgotten at once (visits meanwhile read the row, and a rollback leaves nothing
  wrong behind) and rewritten from the committed row once the transaction commits: the
  published storefront's fields, or ``UNPUBLISHED`` for a draft, and ``UNPUBLISHED`` for
  the slug it had before a rename (``Storefront.loaded_slug``, kept by ``from_db``);
- the refresh holds the rows locked while it writes, so another change committed meanwhile
  waits and refreshes after it: an older read never overwrites a newer head;
- a visit that finds no head reads it with one query and *adds* it (never overwrites), so
  a visit that read the row just before an edit committed cannot put back the old head
  over the one the commit wrote.

A head that is ``UNPUBLISHED`` or missing sends the visit down the full view, which
handles drafts, old slugs (301) and 404s as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from .models import Storefront

UNPUBLISHED = "-"
# A safety net, not the means of keeping heads right: whatever a head could miss (a process
# still on a release from before heads during a deploy, a cache write lost in flight) is
# read again from the database within five minutes: one small query per slug per 5 min.
HEAD_SECONDS = 5 * 60
_FIELDS = ("pk", "slug", "is_active", "updated_at", "time_zone", "profile_id")
SLUG_MAX_LENGTH = Storefront._meta.get_field("slug").max_length or 50


def head_key(slug: str) -> str:
    return f"storefront-head:{slug}"


def _as_value(row: dict) -> tuple:
    return (row["pk"], row["updated_at"].timestamp(), row["time_zone"], row["profile_id"])


@dataclass(frozen=True, slots=True)
class Head:
    """What a cached visit knows of a published storefront: enough to version its page
    (``public_page_version``), date it (``storefront_local_date``) and count the visit."""

    pk: int
    slug: str
    updated_at: dt.datetime
    time_zone: str
    profile_id: int
    is_active: bool = True

    def as_storefront(self) -> Storefront:
        """A partly loaded ``Storefront`` for this row (for the visit counter's foreign key)."""
        storefront = Storefront(pk=self.pk, slug=self.slug, profile_id=self.profile_id)
        storefront._state.adding = False
        storefront._state.db = "default"
        return storefront


def head_from_value(slug: str, value: object) -> Head | None:
    """The head a cached value stands for, or None (nothing cached, or ``UNPUBLISHED``)."""
    if not isinstance(value, tuple):
        return None
    pk, updated_at, time_zone, profile_id = value
    return Head(
        pk=pk,
        slug=slug,
        updated_at=dt.datetime.fromtimestamp(updated_at, tz=dt.UTC),
        time_zone=time_zone,
        profile_id=profile_id,
    )


def head_add(storefront: Storefront) -> Head:
    """The head of a published storefront a visit has just read from the database, added
    to the cache unless a head is already there (an edit's, which may be newer)."""
    value = _as_value(
        {
            "pk": storefront.pk,
            "updated_at": storefront.updated_at,
            "time_zone": storefront.time_zone,
            "profile_id": storefront.profile_id,
        }
    )
    cache.add(head_key(storefront.slug), value, HEAD_SECONDS)
    return head_from_value(storefront.slug, value)


def heads_changed(pks: Iterable[int], *, slugs: Iterable[str]) -> None:
    """Storefronts ``pks`` changed in the current transaction, at ``slugs`` (now and as
    loaded before a rename): forget those heads now, so visits read the committed row
    meanwhile (and again after a rollback), and write them anew once the change commits."""
    pks, slugs = list(pks), list(dict.fromkeys(slugs))
    cache.delete_many([head_key(slug) for slug in slugs])
    transaction.on_commit(lambda: heads_refresh(pks, slugs=slugs))


def heads_refresh(pks: Iterable[int], *, slugs: Iterable[str] = ()) -> None:
    """Write the heads of these storefronts from the database: a published one's fields,
    ``UNPUBLISHED`` for a draft and for each of ``slugs`` no storefront has any more."""
    # The rows stay locked until the heads are written, so a change committed meanwhile
    # (another request's unpublish, the plan limit's) waits, and its own refresh — which
    # reads its committed row — lands after this one instead of being overwritten by it.
    with transaction.atomic():
        rows = list(
            Storefront.objects.select_for_update()
            .filter(pk__in=list(pks))
            .order_by("pk")
            .values(*_FIELDS)
        )
        values: dict[str, object] = dict.fromkeys(map(head_key, slugs), UNPUBLISHED)
        for row in rows:
            values[head_key(row["slug"])] = _as_value(row) if row["is_active"] else UNPUBLISHED
        if values:
            cache.set_many(values, HEAD_SECONDS)
