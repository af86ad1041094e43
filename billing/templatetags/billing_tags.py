"""Template helpers for prices and the free first period."""

from django import template
from django.conf import settings

register = template.Library()

SYMBOLS = {"gbp": "£", "eur": "€", "usd": "$"}


@register.filter
def money(amount_minor, currency="gbp") -> str:
    """900, "gbp" → "£9"; 950 → "£9.50"."""
    if amount_minor is None:
        return ""
    currency = (currency or "gbp").lower()
    major, minor = divmod(int(amount_minor), 100)
    number = f"{major:,}" if not minor else f"{major:,}.{minor:02d}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency.upper()}"


@register.simple_tag
def stripe_trial_note() -> str:
    """ "First month free" (or "First N days free") for a first-ever subscription."""
    days = settings.STRIPE_TRIAL_DAYS
    if days <= 0:
        return ""
    if 28 <= days <= 31:
        return "First month free"
    return f"First {days} days free"
