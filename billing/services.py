"""Billing writes: everything that changes subscriptions or talks to Stripe goes through here.

The hub never trusts a browser about money. Subscription rows are written only from objects
fetched from Stripe (or, when Stripe no longer has the object, from a signed webhook
payload), under a row lock on the owning profile, so concurrent webhooks and the success page
cannot interleave and older state never overwrites newer.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from accounts.selectors import user_address_claims, user_subscribed_before

from . import setup, stripe_client
from .entitlements import subscription_paid_until
from .models import MintKitAccess, StripeCustomer, Subscription, SubscriptionPlan
from .selectors import (
    plan_for_price,
    stripe_customer_id_for,
    stripe_free_month_available,
    subscription_current,
    subscription_live,
)

log = logging.getLogger(__name__)

ENDED_STATUSES = ("canceled", "incomplete_expired")


class BillingUnavailable(Exception):
    """Stripe could not be reached or refused the request; nothing was changed."""


def _as_dict(obj) -> dict:
    if obj is None:
        return {}
    if hasattr(obj, "to_dict"):
        return obj.to_dict()
    return dict(obj)


def _ts(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _id(value) -> str | None:
    """An expandable field's id, whether Stripe sent the id or the expanded object."""
    if isinstance(value, dict):
        return value.get("id")
    if value is not None and not isinstance(value, str):
        return getattr(value, "id", None)
    return value or None


# -- customers ---------------------------------------------------------------------------


def stripe_customer_link(*, profile: Profile, customer_id: str) -> StripeCustomer | None:
    """Remember ``customer_id`` as the profile's Stripe customer (the first one wins)."""
    existing = StripeCustomer.objects.filter(profile=profile).first()
    if existing is not None:
        return existing
    if StripeCustomer.objects.filter(stripe_customer_id=customer_id).exists():
        return None  # belongs to someone else; never re-point it
    return StripeCustomer.objects.create(profile=profile, stripe_customer_id=customer_id)


def stripe_customer_ensure(*, profile: Profile, replacing: str = "") -> str:
    """The profile's Stripe customer id, creating the customer on first use (or when
    ``replacing`` a customer Stripe no longer has)."""
    customer_id = stripe_customer_id_for(profile=profile)
    if customer_id:
        return customer_id
    customer = stripe_client.customer_create(
        email=profile.user.email,
        name=profile.business_name,
        metadata={"profile_id": str(profile.pk)},
        key=stripe_client.idempotency_key(
            "customer", profile.pk, profile.created_at.isoformat(), replacing
        ),
    )
    with transaction.atomic():
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        linked = stripe_customer_link(profile=profile, customer_id=customer.id)
    return linked.stripe_customer_id if linked else customer.id


# -- checkout and portal -----------------------------------------------------------------


def stripe_trial_days_for(*, profile: Profile, customer_id: str | None) -> int:
    """``STRIPE_TRIAL_DAYS`` on a profile's first-ever subscription, otherwise 0.

    Asks Stripe too: a subscription whose webhook has not arrived yet still counts. An
    account using (or that has used) an address — compared as a mailbox, so Gmail dots,
    googlemail.com and "+tags" do not count as new — of any account that had subscribed
    gets none (``selectors.stripe_free_month_available``).
    """
    if not stripe_free_month_available(profile=profile):
        return 0
    if customer_id and stripe_client.subscriptions_list(customer_id=customer_id):
        return 0
    return settings.STRIPE_TRIAL_DAYS


def portal_url_create(*, profile: Profile, return_url: str) -> str | None:
    """A Stripe billing portal URL for the profile, or None without a Stripe customer."""
    customer_id = stripe_customer_id_for(profile=profile)
    if not customer_id:
        return None
    try:
        # The hub's own portal configuration (stripe_setup), never the account's default.
        return setup.portal_session_create(customer_id=customer_id, return_url=return_url).url
    except stripe_client.StripeError as exc:
        log.warning("Stripe portal session failed for profile %s: %s", profile.pk, exc)
        raise BillingUnavailable(str(exc)) from exc


