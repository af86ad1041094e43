"""Reads: what the Studio sold and redeemed, for the dashboard and the stats page."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Profile
from core.money import money_display
from storefronts.models import Storefront
from storefronts.selectors import storefront_local_date

from .models import StudioEvent


@dataclass(frozen=True)
class SalesDay:
    date: dt.date
    sales: int
    redemptions: int


@dataclass(frozen=True)
class SalesSummary:
    days: list[SalesDay]
    sales: int
    redemptions: int
    revenue: dict[str, int]  # currency -> minor units, sales only

    @property
    def revenue_text(self) -> str:
        """``£50.00``; several currencies side by side, the largest first: ``£50.00 + €20.00``."""
        if not self.revenue:
            return money_display(0, "GBP")
        ordered = sorted(self.revenue.items(), key=lambda item: (-item[1], item[0]))
        return " + ".join(money_display(a, c) for c, a in ordered)

    @property
    def sales_line(self) -> str:
        """``2 sales · £50.00``."""
        return f"{self.sales} sale{'' if self.sales == 1 else 's'} · {self.revenue_text}"

    @property
    def redemptions_line(self) -> str:
        n = self.redemptions
        return f"{n} redemption{'' if n == 1 else 's'}"

    @property
    def max_value(self) -> int:
        return max([1] + [max(d.sales, d.redemptions) for d in self.days])


def _summary(
    events: QuerySet[StudioEvent], *, days: int, today: dt.date, tz: dt.tzinfo
) -> SalesSummary:
    """One query: the events of the last ``days`` local days, by day, type and currency."""
    start = today - dt.timedelta(days=days - 1)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    rows = (
        events.filter(occurred_at__gte=since, occurred_at__lt=until)
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day", "type", "currency")
        .annotate(n=Count("pk"), total=Sum("amount"))
        .order_by()
    )
    per_day: dict[tuple[dt.date, str], int] = {}
    revenue: dict[str, int] = {}
    for row in rows:
        per_day[row["day"], row["type"]] = per_day.get((row["day"], row["type"]), 0) + row["n"]
        if row["type"] == StudioEvent.Type.SALE:
            revenue[row["currency"]] = revenue.get(row["currency"], 0) + row["total"]
    series = [
        SalesDay(
            day,
            per_day.get((day, StudioEvent.Type.SALE), 0),
            per_day.get((day, StudioEvent.Type.REDEMPTION), 0),
        )
        for day in (start + dt.timedelta(days=i) for i in range(days))
    ]
    return SalesSummary(
        days=series,
        sales=sum(d.sales for d in series),
        redemptions=sum(d.redemptions for d in series),
        revenue=revenue,
    )


def sales_summary_for_profile(
    *, profile: Profile, days: int = 30, today: dt.date | None = None
) -> SalesSummary:
    """The business's sales and redemptions, every storefront's and those reported without one."""
    tz = timezone.get_current_timezone()
    today = today or timezone.localdate()
    return _summary(StudioEvent.objects.filter(profile=profile), days=days, today=today, tz=tz)


def sales_summary_for_storefront(
    *, storefront: Storefront, days: int = 30, today: dt.date | None = None
) -> SalesSummary:
    """The storefront's sales and redemptions, by day in the storefront's time zone."""
    tz = zoneinfo.ZoneInfo(storefront.time_zone)
    today = today or storefront_local_date(storefront=storefront)
    events = StudioEvent.objects.filter(storefront=storefront, profile_id=storefront.profile_id)
    return _summary(events, days=days, today=today, tz=tz)
