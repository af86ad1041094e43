"""Writes: record an e-mail once, deliver it, and the periodic lifecycle job.

``email_send_once`` is the only way an e-mail is queued: it inserts the ``LifecycleEmail``
row (the unique constraint makes a second call for the same owner, kind and subject a no-op)
and, after commit, hands the row to the worker (``tasks.email_deliver``). ``email_deliver``
sends it under a row lock and marks it sent, so two workers never both send it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from io import BytesIO

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

import qrcode

from accounts.models import Profile
from billing.money import money_display
from core.hub import hub_base_url, hub_url  # noqa: F401 - used here and by the e-mails
from storefronts.sources import qr_target

from . import selectors
from .models import OPTIONAL_KINDS, EmailKind, EmailPreferences, LifecycleEmail

log = logging.getLogger(__name__)

# Retries of a failed send: the worker waits RETRY_BASE_SECONDS × 2^(attempt-1), capped.
MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 60 * 60


def retry_delay_seconds(*, attempts: int) -> int:
    # The base can be shortened for the real-worker test (its settings module); not an env var.
    base = getattr(settings, "NOTIFICATIONS_RETRY_BASE_SECONDS", RETRY_BASE_SECONDS)
    return min(base * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def email_preferences_for(*, profile: Profile) -> EmailPreferences:
    prefs, _ = EmailPreferences.objects.get_or_create(profile=profile)
    return prefs


def email_preferences_update(*, profile: Profile, product_tips: bool, storefront_news: bool):
    prefs = email_preferences_for(profile=profile)
    prefs.product_tips = product_tips
    prefs.storefront_news = storefront_news
    prefs.save()
    return prefs


def _wants(*, profile: Profile, kind: str) -> bool:
    field = OPTIONAL_KINDS.get(kind)
    if field is None:
        return True  # billing and access e-mails always go
    prefs = EmailPreferences.objects.filter(profile=profile).first()
    return prefs is None or getattr(prefs, field)


def _jsonable(context: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in context.items()}


def email_send_once(
    *, profile: Profile, kind: str, subject_key: str, context: dict | None = None
) -> LifecycleEmail | None:
    """Record the e-mail ``kind`` about ``subject_key`` for ``profile`` and queue it, unless it
    was recorded before. Returns the new row, or None when it already existed.

    An optional e-mail the owner turned off is recorded as skipped (and never sent later).
    """
    wanted = _wants(profile=profile, kind=kind)
    try:
        with transaction.atomic():
            email = LifecycleEmail.objects.create(
                profile=profile,
                kind=kind,
                subject_key=subject_key[:120],
                to_email=profile.user.email,
                context=_jsonable(context or {}),
                status=LifecycleEmail.Status.PENDING if wanted else LifecycleEmail.Status.SKIPPED,
            )
    except IntegrityError:
        return None  # sent (or being sent) already: exactly once
    if wanted:
        email_enqueue_on_commit(email=email)
    return email


def email_enqueue_on_commit(*, email: LifecycleEmail) -> None:
    from .tasks import email_deliver  # tasks import services; imported here to avoid a cycle

    email_id = email.pk
    transaction.on_commit(lambda: email_deliver.delay(email_id=email_id))


def _render_context(email: LifecycleEmail) -> dict:
    facts = {}
    for key, value in email.context.items():
        parsed = parse_datetime(value) if key.endswith("_at") and isinstance(value, str) else None
        facts[key] = parsed or value
    profile = email.profile
    return {
        **facts,
        "email": email,
        "profile": profile,
        "business_name": profile.business_name or "your business",
        "hub_url": hub_url("/"),
        "dashboard_url": hub_url(reverse("accounts:dashboard")),
        "pricing_url": hub_url("/pricing/"),
        "storefront_edit_url": hub_url(reverse("storefronts:edit")),
        "site_name": settings.WAGTAIL_SITE_NAME,
    }


def _qr_png(url: str) -> bytes:
    qr = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(url)
    qr.make(fit=True)
    buffer = BytesIO()
    qr.make_image().save(buffer)
    return buffer.getvalue()


def email_message_build(*, email: LifecycleEmail) -> EmailMultiAlternatives:
    """The message for a recorded e-mail: subject, plain text and HTML from
    ``templates/notifications/email/<kind>*``, from ``DEFAULT_FROM_EMAIL``."""
    context = _render_context(email)
    base = f"notifications/email/{email.kind}"
    subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{base}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
    )
    message.attach_alternative(render_to_string(f"{base}.html", context), "text/html")
    if email.kind == EmailKind.STOREFRONT_PUBLISHED and context.get("storefront_url"):
        qr_url = qr_target(context["storefront_url"])  # visits by this QR count as "QR code"
        message.attach("storefront-qr.png", _qr_png(qr_url), "image/png")
    return message


class EmailSendFailed(Exception):
    """Sending failed; the row records the error and the worker retries."""


def email_deliver(*, email_id: int, now: datetime | None = None) -> str:
    """Send one recorded e-mail unless it was sent already. Returns the row's status.

    The row is locked while sending, so a second worker (or a duplicate message) waits and
    then finds it sent. Raises ``EmailSendFailed`` after recording a failure.
    """
    with transaction.atomic():
        email = (
            LifecycleEmail.objects.select_for_update()
            .select_related("profile__user")
            .filter(pk=email_id)
            .first()
        )
        if email is None:
            return "missing"  # the owner deleted their account meanwhile
        if email.status not in (LifecycleEmail.Status.PENDING, LifecycleEmail.Status.FAILED):
            return email.status
        email.attempts += 1
        email.last_attempt_at = now or timezone.now()
        try:
            email_message_build(email=email).send()
        except Exception as exc:  # noqa: BLE001 - SMTP, templates…: record, retry later
            log.warning(
                "Lifecycle e-mail %s failed (attempt %s): %s", email.pk, email.attempts, exc
            )
            email.status = (
                LifecycleEmail.Status.GAVE_UP
                if email.attempts >= MAX_ATTEMPTS
                else LifecycleEmail.Status.FAILED
            )
            email.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            email.save(update_fields=["status", "attempts", "last_attempt_at", "last_error"])
            failed = email.status == LifecycleEmail.Status.FAILED
        else:
            email.status = LifecycleEmail.Status.SENT
            email.sent_at = email.last_attempt_at
            email.last_error = ""
            email.save(
                update_fields=["status", "attempts", "last_attempt_at", "sent_at", "last_error"]
            )
            return email.status
    if failed:
        raise EmailSendFailed(email.last_error)
    return LifecycleEmail.Status.GAVE_UP


# -- the periodic job ------------------------------------------------------------------------


def lifecycle_emails_run(*, now: datetime | None = None) -> dict:
    """The hourly job (beat, or ``manage.py lifecycle_emails``): hub-trial reminders, and
    re-queue e-mails whose sending failed or whose queue message was lost. Any number of runs
    send each e-mail once."""
    now = now or timezone.now()
    counts = {"queued": 0, "requeued": 0}
    for profile, kind, ends_at in selectors.hub_trial_reminders_due(now=now):
        email = email_send_once(
            profile=profile,
            kind=kind,
            subject_key=f"hub-trial:{profile.trial_started_at:%Y-%m-%d}",
            context={"trial_ends_at": ends_at},
        )
        counts["queued"] += email is not None
    for email in selectors.emails_to_retry(now=now):
        email_enqueue_on_commit(email=email)
        counts["requeued"] += 1
    return counts


# -- what each trigger sends -------------------------------------------------------------


def _money(amount, currency: str | None) -> str:
    return money_display(amount, currency)


def _plan_name(plan) -> str:
    """The plan's name for an e-mail; "your plan" when the subscription has none we know."""
    return plan.name if plan else "your plan"