def checkout_start(
    *,
    profile: Profile,
    plan: SubscriptionPlan,
    success_url: str,
    cancel_url: str,
    portal_return_url: str,
    price_id: str | None = None,
) -> tuple[str, str]:
    """Where to send an owner who wants ``plan``: ``("checkout", url)`` for a new Stripe
    Checkout Session, or ``("portal", url)`` when the owner already has a live subscription
    (so nobody pays twice).
    """
    price_id = plan.stripe_price_id if price_id is None else price_id  # or the yearly one
    if not price_id:
        raise BillingUnavailable(f"Plan {plan.slug} has no Stripe price; run stripe_sync_plans.")
    try:
        if subscription_live(profile=profile) is not None:
            return "portal", portal_url_create(profile=profile, return_url=portal_return_url)
        customer_id = stripe_customer_ensure(profile=profile)
        if not stripe_client.customer_exists(customer_id):
            # Stripe no longer knows the customer (deleted, or a restarted dev emulator):
            # forget the link and start again with a new customer.
            StripeCustomer.objects.filter(profile=profile, stripe_customer_id=customer_id).delete()
            customer_id = stripe_customer_ensure(profile=profile, replacing=customer_id)
        in_stripe = stripe_client.subscriptions_list(customer_id=customer_id)
        live_in_stripe = [
            s for s in in_stripe if s.status not in ("canceled", "incomplete_expired")
        ]
        if live_in_stripe:
            # Paid a moment ago and the webhook has not arrived yet: record it now.
            for stripe_sub in live_in_stripe:
                subscription_refresh(subscription_id=stripe_sub.id, customer_id=customer_id)
            return "portal", portal_url_create(profile=profile, return_url=portal_return_url)
        # Only one Checkout Session per owner can be paid: an older one left open in another
        # tab would otherwise start a second subscription (with a second free month).
        expired_ids = checkout_sessions_expire_open(customer_id=customer_id)
        trial_days = stripe_trial_days_for(profile=profile, customer_id=customer_id)
        metadata = {"profile_id": str(profile.pk), "plan": plan.slug}
        subscription_data: dict = {"metadata": metadata}
        if trial_days:
            subscription_data["trial_period_days"] = trial_days
        params = {
            "mode": "subscription",
            "customer": customer_id,
            "client_reference_id": str(profile.pk),
            "line_items": [{"price": price_id, "quantity": 1}],
            "metadata": metadata,
            "subscription_data": subscription_data,
            "success_url": success_url,
            "cancel_url": cancel_url,
        }
        # Two identical requests at the same moment get the same session back from Stripe.
        # The sessions just expired are part of the key, so a later click in the same minute
        # never gets an expired session replayed; so is the customer, so a replaced customer
        # never reuses a key with different parameters (Stripe's idempotency_error).
        minute = timezone.now().strftime("%Y%m%d%H%M")
        key = stripe_client.idempotency_key(
            "checkout",
            profile.pk,
            customer_id,
            price_id,
            trial_days,
            success_url,
            minute,
            *expired_ids,
        )
        session = stripe_client.checkout_session_create(params=params, key=key)
    except stripe_client.StripeError as exc:
        log.warning("Stripe checkout failed for profile %s: %s", profile.pk, exc)
        raise BillingUnavailable(str(exc)) from exc
    return "checkout", session.url


def checkout_sessions_expire_open(
    *, customer_id: str, created_until: datetime | None = None
) -> list[str]:
    """Expire the customer's open Checkout Sessions (only those created by ``created_until``
    when given); returns their ids."""
    expired = []
    for session in stripe_client.checkout_sessions_open(customer_id=customer_id):
        if created_until is not None and _ts(session.created) > created_until:
            continue
        try:
            stripe_client.checkout_session_expire(session.id)
        except stripe_client.InvalidRequestError as exc:
            # Completed or expired between the list and now: nothing left to do.
            log.info("Checkout Session %s not expired: %s", session.id, exc)
        expired.append(session.id)
    return sorted(expired)


