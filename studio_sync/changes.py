"""Why an entitlement changed: the ``reason`` an event carries, from the JSON before and after.

Pure functions of the contract's entitlement JSON (CONTRACT.md), so every way the hub learns
of a change (a webhook, the success page, a re-sync, time passing) names it the same way.
"""

from __future__ import annotations

from .models import StudioEvent

Reason = StudioEvent.Reason

# Subscription states from which regaining access is a recovery, not a new subscription.
RECOVERABLE_STATUSES = frozenset({"past_due", "unpaid", "active", "trialing", "paused"})


def change_reason(*, before: dict | None, after: dict) -> str:
    """The reason for going from ``before`` to ``after`` (``None``: never reported)."""
    if before is None:
        return Reason.SNAPSHOT
    had, has = before["studio_access"], after["studio_access"]
    source_before, source_after = before["source"], after["source"]
    if not had and has:
        if source_after == "trial":
            return Reason.TRIAL_STARTED
        if before.get("subscription_status") in RECOVERABLE_STATUSES:
            return Reason.ACCESS_RESTORED
        return Reason.SUBSCRIBED
    if had and not has:
        return Reason.TRIAL_ENDED if source_before == "trial" else Reason.ACCESS_LOST
    if had and has and source_before != source_after:
        if source_after == "grace":
            return Reason.GRACE_STARTED
        if source_after == "subscription":
            return Reason.ACCESS_RESTORED if source_before == "grace" else Reason.SUBSCRIBED
        return Reason.SUBSCRIPTION_ENDED  # back on the hub trial, which still runs
    if before.get("plan") != after.get("plan") and after.get("plan"):
        return Reason.PLAN_CHANGED
    if before.get("cancel_at_period_end") != after.get("cancel_at_period_end"):
        if after.get("cancel_at_period_end"):
            return Reason.CANCELLATION_SCHEDULED
        return Reason.CANCELLATION_WITHDRAWN
    if (
        has
        and after.get("subscription_status") == "active"
        and before.get("current_period_end") != after.get("current_period_end")
    ):
        return Reason.RENEWED
    return Reason.UPDATED
