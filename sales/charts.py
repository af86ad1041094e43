"""The daily bars of Studio sales and redemptions, drawn like the views-and-clicks chart
above it (same size, same days), so the two read side by side."""

from typing import Any

from storefronts.charts import HEIGHT, PAD_BOTTOM, PAD_TOP, WIDTH

from .selectors import SalesSummary


def sales_chart(summary: SalesSummary) -> dict[str, Any]:
    n = max(len(summary.days), 1)
    slot = WIDTH / n
    bar = max(slot / 2 - 1, 1)
    plot = HEIGHT - PAD_BOTTOM - PAD_TOP
    top = summary.max_value
    bars = []
    for i, day in enumerate(summary.days):
        x = i * slot
        sh = plot * day.sales / top
        rh = plot * day.redemptions / top
        bars.append(
            {
                "day": day,
                "x_sales": round(x + 0.5, 1),
                "x_redemptions": round(x + 0.5 + bar, 1),
                "width": round(bar, 1),
                "y_sales": round(PAD_TOP + plot - sh, 1),
                "h_sales": round(sh, 1),
                "y_redemptions": round(PAD_TOP + plot - rh, 1),
                "h_redemptions": round(rh, 1),
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