def checkout_session_for_owner(*, profile: Profile, session_id: str):
    """The Checkout Session ``session_id`` if it belongs to ``profile``, else None.

    Ownership comes from Stripe's copy of the session (our ``client_reference_id`` and the
    profile's customer), never from the query string.
    """
    if not session_id or not session_id.startswith("cs_"):
        return None
    try:
        session = stripe_client.checkout_session_retrieve(session_id)
    except stripe_client.StripeError as exc:
        if stripe_client.is_missing(exc):
            return None
        raise BillingUnavailable(str(exc)) from exc
    if session.client_reference_id != str(profile.pk):
        return None
    customer_id = stripe_customer_id_for(profile=profile)
    if customer_id and _id(session.customer) != customer_id:
        return None
    return session


def checkout_session_apply(*, session: dict, event_created: datetime | None = None) -> str:
    """Apply a completed Checkout Session: link its customer, record its subscription.

    Returns ``"applied"`` or ``"ignored"`` (not ours, or not completed).
    """
    session = _as_dict(session)
    if session.get("mode") != "subscription" or session.get("status") != "complete":
        return "ignored"
    profile = Profile.objects.filter(pk=_int_or_none(session.get("client_reference_id"))).first()
    customer_id = _id(session.get("customer"))
    if profile is None or not customer_id:
        return "ignored"
    with transaction.atomic():
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        stripe_customer_link(profile=profile, customer_id=customer_id)
    subscription_id = _id(session.get("subscription"))
    if not subscription_id:
        return "ignored"
    result = subscription_refresh(
        subscription_id=subscription_id, customer_id=customer_id, event_created=event_created
    )
    if result is None:
        return "ignored"
    # Paid: no session of this owner opened until then may start another subscription. (One
    # opened later was opened after this subscription ended: a delayed webhook leaves it be.)
    checkout_sessions_expire_open(customer_id=customer_id, created_until=result.stripe_created)
    checkout_subscription_guard(profile=profile, subscription=result)
    return "applied"


def checkout_subscription_refusal(*, profile: Profile, subscription_id: str) -> str | None:
    """Why the subscription a checkout just started must not stand, or None when it may.

    * ``"duplicate"``: Stripe has an older subscription of the owner that is not over
      (two tabs paid two checkouts), so this one would bill the owner twice;
    * ``"trial"``: it started in a free first period although the owner had subscribed
      before (a checkout opened before that, paid afterwards) — a second free month.

    Older means created earlier by Stripe (ties broken by id), so when two checkouts
    complete it is always the later subscription that is refused, whichever is applied first.
    """
    customer_id = stripe_customer_id_for(profile=profile)
    in_stripe = stripe_client.subscriptions_list(customer_id=customer_id) if customer_id else []
    this = next((s for s in in_stripe if s.id == subscription_id), None)
    if this is None or this.status in ENDED_STATUSES:
        return None
    order = (this.created, this.id)
    older = [s for s in in_stripe if s.id != this.id and (s.created, s.id) < order]
    if any(s.status not in ENDED_STATUSES for s in older):
        return "duplicate"
    if this.status == Subscription.Status.TRIALING:
        older_rows = (
            Subscription.objects.filter(profile=profile)
            .exclude(stripe_subscription_id=this.id)
            .filter(stripe_created__lt=_ts(this.created))
        )
        if older or older_rows.exists():
            return "trial"
        # Another account with one of this owner's addresses (a Gmail variant, an address
        # since changed) subscribed first: two accounts opened checkouts at once. Stripe's
        # `created` is in seconds; on a tie the one applied later is refused (the other's
        # guard has already let it stand).
        if user_subscribed_before(user=profile.user, before=_ts(this.created)):
            return "trial"
        others = Subscription.objects.filter(
            profile__address_claims__in=user_address_claims(user=profile.user),
            stripe_created__lte=_ts(this.created),
        ).exclude(profile=profile)
        if others.exists():
            return "trial"
    return None


