"""Amounts in minor units shown as people read them: 5000 GBP is "£50.00"."""

from __future__ import annotations

from decimal import Decimal

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}
# ISO 4217 currencies whose minor unit is not a hundredth.
ZERO_DECIMAL = frozenset(
    ["BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG"]
    + ["RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"]
)
THREE_DECIMAL = frozenset(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])


def _exponent(currency: str) -> int:
    if currency in ZERO_DECIMAL:
        return 0
    if currency in THREE_DECIMAL:
        return 3
    return 2


def money_format(*, amount: int, currency: str) -> str:
    """``£1,234.50``; a currency without a symbol here reads ``CHF 12.00``."""
    exponent = _exponent(currency)
    value = Decimal(amount).scaleb(-exponent)
    number = f"{value:,.{exponent}f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency} {number}"
