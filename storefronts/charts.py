"""Geometry for the small SVG bar charts of daily figures (no chart library): views and clicks
here, Studio sales and redemptions in ``sales.charts``, drawn the same size over the same days."""

from collections.abc import Sequence
from typing import Any

from .selectors import StorefrontStats

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 600, 180, 18, 8


def paired_bar_chart(days: Sequence[Any], top: int, first: str, second: str) -> dict[str, Any]:
    """Bars for each day: the day's ``first`` and ``second`` figures (attributes of the day)
    side by side, scaled to ``top``; each bar's keys are named after its figure
    (``x_views``, ``h_clicks``…)."""
    n = max(len(days), 1)
    slot = WIDTH / n
    bar = max(slot / 2 - 1, 1)
    plot = HEIGHT - PAD_BOTTOM - PAD_TOP
    bars = []
    for i, day in enumerate(days):
        x = i * slot
        first_h = plot * getattr(day, first) / top
        second_h = plot * getattr(day, second) / top
        bars.append(
            {
                "day": day,
                f"x_{first}": round(x + 0.5, 1),
                f"x_{second}": round(x + 0.5 + bar, 1),
                "width": round(bar, 1),
                f"y_{first}": round(PAD_TOP + plot - first_h, 1),
                f"h_{first}": round(first_h, 1),
                f"y_{second}": round(PAD_TOP + plot - second_h, 1),
                f"h_{second}": round(second_h, 1),
                # Label today and every seventh day before it.
                "label": (n - 1 - i) % 7 == 0,
                "x_label": round(WIDTH if i == n - 1 else x + slot / 2, 1),
                "anchor": "end" if i == n - 1 else "middle",
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "baseline": HEIGHT - PAD_BOTTOM,
        "label_y": HEIGHT - 4,
        "bars": bars,
    }


def daily_chart(stats: StorefrontStats) -> dict[str, Any]:
    """Bars for each day: views and clicks side by side, scaled to the busiest day."""
    top = stats.max_value
    return {**paired_bar_chart(stats.days, top, "views", "clicks"), "top": top}
