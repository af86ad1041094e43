"""Test cards: which numbers pass, fail, decline at once or ask for 3-D Secure."""

from __future__ import annotations

# Test cards (digits only).
CARD_OK = "4242424242424242"
CARD_FAIL_CHARGES = "4000000000000341"  # attaches, every charge fails
CARD_3DS_ALWAYS = "4000002760003184"  # 3-D Secure on setup and on every charge
CARD_3DS_SETUP = "4000002500003155"  # 3-D Secure on setup only; off-session charges pass
AUTH_CARDS = {CARD_3DS_ALWAYS: "always", CARD_3DS_SETUP: "setup"}
AUTH_FAILED = (
    "We are unable to authenticate your payment method. Please choose a different payment "
    "method and try again."
)
DECLINED_AT_ONCE = {
    "4000000000000002": "Your card was declined.",
    "4000000000009995": "Your card has insufficient funds.",
    "4000000000000069": "Your card has expired.",
}


class CardError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_card(raw: str | None) -> str:
    """Digits of a card number; raises CardError when it is not a plausible card."""
    digits = "".join(ch for ch in (raw or "") if ch not in " -")
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not _luhn(digits):
        raise CardError("Your card number is invalid.")
    return digits


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class AuthenticationRequired(Exception):
    """The card needs a 3-D Secure step before it can be used (on-session)."""


def check_authentication(number: str, authenticate: str | None) -> None:
    """On-session use of a 3-D Secure test card (checkout, card update, hosted invoice
    page): both 3184 and 3155 ask for authentication when a card is set up."""
    if number not in AUTH_CARDS or authenticate == "complete":
        return
    if authenticate == "fail":
        raise CardError(AUTH_FAILED)
    raise AuthenticationRequired(number)


def card_for_use(raw: str | None, authenticate: str | None) -> str:
    """The digits of a card entered on a hosted page (invoice, portal) for on-session use.
    Raises CardError for an invalid or at-once declined card or a failed 3-D Secure step,
    AuthenticationRequired when the card needs one first."""
    number = normalise_card(raw)
    if number in DECLINED_AT_ONCE:
        raise CardError(DECLINED_AT_ONCE[number])
    check_authentication(number, authenticate)
    return number
