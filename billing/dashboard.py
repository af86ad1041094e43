"""What the owner dashboard shows about access and billing."""

from accounts.models import Profile

from .entitlements import entitlement_for


def billing_panel(*, profile: Profile) -> dict:
    """Context for ``billing/includes/dashboard_panel.html``."""
    return {"entitlement": entitlement_for(profile=profile)}
