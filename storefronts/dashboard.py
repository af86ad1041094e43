"""What the owner dashboard shows about the storefront."""

from accounts.models import Profile


def storefront_panel(*, profile: Profile) -> dict:
    """Context for ``storefronts/includes/dashboard_panel.html``."""
    return {"storefront": None}
