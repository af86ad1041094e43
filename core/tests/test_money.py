"""``core.money``: the hub's one money formatter (billing, sales, e-mails, the admin)."""

import pytest

import billing.money
from core.money import money_display


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (1900, "gbp", "£19.00"),
        (123456, "eur", "€1,234.56"),
        (500, "sek", "SEK 5.00"),
        (500, "jpy", "JPY 500"),
        (5000, "GBP", "£50.00"),
        (0, "GBP", "£0.00"),
        (123456789, "GBP", "£1,234,567.89"),
        (1999, "EUR", "€19.99"),
        (500, "JPY", "JPY 500"),
        (1234, "KWD", "KWD 1.234"),
        (1000, "CHF", "CHF 10.00"),
    ],
)
def test_money_display(amount, currency, shown):
    assert money_display(amount, currency) == shown


def test_billing_writes_money_with_the_same_formatter():
    assert billing.money.money_display is money_display
