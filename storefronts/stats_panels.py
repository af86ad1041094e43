"""Sections other apps add to the owner's stats page (Studio sales, from ``sales``).

storefronts may not import the apps above it (tests/test_architecture.py), so they register
a provider here from their ``AppConfig.ready()``; the stats view asks every provider for its
section, in the order they registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .models import Storefront
from .selectors import StorefrontStats


@dataclass(frozen=True)
class StatsPanel:
    template: str  # included with ``panel`` set to ``context``
    context: dict = field(default_factory=dict)


StatsPanelProvider = Callable[..., StatsPanel | None]
_providers: list[StatsPanelProvider] = []


def stats_panel_register(provider: StatsPanelProvider) -> StatsPanelProvider:
    """Add ``provider(*, storefront, stats)`` (returns a ``StatsPanel`` or None); a decorator."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def stats_panels_for(*, storefront: Storefront, stats: StorefrontStats) -> list[StatsPanel]:
    panels = (provider(storefront=storefront, stats=stats) for provider in _providers)
    return [panel for panel in panels if panel is not None]
