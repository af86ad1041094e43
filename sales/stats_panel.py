"""The "Studio sales" section of the storefront stats page (storefronts/stats_panels.py)."""

from storefronts.models import Storefront
from storefronts.selectors import StorefrontStats
from storefronts.stats_panels import StatsPanel, stats_panel_register

from .charts import sales_chart
from .selectors import sales_summary_for_storefront


@stats_panel_register
def studio_sales_panel(*, storefront: Storefront, stats: StorefrontStats) -> StatsPanel:
    summary = sales_summary_for_storefront(
        storefront=storefront, days=len(stats.days), today=stats.days[-1].date
    )
    return StatsPanel(
        template="sales/includes/stats_panel.html",
        context={"summary": summary, "chart": sales_chart(summary)},
    )
