"""Billing writes: everything that changes subscriptions or talks to Stripe goes through here.

The hub never trusts a browser about money. Subscription rows are written only from objects
fetched from Stripe (or, when Stripe no longer has the object, from a signed webhook
payload), under a row lock on the owning profile, so concurrent webhooks and the success page
cannot interleave and older state never overwrites newer.

One module per concern: ``customers``, ``checkout`` (Checkout and the portal),
``checkout_guard`` (the double-payment guard), ``sync`` (the hub's copy of subscriptions),
``plans`` and ``studio``. ``from billing.services import X`` keeps working for each public
function; a test that replaces a function does so in the module that calls it.
"""

from ..exceptions import BillingUnavailable
from ..stripe_data import ENDED_STATUSES
from ..stripe_data import as_dict as _as_dict
from ..stripe_data import id_of as _id
from ..stripe_data import int_or_none as _int_or_none
from ..stripe_data import to_datetime as _ts
from .checkout import (
    checkout_session_apply,
    checkout_session_for_owner,
    checkout_sessions_expire_open,
    checkout_start,
    portal_url_create,
    stripe_trial_days_for,
)
from .checkout_guard import checkout_subscription_guard, checkout_subscription_refusal
from .customers import stripe_customer_ensure, stripe_customer_link
from .plans import plan_sync_to_stripe, plan_yearly_price_sync, plans_sync_to_stripe
from .studio import mintkit_access_record, mintkit_external_id_for
from .sync import (
    CURRENT_PREFERENCE,
    profile_subscriptions_cancel,
    subscription_current_set,
    subscription_refresh,
    subscription_refresh_if_stale,
    subscription_resync,
    subscriptions_reconcile,
)

__all__ = [
    "CURRENT_PREFERENCE",
    "ENDED_STATUSES",
    "BillingUnavailable",
    "checkout_session_apply",
    "checkout_session_for_owner",
    "checkout_sessions_expire_open",
    "checkout_start",
    "checkout_subscription_guard",
    "checkout_subscription_refusal",
    "mintkit_access_record",
    "mintkit_external_id_for",
    "plan_sync_to_stripe",
    "plans_sync_to_stripe",
    "plan_yearly_price_sync",
    "portal_url_create",
    "profile_subscriptions_cancel",
    "stripe_customer_ensure",
    "stripe_customer_link",
    "stripe_trial_days_for",
    "subscription_current_set",
    "subscription_refresh",
    "subscription_refresh_if_stale",
    "subscription_resync",
    "subscriptions_reconcile",
    # The old private names of ``billing.stripe_data``'s helpers, for code written before
    # it existed; new code imports ``billing.stripe_data``.
    "_as_dict",
    "_id",
    "_int_or_none",
    "_ts",
]
