"""What the set-up steps share: the hub's metadata markers, the portal's settings, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HUB_METADATA_KEY = "mintkit_hub"
PORTAL_METADATA_VALUE = "portal"
WEBHOOK_METADATA_VALUE = "webhook"
YEARLY_MONTHS = 10  # a year costs ten months
# Plan switches in the portal: charged (or credited) at once for the rest of the period.
PORTAL_PRORATION_BEHAVIOR = "always_invoice"
PORTAL_CACHE_SECONDS = 24 * 60 * 60
PRIVACY_SLUGS = ("privacy", "privacy-policy", "privacy-notice")
TERMS_SLUGS = ("terms", "terms-of-service", "terms-and-conditions")


@dataclass
class SetupReport:
    lines: list[str] = field(default_factory=list)
    changes: int = 0
    problems: list[str] = field(default_factory=list)
    webhook_secret: str | None = None

    def say(self, line: str, *, changed: bool = False) -> None:
        self.lines.append(line)
        self.changes += changed


def _as_dict(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj or {})
