"""Geometry for the small SVG bar chart of daily views and clicks (no chart library)."""

from .selectors import StorefrontStats

WIDTH, HEIGHT, PAD_BOTTOM, PAD_TOP = 600, 180, 18, 8


def daily_chart(stats: StorefrontStats) -> dict:
    """Bars for each day: views and clicks side by side, scaled to the busiest day."""
    n = max(len(stats.days), 1)
    slot = WIDTH / n
    bar = max(slot / 2 - 1, 1)
    plot = HEIGHT - PAD_BOTTOM - PAD_TOP
    top = stats.max_value
    bars = []
    for i, day in enumerate(stats.days):
        x = i * slot
        vh = plot * day.views / top
        ch = plot * day.clicks / top
        bars.append(
            {
                "day": day,
                "x_views": round(x + 0.5, 1),
                "x_clicks": round(x + 0.5 + bar, 1),
                "width": round(bar, 1),
                "y_views": round(PAD_TOP + plot - vh, 1),
                "h_views": round(vh, 1),
                "y_clicks": round(PAD_TOP + plot - ch, 1),
                "h_clicks": round(ch, 1),
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
        "top": top,
    }
