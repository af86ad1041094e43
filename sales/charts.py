"""The daily bars of Studio sales and redemptions, drawn like the views-and-clicks chart
above it (same size, same days), so the two read side by side."""

from typing import Any

from storefronts.charts import paired_bar_chart

from .selectors import SalesSummary


def sales_chart(summary: SalesSummary) -> dict[str, Any]:
    return paired_bar_chart(summary.days, summary.max_value, "sales", "redemptions")
