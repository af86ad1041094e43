"""What the owner dashboard shows about Studio sales."""

from typing import Any

from accounts.models import Profile

from .selectors import sales_summary_for_profile


def sales_panel(*, profile: Profile) -> dict[str, Any]:
    """Context for ``sales/includes/dashboard_panel.html``: the last 30 days."""
    return {"sales_summary": sales_summary_for_profile(profile=profile, days=30)}
