"""Phone numbers are read and shown by one module (accounts/phones.py) everywhere."""

from django.core.exceptions import ValidationError

import pytest

from accounts.phones import phone_display, phone_normalise
from storefronts.forms import PHONE_MESSAGES
from storefronts.models import Storefront


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+442079460958", "020 7946 0958"),
        ("+441534123456", "01534 123456"),  # Jersey: the UK plan, dialled the same way
        ("+33142685300", "+33 1 42 68 53 00"),
        ("not a number", "not a number"),
        ("", ""),
    ],
)
def test_the_dashboard_and_the_storefront_show_a_number_the_same_way(stored, shown):
    assert phone_display(stored) == shown
    assert Storefront(phone=stored).phone_display == shown


def test_each_form_keeps_its_own_words_for_a_bad_number():
    with pytest.raises(ValidationError) as unreadable:
        phone_normalise("call me", messages=PHONE_MESSAGES)
    assert unreadable.value.messages == ["Enter a phone number, e.g. 020 7946 0958."]
    with pytest.raises(ValidationError) as invalid:
        phone_normalise("+44 20 1234")
    assert "isn't a valid phone number" in invalid.value.messages[0]
