"""Payment intents, charges, refunds and disputes."""

from __future__ import annotations

from ..errors import StripeInvalid
from ..params import ParamError, get_dict, get_int, get_str, merge_metadata
from ..stripe_types import Params, StripeObject
from .base import ApiBase, _choice

REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")


class PaymentsApi(ApiBase):
    def payment_intent_list(self, params: Params) -> StripeObject:
        return self._filtered_list("payment_intents", params, "/v1/payment_intents", ("customer",))

    def charge_list(self, params: Params) -> StripeObject:
        return self._filtered_list("charges", params, "/v1/charges", ("customer", "payment_intent"))

    # -- refunds and disputes ------------------------------------------------------------

    def _charge_for(self, params: Params) -> StripeObject:
        charge_id = get_str(params, "charge")
        pi_id = get_str(params, "payment_intent")
        if charge_id and pi_id:
            raise ParamError(
                "You may only specify one of these parameters: charge, payment_intent.",
                "payment_intent",
            )
        if charge_id:
            return self.get("charges", charge_id, "charge")
        if pi_id:
            pi = self.get("payment_intents", pi_id, "payment_intent")
            ch = self.store.charges.get(pi.get("latest_charge") or "")
            if ch is None or pi["status"] != "succeeded":
                raise StripeInvalid(
                    f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                    "payment_intent",
                )
            return ch
        raise ParamError(
            "Missing required param: charge or payment_intent.", "charge", "parameter_missing"
        )

    def refund_create(self, params: Params) -> StripeObject:
        ch = self._charge_for(params)
        amount = get_int(params, "amount")
        reason = _choice(params, "reason", REFUND_REASONS, "reason")
        metadata = merge_metadata({}, get_dict(params, "metadata"))
        return self.billing.refund_charge(
            ch, amount, reason, metadata, self._customer_now(ch["customer"])
        )

    def refund_list(self, params: Params) -> StripeObject:
        return self._filtered_list("refunds", params, "/v1/refunds", ("charge", "payment_intent"))

    def dispute_list(self, params: Params) -> StripeObject:
        return self._filtered_list("disputes", params, "/v1/disputes", ("charge", "payment_intent"))

    def dispute_close(self, params: Params, id: str) -> StripeObject:
        """The merchant accepts the dispute: it is lost."""
        dp = self.get("disputes", id)
        ch = self.store.charges[dp["charge"]]
        return self.billing.close_dispute(dp, "lost", self._customer_now(ch["customer"]))
