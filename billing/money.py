"""The one way the hub writes an amount of money: "£19.00", "£1,900.00", "19.00 SEK".

Always with pence, everywhere an owner reads a price or a charge (pricing, checkout, the
success page, next-charge lines, banners, the Studio page, e-mails, the admin), monthly and
yearly alike, so "£19" and "£19.00" never stand side by side.
"""

from __future__ import annotations

SYMBOLS = {"gbp": "£", "eur": "€", "usd": "$"}


def money_display(amount_minor: int | None, currency: str | None = "gbp") -> str:
    """1900, "gbp" → "£19.00"; 950 → "£9.50"; an unknown currency → "19.00 SEK";
    None → ""."""
    if amount_minor is None:
        return ""
    code = (currency or "gbp").lower()
    number = f"{int(amount_minor) / 100:,.2f}"
    symbol = SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{number} {code.upper()}"
