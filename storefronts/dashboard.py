"""What the owner dashboard shows about the storefront."""

from accounts.models import Profile

from .charts import daily_chart
from .selectors import storefront_of, storefront_stats


def storefront_panel(*, profile: Profile) -> dict:
    """Context for ``storefronts/includes/dashboard_panel.html``.

    ``storefront_status`` is "none", "draft" or "live"; the stats cover the last 30 days.
    """
    storefront = storefront_of(profile=profile)
    if storefront is None:
        return {"storefront": None, "storefront_status": "none"}
    stats = storefront_stats(storefront=storefront, days=30)
    return {
        "storefront": storefront,
        "storefront_status": "live" if storefront.is_active else "draft",
        "storefront_stats": stats,
        "storefront_chart": daily_chart(stats),
    }
