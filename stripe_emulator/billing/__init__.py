"""The billing engine: subscription and invoice lifecycle, payments, test cards, events and
clock processing. One concern a module, each a layer of :class:`Billing`:

``base`` (store, events, time, cards) → ``invoices`` → ``subscriptions`` → ``proration`` and
``clock``; ``disputes`` (refunds and disputes) beside them; ``cards`` (test card numbers) and
``checkout`` (paying a hosted Checkout Session) are plain functions.

Every public method must be called with ``store.lock`` held.
"""

from __future__ import annotations

from .base import DAY, DRAFT_DELAY, SMART_RETRY_DAYS
from .cards import (
    AUTH_CARDS,
    AUTH_FAILED,
    CARD_3DS_ALWAYS,
    CARD_3DS_SETUP,
    CARD_FAIL_CHARGES,
    CARD_OK,
    DECLINED_AT_ONCE,
    AuthenticationRequired,
    CardError,
    card_for_use,
    check_authentication,
    normalise_card,
)
from .checkout import complete_checkout
from .clock import Clock
from .disputes import RefundsDisputes
from .invoices import proration_line
from .proration import Proration


class Billing(Clock, Proration, RefundsDisputes):
    """The whole engine (see the module docstring for its layers)."""


__all__ = [
    "AUTH_CARDS",
    "AUTH_FAILED",
    "CARD_3DS_ALWAYS",
    "CARD_3DS_SETUP",
    "CARD_FAIL_CHARGES",
    "CARD_OK",
    "DAY",
    "DECLINED_AT_ONCE",
    "DRAFT_DELAY",
    "SMART_RETRY_DAYS",
    "AuthenticationRequired",
    "Billing",
    "CardError",
    "card_for_use",
    "check_authentication",
    "complete_checkout",
    "normalise_card",
    "proration_line",
]
