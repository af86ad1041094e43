"""Reads: slug availability, public page data, the owner's storefront, statistics."""

import datetime as dt
import enum
import re
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import Profile

from .hours import Range
from .models import (
    Offer,
    OfferDailyStat,
    Storefront,
    StorefrontDailyStat,
    StorefrontSlugHistory,
)
from .sources import VisitSource
from .validators import validate_slug_not_reserved

BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python-requests|httpx|"
    r"headless|lighthouse|facebookexternalhit|whatsapp|embedly|bingpreview",
    re.IGNORECASE,
)


class SlugAvailability(enum.StrEnum):
    AVAILABLE = "available"
    TAKEN = "taken"
    INVALID = "invalid"


@dataclass(frozen=True)
class SlugCheck:
    status: SlugAvailability
    message: str = ""


def slug_availability(*, slug: str, storefront: Storefront | None) -> SlugCheck:
    """Whether ``slug`` can be used by ``storefront`` (``None`` for a new one).

    A slug is taken when another storefront uses it now or used it before (its old URL
    still redirects there). Says nothing more than available / taken / invalid.
    """
    from .models import slug_format

    try:
        if not slug or len(slug) > 50:
            raise ValidationError("Use 1 to 50 characters.")
        slug_format(slug)
        validate_slug_not_reserved(slug)
    except ValidationError as exc:
        return SlugCheck(SlugAvailability.INVALID, " ".join(exc.messages))
    others = Storefront.objects.filter(slug=slug)
    history = StorefrontSlugHistory.objects.filter(slug=slug)
    if storefront is not None:
        others = others.exclude(pk=storefront.pk)
        history = history.exclude(storefront=storefront)
    if others.exists() or history.exists():
        return SlugCheck(SlugAvailability.TAKEN)
    return SlugCheck(SlugAvailability.AVAILABLE)


def storefront_of(*, profile: Profile) -> Storefront | None:
    """The owner's storefront (the first, while there is one per profile)."""
    return profile.storefronts.select_related("logo", "cover").order_by("pk").first()


def storefronts_with_totals(*, profile: Profile, days: int = 30) -> QuerySet[Storefront]:
    """The profile's storefronts, oldest first, each with ``views`` and ``clicks`` of the
    last ``days`` days (by the server's date), in one query however many there are."""
    start = timezone.localdate() - dt.timedelta(days=days - 1)
    views = (
        StorefrontDailyStat.objects.filter(storefront=OuterRef("pk"), date__gte=start)
        .values("storefront")
        .annotate(n=Sum("views"))
        .values("n")
    )
    clicks = (
        OfferDailyStat.objects.filter(offer__storefront=OuterRef("pk"), date__gte=start)
        .values("offer__storefront")
        .annotate(n=Sum("clicks"))
        .values("n")
    )
    return profile.storefronts.annotate(
        views=Coalesce(Subquery(views, output_field=IntegerField()), Value(0)),
        clicks=Coalesce(Subquery(clicks, output_field=IntegerField()), Value(0)),
    ).order_by("created_at", "pk")


def storefronts_unpublished_by_plan(*, profile: Profile) -> list[Storefront]:
    """The storefronts a smaller plan unpublished and that are still hidden."""
    return list(
        profile.storefronts.filter(is_active=False, unpublished_by_plan_at__isnull=False).order_by(
            "created_at", "pk"
        )
    )


def storefront_by_slug(*, slug: str) -> Storefront | None:
    """Any storefront with this current slug, active or not; visibility is the view's job.
    Its images and the profile's logo come with it (``storefront_with_content``)."""
    return (
        Storefront.objects.select_related("logo", "cover", "profile__logo")
        .filter(slug=slug)
        .first()
    )


def storefront_by_old_slug(*, slug: str) -> Storefront | None:
    entry = StorefrontSlugHistory.objects.select_related("storefront").filter(slug=slug).first()
    return entry.storefront if entry else None


def storefront_can_preview(*, storefront: Storefront, request: HttpRequest) -> bool:
    """The owner and staff may see a draft; everyone else gets a 404."""
    user = request.user
    if not user.is_authenticated:
        return False
    return user.is_staff or storefront.profile.user_id == user.pk


def storefront_is_owners(*, storefront: Storefront, request: HttpRequest) -> bool:
    """Whether the request comes from the storefront's own owner (staff do not count)."""
    user = request.user
    return user.is_authenticated and storefront.profile.user_id == user.pk


def storefront_with_content(*, storefront: Storefront) -> Storefront:
    """``storefront`` (from ``storefront_by_slug``) with everything else the public page
    shows — its shown offers, hours and special dates — in three queries."""
    prefetch_related_objects(
        [storefront],
        Prefetch("offers", queryset=Offer.objects.filter(is_active=True)),
        "opening_hours",
        "special_dates",
    )
    return storefront


