"""Phone numbers: validated and normalised with ``phonenumbers`` (UK by default)."""

from django.core.exceptions import ValidationError

import phonenumbers

DEFAULT_REGION = "GB"


def phone_normalise(value: str, *, region: str = DEFAULT_REGION) -> str:
    """``"07700 900123"`` → ``"+447700900123"``; "" stays ""; anything else is a ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "Enter a phone number, like 020 7946 0123 or +44 20 7946 0123.", code="invalid"
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "That isn't a valid phone number. Include the area code, or the country code "
            "for numbers outside the UK.",
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value: str, *, region: str = DEFAULT_REGION) -> str:
    """A stored E.164 number as people write it: national for UK numbers, else international."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return value
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
