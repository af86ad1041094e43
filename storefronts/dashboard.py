"""What the owner dashboard shows about the storefronts."""

from accounts.models import Profile

from .charts import daily_chart
from .selectors import storefront_stats


def storefront_panel(*, profile: Profile) -> dict:
    """Context for ``storefronts/includes/dashboard_panel.html``: the first storefront.

    ``storefront_status`` is "none", "draft" or "live"; the stats cover the last 30 days.
    ``storefront_count`` is how many the owner has, and ``unpublished_by_plan`` the ones a
    smaller plan unpublished (still hidden), which the panel names.
    """
    storefronts = list(profile.storefronts.select_related("logo", "cover").order_by("pk"))
    if not storefronts:
        return {"storefront": None, "storefront_status": "none", "storefront_count": 0}
    storefront = storefronts[0]
    stats = storefront_stats(storefront=storefront, days=30)
    return {
        "storefront": storefront,
        "storefront_status": "live" if storefront.is_active else "draft",
        "storefront_stats": stats,
        "storefront_chart": daily_chart(stats),
        "storefront_count": len(storefronts),
        "unpublished_by_plan": [
            s for s in storefronts if s.unpublished_by_plan_at and not s.is_active
        ],
    }
