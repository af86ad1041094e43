"""Refunds and disputes of succeeded charges."""

from __future__ import annotations

from .. import objects
from ..errors import StripeInvalid
from ..params import ParamError
from ..stripe_types import StripeObject
from .base import BillingBase


class RefundsDisputes(BillingBase):
    # -- refunds and disputes ---------------------------------------------------------------

    def refund_charge(
        self,
        ch: StripeObject,
        amount: int | None,
        reason: str | None,
        metadata: StripeObject,
        at: int,
    ) -> StripeObject:
        """Refund (part of) a succeeded charge: ``charge.refunded`` then ``refund.created``.
        Raises ParamError like Stripe for an over-refund, a refunded or a disputed charge."""
        if ch["status"] != "succeeded":
            raise StripeInvalid(f"Charge {ch['id']} has not succeeded; it cannot be refunded.")
        if ch["disputed"]:
            raise ParamError(
                f"Charge {ch['id']} has been charged back; cannot issue a refund.",
                None,
                "charge_disputed",
            )
        remaining = ch["amount"] - ch["amount_refunded"]
        if remaining <= 0:
            raise ParamError(
                f"Charge {ch['id']} has already been refunded.", None, "charge_already_refunded"
            )
        if amount is None:
            amount = remaining
        if amount < 1:
            raise ParamError("Invalid positive integer", "amount", "parameter_invalid_integer")
        if amount > remaining:
            raise ParamError(
                f"Refund amount ({objects.money(amount, ch['currency'])}) is greater than "
                f"unrefunded amount on charge ({objects.money(remaining, ch['currency'])})",
                "amount",
                "amount_too_large",
            )
        re_ = objects.refund(ch, amount, reason, metadata, at)
        self.store.refunds[re_["id"]] = re_
        prev = {"amount_refunded": ch["amount_refunded"], "refunded": ch["refunded"]}
        ch["amount_refunded"] += amount
        ch["refunded"] = ch["amount_refunded"] >= ch["amount"]
        ch["refunds"]["data"].insert(0, objects.public(re_))
        ch["refunds"]["data"] = ch["refunds"]["data"][:10]
        self.emit("charge.refunded", ch, at, prev)
        self.emit("refund.created", re_, at)
        return re_

    def open_dispute(
        self, ch: StripeObject, amount: int | None, reason: str, at: int
    ) -> StripeObject:
        """The cardholder disputes a charge: ``charge.dispute.created``."""
        if ch["status"] != "succeeded":
            raise StripeInvalid(f"Charge {ch['id']} has not succeeded; it cannot be disputed.")
        if ch["disputed"]:
            raise StripeInvalid(f"Charge {ch['id']} is already disputed.")
        amount = ch["amount"] - ch["amount_refunded"] if amount is None else amount
        if not 1 <= amount <= ch["amount"] - ch["amount_refunded"]:
            raise ParamError("amount must be between 1 and the unrefunded amount.", "amount")
        dp = objects.dispute(ch, amount, reason, at)
        pm = self.store.payment_methods.get(ch.get("payment_method") or "")
        if pm:
            dp["payment_method_details"]["card"]["brand"] = pm["card"]["brand"]
            dp["payment_method_details"]["card"]["network"] = pm["card"]["brand"]
        self.store.disputes[dp["id"]] = dp
        ch["disputed"] = True
        self.emit("charge.dispute.created", dp, at)
        return dp

    def close_dispute(self, dp: StripeObject, outcome: str, at: int) -> StripeObject:
        """The dispute ends ``won`` or ``lost``: ``charge.dispute.closed``."""
        if dp["status"] in ("won", "lost"):
            raise StripeInvalid(f"This dispute is already closed ({dp['status']}).")
        prev = {"status": dp["status"]}
        dp["status"] = outcome
        dp["is_charge_refundable"] = False
        dp["evidence_details"]["due_by"] = None
        self.emit("charge.dispute.closed", dp, at, prev)
        return dp