def checkout_subscription_guard(*, profile: Profile, subscription: Subscription) -> str | None:
    """Cancel, in Stripe, a just-started subscription that ``checkout_subscription_refusal``
    refuses, so an owner is never billed twice nor given a second free month.

    Stripe does not charge a canceled trial; a refused paid subscription has already taken
    its first payment, which must be refunded by hand (logged as an error). Returns the
    reason, or None when the subscription stands.
    """
    reason = checkout_subscription_refusal(
        profile=profile, subscription_id=subscription.stripe_subscription_id
    )
    if reason is None:
        return None
    subscription_id = subscription.stripe_subscription_id
    log_level = logging.WARNING if subscription.status == "trialing" else logging.ERROR
    log.log(
        log_level,
        "Canceling subscription %s of profile %s (%s)%s",
        subscription_id,
        profile.pk,
        reason,
        "" if subscription.status == "trialing" else ": its first payment needs a refund",
    )
    try:
        stripe_client.subscription_cancel(
            subscription_id,
            key=stripe_client.idempotency_key("refuse", subscription_id),
            comment=f"MintKit Hub: refused ({reason})",
        )
    except stripe_client.StripeError as exc:
        if not stripe_client.is_missing(exc):
            raise
    subscription_refresh(subscription_id=subscription_id)
    return reason


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- subscriptions -----------------------------------------------------------------------


def _profile_for_subscription(*, customer_id: str | None, metadata: dict) -> Profile | None:
    """The owner of a Stripe subscription: by our customer link, else by our metadata."""
    if customer_id:
        profile = Profile.objects.filter(stripe_customer__stripe_customer_id=customer_id).first()
        if profile is not None:
            return profile
    profile_id = _int_or_none((metadata or {}).get("profile_id"))
    if profile_id is None:
        return None
    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is not None and customer_id:
        if stripe_customer_link(profile=profile, customer_id=customer_id) is None:
            return None  # the customer is linked to another profile: not this one's
        linked = stripe_customer_id_for(profile=profile)
        if linked != customer_id:
            return None
    return profile


def subscription_refresh(
    *,
    subscription_id: str,
    customer_id: str | None = None,
    metadata: dict | None = None,
    event_created: datetime | None = None,
    fallback: dict | None = None,
    now: datetime | None = None,
) -> Subscription | None:
    """Bring the hub's copy of ``subscription_id`` up to date with Stripe.

    The profile row is locked first and the subscription fetched from Stripe inside the
    lock, so whichever of two concurrent refreshes writes last writes the newest state.
    If Stripe no longer has the subscription, ``fallback`` (a signed webhook payload) is
    applied unless an event newer than ``event_created`` was already applied.
    Returns the row, or None when the subscription is not one of ours.
    """
    now = now or timezone.now()
    with transaction.atomic():
        existing = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
        if existing is not None:
            profile = existing.profile
        else:
            profile = _profile_for_subscription(
                customer_id=customer_id or _id((fallback or {}).get("customer")),
                metadata=metadata or (fallback or {}).get("metadata") or {},
            )
        if profile is None:
            hint = None
            try:
                hint = _as_dict(stripe_client.subscription_retrieve(subscription_id))
            except stripe_client.StripeError as exc:
                if not stripe_client.is_missing(exc):
                    raise
            if hint:
                profile = _profile_for_subscription(
                    customer_id=_id(hint.get("customer")), metadata=hint.get("metadata") or {}
                )
            if profile is None:
                return None
        Profile.objects.select_for_update().filter(pk=profile.pk).first()
        row = Subscription.objects.filter(stripe_subscription_id=subscription_id).first()
        try:
            data = _as_dict(
                # The unpaid invoice dates a past_due subscription's grace (see below).
                stripe_client.subscription_retrieve(subscription_id, expand=["latest_invoice"])
            )
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc) or not fallback:
                raise
            stale = (
                row is not None
                and row.latest_event_created
                and event_created
                and event_created < row.latest_event_created
            )
            if stale:
                return row
            data = _as_dict(fallback)
        return _subscription_write(
            profile=profile, row=row, data=data, event_created=event_created, now=now
        )