def weekly_ranges(storefront: Storefront) -> dict[int, list[Range]]:
    week: dict[int, list[Range]] = {}
    for row in storefront.opening_hours.all():
        week.setdefault(row.weekday, []).append((row.opens, row.closes))
    return week


@dataclass(frozen=True)
class SpecialDay:
    """A special date as the public page lists it: closed (no ranges) or its hours."""

    date: dt.date
    ranges: list[Range]
    note: str


def special_days(storefront: Storefront, *, since: dt.date) -> list[SpecialDay]:
    """The special dates from ``since`` on, soonest first, with the owner's note."""
    rows = sorted(
        (row for row in storefront.special_dates.all() if row.date >= since),
        key=lambda row: row.date,
    )
    return [
        SpecialDay(
            date=row.date,
            ranges=[] if row.closed else [(row.opens, row.closes)],
            note=row.note,
        )
        for row in rows
    ]


def special_ranges(storefront: Storefront, *, since: dt.date) -> dict[dt.date, list[Range]]:
    return {day.date: day.ranges for day in special_days(storefront, since=since)}


def storefront_local_date(*, storefront: Storefront, now: dt.datetime | None = None) -> dt.date:
    now = now or timezone.now()
    return now.astimezone(zoneinfo.ZoneInfo(storefront.time_zone)).date()


def is_bot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "")
    return not agent or bool(BOT_USER_AGENT.search(agent))


def visit_counts(*, storefront: Storefront, request: HttpRequest) -> bool:
    """Whether this request is a countable public visit: a GET from a person who is not
    the owner (or staff), to a published storefront."""
    if request.method != "GET" or not storefront.is_active or is_bot(request):
        return False
    user = request.user
    return not (user.is_authenticated and (user.is_staff or storefront.profile.user_id == user.pk))


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@dataclass(frozen=True)
class SourceStat:
    source: VisitSource
    views: int
    total: int

    @property
    def label(self) -> str:
        return str(self.source.label)

    @property
    def share_percent(self) -> str:
        return _percent(self.views / self.total if self.total else None)


@dataclass(frozen=True)
class DayStat:
    date: dt.date
    views: int
    clicks: int


@dataclass(frozen=True)
class OfferStat:
    offer: Offer
    clicks: int
    views: int

    @property
    def click_through_rate(self) -> float | None:
        return self.clicks / self.views if self.views else None

    @property
    def click_through_percent(self) -> str:
        return _percent(self.click_through_rate)


@dataclass(frozen=True)
class StorefrontStats:
    days: list[DayStat]
    offers: list[OfferStat]
    total_views: int
    total_clicks: int
    sources: list[SourceStat] = field(default_factory=list)

    @property
    def max_value(self) -> int:
        return max([1] + [max(d.views, d.clicks) for d in self.days])

    @property
    def click_through_rate(self) -> float | None:
        return self.total_clicks / self.total_views if self.total_views else None

    @property
    def click_through_percent(self) -> str:
        return _percent(self.click_through_rate)

    @property
    def conversion_percent(self) -> str:
        """Offer clicks ÷ page views, as a percentage; "—" with no views."""
        return self.click_through_percent


SOURCE_FIELDS = {source: f"{source.value}_views" for source in VisitSource}


def storefront_stats(
    *, storefront: Storefront, days: int = 30, today: dt.date | None = None
) -> StorefrontStats:
    """Views and offer clicks for the last ``days`` days (today included)."""
    today = today or storefront_local_date(storefront=storefront)
    start = today - dt.timedelta(days=days - 1)
    view_rows = StorefrontDailyStat.objects.filter(
        storefront=storefront, date__gte=start, date__lte=today
    ).values("date", "views", *SOURCE_FIELDS.values())
    views = {}
    by_source = dict.fromkeys(VisitSource, 0)
    for row in view_rows:
        views[row["date"]] = row["views"]
        for source, name in SOURCE_FIELDS.items():
            by_source[source] += row[name]
    click_rows = OfferDailyStat.objects.filter(
        offer__storefront=storefront, date__gte=start, date__lte=today
    )
    clicks_by_day = dict(
        click_rows.values("date").annotate(n=Sum("clicks")).values_list("date", "n")
    )
    clicks_by_offer = dict(
        click_rows.values("offer").annotate(n=Sum("clicks")).values_list("offer", "n")
    )
    series = [
        DayStat(day, views.get(day, 0), clicks_by_day.get(day, 0))
        for day in (start + dt.timedelta(days=i) for i in range(days))
    ]
    total_views = sum(d.views for d in series)
    offers = [
        OfferStat(offer, clicks_by_offer.get(offer.pk, 0), total_views)
        for offer in storefront.offers.all()
    ]
    return StorefrontStats(
        days=series,
        offers=offers,
        total_views=total_views,
        total_clicks=sum(d.clicks for d in series),
        # Views counted before sources were (an older row) are in no source's count.
        sources=[SourceStat(source, n, total_views) for source, n in by_source.items()],
    )
