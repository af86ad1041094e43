"""The one way the hub writes an amount of money: "£19.00", "£1,234.56", "JPY 500", "SEK 5.00".

Amounts are in the currency's minor unit, as Stripe and the Studio send them. Always with the
minor unit shown ("£19.00", never "£19"), so prices never stand side by side in two styles;
currencies whose minor unit is not a hundredth (yen, dinar) are shifted by their own exponent.
Billing (prices, charges, e-mails) and the Studio's sales figures both write money through here.
"""

from __future__ import annotations

from decimal import Decimal

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
# ISO 4217 currencies whose minor unit is not a hundredth.
ZERO_DECIMAL = frozenset(
    ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"]
    + ["RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]
)
THREE_DECIMAL = frozenset(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])


def _exponent(code: str) -> int:
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def money_display(amount_minor: int | None, currency: str | None = "gbp") -> str:
    """1900, "gbp" → "£19.00"; 123456, "eur" → "€1,234.56"; 500, "jpy" → "JPY 500";
    500, "sek" → "SEK 5.00"; None → ""."""
    if amount_minor is None:
        return ""
    code = (currency or "gbp").upper()
    exponent = _exponent(code)
    number = f"{Decimal(int(amount_minor)).scaleb(-exponent):,.{exponent}f}"
    symbol = SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{code} {number}"