def _stamp(value) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromtimestamp(int(value), tz=UTC)


def welcome_send(*, profile: Profile) -> LifecycleEmail | None:
    return email_send_once(profile=profile, kind=EmailKind.WELCOME, subject_key="account")


def stripe_trial_ending_send(*, subscription) -> LifecycleEmail | None:
    """``customer.subscription.trial_will_end``: what will be charged and when."""
    if subscription.trial_end is None:
        return None
    plan = subscription.plan
    return email_send_once(
        profile=subscription.profile,
        kind=EmailKind.STRIPE_TRIAL_ENDING,
        subject_key=f"{subscription.stripe_subscription_id}:{subscription.trial_end:%Y-%m-%d}",
        context={
            "plan_name": _plan_name(plan),
            "amount": _money(plan.amount, plan.currency) if plan else "",
            "interval": plan.interval if plan else "",
            "charge_at": subscription.trial_end,
        },
    )


def _invoice_email_send(
    kind: str, subscription, invoice: dict, *, amount_key: str = "amount_due", **context
) -> LifecycleEmail | None:
    """The e-mail ``kind`` once per invoice: its amount and the plan, and what ``kind`` adds."""
    return email_send_once(
        profile=subscription.profile,
        kind=kind,
        subject_key=invoice["id"],
        context={
            "amount": _money(invoice.get(amount_key), invoice.get("currency")),
            "plan_name": _plan_name(subscription.plan),
            **context,
        },
    )


