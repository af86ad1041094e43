"""Phone numbers, in one place for every form and page: typed numbers are validated and
stored as E.164 (UK by default); stored numbers are shown the way people write them."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

import phonenumbers

DEFAULT_REGION = "GB"


@dataclass(frozen=True)
class PhoneMessages:
    """What a form says about a number it cannot read, and about one that cannot exist."""

    unreadable: str
    invalid: str


PROFILE_PHONE_MESSAGES = PhoneMessages(
    unreadable="Enter a phone number, like 020 7946 0123 or +44 20 7946 0123.",
    invalid=(
        "That isn't a valid phone number. Include the area code, or the country code "
        "for numbers outside the UK."
    ),
)


def phone_normalise(
    value: str, *, region: str = DEFAULT_REGION, messages: PhoneMessages = PROFILE_PHONE_MESSAGES
) -> str:
    """``"07700 900123"`` → ``"+447700900123"``; "" stays ""; anything else is a ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(messages.unreadable, code="invalid") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(messages.invalid, code="invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value: str, *, region: str = DEFAULT_REGION) -> str:
    """A stored E.164 number as people write it: national within the region's numbering plan
    (for GB that includes the Channel Islands and the Isle of Man, dialled the same way),
    international otherwise. A value that is not a number is shown as it is."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == phonenumbers.country_code_for_region(region):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