def _subscription_write(
    *,
    profile: Profile,
    row: Subscription | None,
    data: dict,
    event_created: datetime | None,
    now: datetime,
) -> Subscription:
    items = (data.get("items") or {}).get("data") or []
    item = items[0] if items else {}
    price_id = _id(item.get("price"))
    plan = plan_for_price(price_id=price_id)
    status = data["status"]
    is_new = row is None
    if is_new:
        row = Subscription(profile=profile, stripe_subscription_id=data["id"], is_current=False)
    if status == Subscription.Status.PAST_DUE:
        since = _past_due_started(data.get("latest_invoice")) or event_created or now
        if row.status == Subscription.Status.PAST_DUE and row.past_due_since is not None:
            since = min(since, row.past_due_since)  # keep the earlier start
        # Never later than now (a test clock can put Stripe's time in the future).
        row.past_due_since = min(since, now)
    else:
        row.past_due_since = None
    row.status = status
    row.stripe_customer_id = _id(data.get("customer")) or row.stripe_customer_id
    row.plan = plan or row.plan
    row.stripe_price_id = price_id or row.stripe_price_id
    row.trial_end = _ts(data.get("trial_end"))
    row.current_period_start = _ts(item.get("current_period_start"))
    row.current_period_end = _ts(item.get("current_period_end"))
    row.cancel_at_period_end = bool(data.get("cancel_at_period_end"))
    row.cancel_at = _ts(data.get("cancel_at"))
    row.stripe_created = _ts(data.get("created")) or row.stripe_created or now
    if event_created and (
        row.latest_event_created is None or event_created > row.latest_event_created
    ):
        row.latest_event_created = event_created
    row.synced_at = now
    row.save()
    subscription_current_set(profile=profile)
    if is_new:
        # From the moment it starts, every address the account has used has had its free
        # first month (the account may change its address and be deleted later).
        from accounts.services import profile_addresses_mark_subscribed  # accounts imports us

        profile_addresses_mark_subscribed(profile=profile, subscribed_at=row.stripe_created)
    return row


CURRENT_PREFERENCE = (
    # Subscriptions that give access or are being retried first, then others Stripe may
    # still charge, then ended ones: "current" is the subscription that matters to the owner.
    (Subscription.Status.TRIALING, Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE),
    Subscription.LIVE_STATUSES,
)


def _past_due_started(invoice) -> datetime | None:
    """When a subscription's unpaid invoice fell due, from Stripe's copy: its finalization
    (Stripe attempts payment then; the subscription turns past_due at the first failure),
    else its creation. None unless the invoice was expanded and is still unpaid.

    Grace is counted from here whenever the hub learns of the failure: at once by webhook,
    days later from the success page, a re-sync or ``stripe_reconcile``.
    """
    if not isinstance(invoice, dict) or invoice.get("status") not in ("open", "uncollectible"):
        return None
    transitions = invoice.get("status_transitions") or {}
    return _ts(transitions.get("finalized_at")) or _ts(invoice.get("created"))


