"""Paying a hosted Checkout Session."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import objects
from ..stripe_types import StripeObject
from .cards import (
    CARD_FAIL_CHARGES,
    DECLINED_AT_ONCE,
    CardError,
    check_authentication,
    normalise_card,
)

if TYPE_CHECKING:
    from . import Billing


def complete_checkout(
    billing: Billing,
    session: StripeObject,
    email: str | None,
    card_number: str | None,
    authenticate: str | None = None,
) -> None:
    """Pay a hosted checkout session (store lock held). Raises CardError on a bad card or a
    failed 3-D Secure step, AuthenticationRequired when the card needs one; in those cases
    nothing has been created."""
    store = billing.store
    number = normalise_card(card_number)
    if number in DECLINED_AT_ONCE:
        raise CardError(DECLINED_AT_ONCE[number])
    trial_days = session.get("_trial_days")
    if number == CARD_FAIL_CHARGES and not trial_days:
        raise CardError("Your card was declined.")
    customer = store.customers.get(session["customer"] or "")
    email = (customer or {}).get("email") or session.get("customer_email") or email
    if not email or "@" not in email:
        raise CardError("Please enter a valid e-mail address.")
    check_authentication(number, authenticate)
    at = billing.now_for_customer(customer)
    if customer is None:
        customer = objects.customer(at, email=email)
        store.customers[customer["id"]] = customer
        billing.emit("customer.created", customer, at)
    pm = billing.attach_card(customer, number, at)
    sub, inv = billing.start_subscription(
        customer,
        session["_line_items"],
        trial_days,
        session.get("_subscription_metadata") or {},
        pm["id"],
        at,
    )
    session.update(
        status="complete",
        payment_status="no_payment_required" if trial_days else "paid",
        customer=customer["id"],
        subscription=sub["id"],
        invoice=None,
        customer_details={
            "address": None,
            "business_name": None,
            "email": email,
            "individual_name": None,
            "name": customer.get("name"),
            "phone": None,
            "tax_exempt": "none",
            "tax_ids": [],
        },
    )
    if trial_days:
        session["amount_subtotal"] = session["amount_total"] = 0
    billing.emit("checkout.session.completed", session, at)
