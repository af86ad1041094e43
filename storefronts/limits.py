"""How many storefronts a business may have and publish: a hook the top floor fills in.

The limit comes from the owner's plan, which storefronts may not see (billing is beside it,
tests/test_architecture.py). So storefronts asks a *provider*: a function ``profile -> int``
that ``dashboard`` (which may import both) registers when the apps are ready
(dashboard/storefront_limits.py). Until one is registered the answer is 1, the hub trial's
limit: never more than the plan allows.
"""

from collections.abc import Callable

from accounts.models import Profile

DEFAULT_LIMIT = 1

LimitProvider = Callable[[Profile], int]

_provider: LimitProvider | None = None


class StorefrontLimitReached(Exception):
    """Creating or publishing one more storefront would go over the plan's limit."""

    def __init__(self, limit: int):
        super().__init__(f"The plan allows {limit} storefront(s).")
        self.limit = limit


def storefront_limit_provider_set(provider: LimitProvider | None) -> None:
    """Register the function that says how many storefronts a profile may have."""
    global _provider
    _provider = provider


def storefront_limit(*, profile: Profile) -> int:
    """How many storefronts ``profile`` may have (and publish); at least 1."""
    if _provider is None:
        return DEFAULT_LIMIT
    return max(DEFAULT_LIMIT, int(_provider(profile)))