def subscription_current_set(*, profile: Profile) -> None:
    """Mark the profile's current subscription: the newest (by Stripe's creation time) that
    gives access or is retrying payment, else the newest Stripe may still charge, else the
    newest of all."""
    rows = Subscription.objects.filter(profile=profile).order_by("-stripe_created", "-pk")
    newest = None
    for statuses in CURRENT_PREFERENCE:
        newest = rows.filter(status__in=statuses).values_list("pk", flat=True).first()
        if newest is not None:
            break
    if newest is None:
        newest = rows.values_list("pk", flat=True).first()
    Subscription.objects.filter(profile=profile, is_current=True).exclude(pk=newest).update(
        is_current=False
    )
    Subscription.objects.filter(pk=newest, is_current=False).update(is_current=True)


def subscription_refresh_if_stale(
    *, profile: Profile, now: datetime | None = None
) -> Subscription | None:
    """Re-read the profile's current trialing/active subscription from Stripe when the hub's
    copy is past the end of its period, so a renewal whose webhook is late or lost still
    counts (and an ended one stops counting). Stripe being unreachable changes nothing.
    Returns the current subscription."""
    now = now or timezone.now()
    current = subscription_current(profile=profile)
    if current is None or current.status not in (
        Subscription.Status.TRIALING,
        Subscription.Status.ACTIVE,
    ):
        return current
    paid_until = subscription_paid_until(subscription=current)
    if paid_until is None or now < paid_until:
        return current
    try:
        subscription_resync(subscription=current)
    except stripe_client.StripeError as exc:
        log.warning("Could not refresh stale subscription %s: %s", current.pk, exc)
        return current
    return subscription_current(profile=profile)


def subscription_resync(*, subscription: Subscription) -> Subscription | None:
    """Re-read one subscription from Stripe and fix any drift (admin action, reconcile)."""
    return subscription_refresh(
        subscription_id=subscription.stripe_subscription_id,
        customer_id=subscription.stripe_customer_id,
    )


def subscriptions_reconcile(*, stdout=None) -> dict:
    """Re-read every known subscription, and every subscription of every known customer,
    from Stripe. Returns counts."""
    seen: set[str] = set()
    counts = {"synced": 0, "failed": 0}

    def say(message):
        if stdout is not None:
            stdout.write(message)

    for customer in StripeCustomer.objects.select_related("profile"):
        try:
            for stripe_sub in stripe_client.subscriptions_list(
                customer_id=customer.stripe_customer_id
            ):
                seen.add(stripe_sub.id)
                subscription_refresh(
                    subscription_id=stripe_sub.id, customer_id=customer.stripe_customer_id
                )
                counts["synced"] += 1
        except stripe_client.StripeError as exc:
            counts["failed"] += 1
            say(f"customer {customer.stripe_customer_id}: {exc}")
    for row in Subscription.objects.exclude(stripe_subscription_id__in=seen):
        try:
            subscription_resync(subscription=row)
            counts["synced"] += 1
        except stripe_client.StripeError as exc:
            counts["failed"] += 1
            say(f"subscription {row.stripe_subscription_id}: {exc}")
    return counts


def profile_subscriptions_cancel(*, profile: Profile) -> int:
    """Cancel every live Stripe subscription of ``profile`` at once (before its account is
    deleted), so nobody is charged for an account that no longer exists.

    Raises ``BillingUnavailable`` if Stripe cannot be reached: the caller must then not
    delete the account. Returns how many subscriptions were canceled.
    """
    customer_id = stripe_customer_id_for(profile=profile)
    ids = set(
        Subscription.objects.filter(profile=profile)
        .exclude(status__in=[Subscription.Status.CANCELED, Subscription.Status.INCOMPLETE_EXPIRED])
        .values_list("stripe_subscription_id", flat=True)
    )
    try:
        if customer_id:
            ids |= {
                s.id
                for s in stripe_client.subscriptions_list(customer_id=customer_id)
                if s.status not in ("canceled", "incomplete_expired")
            }
        for subscription_id in sorted(ids):
            try:
                stripe_client.subscription_cancel(
                    subscription_id,
                    key=stripe_client.idempotency_key("cancel", subscription_id),
                )
            except stripe_client.StripeError as exc:
                if not stripe_client.is_missing(exc):
                    raise
            subscription_refresh(subscription_id=subscription_id, customer_id=customer_id)
    except stripe_client.StripeError as exc:
        raise BillingUnavailable(str(exc)) from exc
    return len(ids)