def payment_failed_send(*, subscription, invoice: dict) -> LifecycleEmail | None:
    """``invoice.payment_failed``: once per invoice, however often Stripe retries it."""
    from billing.entitlements import past_due_grace_ends_at

    access_ends_at = past_due_grace_ends_at(subscription=subscription)
    return _invoice_email_send(
        EmailKind.PAYMENT_FAILED,
        subscription,
        invoice,
        access_ends_at=access_ends_at,
        next_attempt_at=_stamp(invoice.get("next_payment_attempt")),
        # The portal's card form, through the hub (a portal session is made on the click).
        card_url=hub_url(reverse("billing:portal_card")),
    )


def payment_action_required_send(*, subscription, invoice: dict) -> LifecycleEmail | None:
    """``invoice.payment_action_required`` (3-D Secure): the invoice's hosted page."""
    return _invoice_email_send(
        EmailKind.PAYMENT_ACTION_REQUIRED,
        subscription,
        invoice,
        confirm_url=invoice.get("hosted_invoice_url") or "",
        due_at=_stamp(invoice.get("due_date")) or _stamp(invoice.get("created")),
    )


def payment_recovered_send(*, subscription, invoice: dict) -> LifecycleEmail | None:
    """``invoice.paid`` for an invoice that had failed before (we told the owner, or Stripe
    needed more than one attempt): access is back."""
    failed_before = (
        LifecycleEmail.objects.filter(
            profile=subscription.profile,
            kind__in=(EmailKind.PAYMENT_FAILED, EmailKind.PAYMENT_ACTION_REQUIRED),
            subject_key=invoice["id"],
        ).exists()
        or int(invoice.get("attempt_count") or 0) > 1
    )
    if not failed_before:
        return None
    from billing.entitlements import subscription_paid_until

    return _invoice_email_send(
        EmailKind.PAYMENT_RECOVERED,
        subscription,
        invoice,
        amount_key="amount_paid",
        paid_until_at=subscription_paid_until(subscription=subscription),
    )


def subscription_ended_send(*, subscription) -> LifecycleEmail | None:
    """``customer.subscription.deleted``: what they lose and how to come back."""
    from billing.models import Subscription

    if subscription.status != Subscription.Status.CANCELED:
        return None
    still_subscribed = (
        Subscription.objects.filter(
            profile_id=subscription.profile_id,
            status__in=(
                Subscription.Status.TRIALING,
                Subscription.Status.ACTIVE,
                Subscription.Status.PAST_DUE,
            ),
        )
        .exclude(pk=subscription.pk)
        .exists()
    )
    if still_subscribed:
        return None  # e.g. a duplicate checkout refused at once: the owner lost nothing
    return email_send_once(
        profile=subscription.profile,
        kind=EmailKind.SUBSCRIPTION_ENDED,
        subject_key=subscription.stripe_subscription_id,
        context={
            "plan_name": _plan_name(subscription.plan),
            "ended_at": subscription.current_period_end
            if subscription.current_period_end and subscription.current_period_end < timezone.now()
            else timezone.now(),
        },
    )


def storefront_published_send(*, storefront) -> LifecycleEmail | None:
    """The first time a storefront is published (keyed on the storefront: once)."""
    return email_send_once(
        profile=storefront.profile,
        kind=EmailKind.STOREFRONT_PUBLISHED,
        subject_key=f"storefront:{storefront.pk}",
        context={
            "storefront_name": storefront.name,
            "storefront_url": hub_url(storefront.get_absolute_url()),
            "published_at": timezone.now(),
        },
    )
