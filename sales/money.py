"""Studio amounts (minor units) as people read them: 5000 GBP is "£50.00" (``core.money``)."""

from __future__ import annotations

from core.money import money_display


def money_format(*, amount: int, currency: str) -> str:
    """``£1,234.50``; a currency without a symbol here reads ``CHF 12.00``."""
    return money_display(amount, currency)