# -- plans -------------------------------------------------------------------------------


def plan_sync_to_stripe(*, plan: SubscriptionPlan) -> str:
    """Make sure ``plan`` has a Stripe Product and a Price matching its amount, currency and
    interval; create what is missing. Returns "ok", "created" or "updated"."""
    if plan.stripe_price_id:
        try:
            price = stripe_client.price_retrieve(plan.stripe_price_id)
            interval = price.recurring.interval if price.recurring else None
            if (
                price.unit_amount == plan.amount
                and price.currency == plan.currency.lower()
                and interval == plan.interval
                and price.active
            ):
                return "ok"
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
    outcome = "updated" if plan.stripe_price_id else "created"
    product_id = plan.stripe_product_id
    if product_id:
        try:
            stripe_client.client().v1.products.retrieve(product_id)
        except stripe_client.StripeError as exc:
            if not stripe_client.is_missing(exc):
                raise
            product_id = ""
    if not product_id:
        product = stripe_client.product_create(
            name=f"MintKit {plan.name}",
            description=plan.description,
            metadata={"plan": plan.slug},
            key=stripe_client.idempotency_key("product", plan.slug, plan.pk, timezone.now().date()),
        )
        product_id = product.id
    price = stripe_client.price_create(
        product_id=product_id,
        amount=plan.amount,
        currency=plan.currency.lower(),
        interval=plan.interval,
        lookup_key=f"mintkit_{plan.slug}_{plan.interval}",
        metadata={"plan": plan.slug},
        # The price being replaced and the day are in the key: a re-sync after that price
        # was archived (or after going back to an earlier amount) must create a new price,
        # not get the old one replayed by Stripe.
        key=stripe_client.idempotency_key(
            "price",
            product_id,
            plan.amount,
            plan.currency,
            plan.interval,
            plan.stripe_price_id,
            timezone.now().date(),
        ),
    )
    SubscriptionPlan.objects.filter(pk=plan.pk).update(
        stripe_product_id=product_id, stripe_price_id=price.id
    )
    plan.stripe_product_id, plan.stripe_price_id = product_id, price.id
    return outcome


def plans_sync_to_stripe(*, stdout=None) -> dict[str, str]:
    """``plan_sync_to_stripe`` for every plan; returns slug → outcome."""
    results = {}
    for plan in SubscriptionPlan.objects.order_by("sort_order", "pk"):
        results[plan.slug] = plan_sync_to_stripe(plan=plan)
        yearly = plan_yearly_price_sync(plan=plan)  # billing.pricing: the yearly price too
        if stdout is not None:
            stdout.write(f"{plan.slug}: {results[plan.slug]} ({plan.stripe_price_id})")
            stdout.write(f"{plan.slug} yearly: {yearly} ({plan.stripe_price_id_yearly})")
    return results


def plan_yearly_price_sync(*, plan: SubscriptionPlan) -> str:
    from .pricing import plan_yearly_price_sync as sync  # pricing imports this module

    return sync(plan=plan)


# -- MintKit Studio ----------------------------------------------------------------------


def mintkit_access_record(*, profile: Profile, now: datetime | None = None) -> MintKitAccess:
    """Record a Studio visit: create the profile's access record on first use."""
    now = now or timezone.now()
    with transaction.atomic():
        access, created = MintKitAccess.objects.select_for_update().get_or_create(
            profile=profile,
            defaults={"first_access_at": now, "last_access_at": now, "access_count": 1},
        )
        if not created:
            access.last_access_at = now
            access.access_count += 1
            access.save(update_fields=["last_access_at", "access_count"])
    return access
