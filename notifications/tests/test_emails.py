"""Each lifecycle e-mail: its trigger, its content, and that it goes once (locmem backend)."""

import json
import re
from datetime import timedelta

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

import pytest

from billing.models import Subscription
from notifications.models import EmailKind, EmailPreferences, LifecycleEmail
from tests.factories import ProfileFactory
from tests.signup import sign_up
from tests.stripe_fixtures import emulator_request, post_event

pytestmark = pytest.mark.django_db

DAY = 86400


def only_email(kind):
    """The one e-mail of ``kind`` in the outbox (fails if there are none or several)."""
    row = LifecycleEmail.objects.get(kind=kind)
    subject_word = {
        EmailKind.PAYMENT_FAILED: "Payment failed",
        EmailKind.PAYMENT_ACTION_REQUIRED: "confirm your payment",
        EmailKind.PAYMENT_RECOVERED: "access is restored",
        EmailKind.STRIPE_TRIAL_ENDING: "free month ends",
        EmailKind.SUBSCRIPTION_ENDED: "plan ended",
        EmailKind.STOREFRONT_PUBLISHED: "is live",
        EmailKind.WELCOME: "Welcome",
        EmailKind.HUB_TRIAL_3_DAYS: "free trial ends",
        EmailKind.HUB_TRIAL_LAST_DAY: "Last day",
    }[kind]
    matching = [m for m in mail.outbox if subject_word in m.subject]
    assert len(matching) == 1, [m.subject for m in mail.outbox]
    assert row.status == LifecycleEmail.Status.SENT and row.sent_at is not None
    message = matching[0]
    assert message.from_email == "MintKit Hub <hello@mintkit.co.uk>"
    assert message.to == [row.profile.user.email]
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    # No tracking: no images or pixels, and every hub link is a plain absolute URL.
    assert "<img" not in html
    return message, html


def absolute_links(html):
    return re.findall(r'href="([^"]+)"', html)


@pytest.fixture
def trial_over(owner_client):
    profile = owner_client.profile
    profile.trial_started_at = timezone.now() - timedelta(days=20)
    profile.business_name = "Mint & Co."
    profile.save()
    return profile


# -- welcome --------------------------------------------------------------------------------


def _signup_and_confirm(client, email="new@example.com"):
    sign_up(client, email, "Mint & Co. Hair")
    link = re.search(r"(/accounts/confirm-email/\S+)", mail.outbox[-1].body).group(1)
    return link


def test_welcome_after_confirming_the_address_once(client, committed):
    link = _signup_and_confirm(client)
    assert not LifecycleEmail.objects.exists()  # signing up alone sends no welcome
    with committed():
        client.post(link)
    message, html = only_email(EmailKind.WELCOME)
    assert message.subject == "MintKit Hub: Welcome to MintKit Hub, Mint & Co. Hair".removeprefix(
        "MintKit Hub: "
    )
    assert "Hello Mint & Co. Hair," in message.body  # plain text: no HTML escaping
    for step in ("business profile", "storefront", "Publish", "MintKit Studio"):
        assert step in message.body
    assert absolute_links(html) == ["http://testserver/dashboard/"]
    with committed():
        client.post(link)  # confirming again: nothing more
    assert len([m for m in mail.outbox if "Welcome" in m.subject]) == 1


def test_no_welcome_when_the_owner_turned_tips_off(client, committed):
    link = _signup_and_confirm(client)
    profile = LifecycleEmail._meta.get_field("profile").related_model.objects.get()
    EmailPreferences.objects.create(profile=profile, product_tips=False)
    with committed():
        client.post(link)
    assert not [m for m in mail.outbox if "Welcome" in m.subject]
    assert LifecycleEmail.objects.get().status == LifecycleEmail.Status.SKIPPED


# -- hub trial reminders (the periodic job) -------------------------------------------------


def test_hub_trial_reminders_three_days_then_last_day_each_once(settings, committed):
    now = timezone.now()
    profile = ProfileFactory(business_name="Brow Bar")
    profile.trial_started_at = now - timedelta(days=settings.HUB_TRIAL_DAYS) + timedelta(days=2.5)
    profile.save()
    ProfileFactory()  # a trial that just started: nothing yet
    ends = profile.trial_started_at + timedelta(days=settings.HUB_TRIAL_DAYS)

    with committed():
        call_command("lifecycle_emails", stdout=None)
        call_command("lifecycle_emails")  # a second run (or beat and cron both): no repeat
    message, _ = only_email(EmailKind.HUB_TRIAL_3_DAYS)
    local_end = timezone.localtime(ends)
    assert local_end.strftime("%-d %B %Y") in message.subject
    assert f"ends on {local_end:%A %-d %B %Y at %H:%M}." in message.body
    assert "Hello Brow Bar," in message.body
    assert len(mail.outbox) == 1

    # A day and a half later it is the last day.
    profile.trial_started_at -= timedelta(days=1.5)
    profile.save()
    with committed():
        call_command("lifecycle_emails")
        call_command("lifecycle_emails")
    message, _ = only_email(EmailKind.HUB_TRIAL_LAST_DAY)
    assert "Today is the last day" in message.body
    assert len(mail.outbox) == 2


def test_no_hub_trial_reminder_for_a_subscribed_owner(settings, committed):
    from billing.tests.factories import SubscriptionFactory

    profile = ProfileFactory()
    profile.trial_started_at = timezone.now() - timedelta(days=settings.HUB_TRIAL_DAYS - 2)
    profile.save()
    SubscriptionFactory(profile=profile, status="active")
    with committed():
        call_command("lifecycle_emails")
    assert mail.outbox == [] and not LifecycleEmail.objects.exists()


# -- Stripe-driven e-mails (the emulator, delivered as signed webhooks) --------------------


def test_free_month_ending_says_what_is_charged_and_when_once(
    plans, trial_over, pay, emu, deliver, client, committed
):
    pay("pro")
    deliver()
    emu.advance(seconds=28 * DAY)  # three days before the free month ends
    with committed():
        deliver()
    message, html = only_email(EmailKind.STRIPE_TRIAL_ENDING)
    sub = Subscription.objects.get()
    charge_on = timezone.localtime(sub.trial_end)
    assert f"ends on {charge_on:%A %-d %B %Y}" in message.body
    assert "charged £19.00" in message.body and "Pro plan" in message.body
    assert "Hello Mint & Co.," in message.body and "Mint &amp; Co." in html

    event = emu.events("customer.subscription.trial_will_end")[0]
    with committed():
        assert post_event(client, event).status_code == 200  # Stripe delivers it again
    assert len([m for m in mail.outbox if "free month" in m.subject]) == 1


def test_failed_payment_then_recovery_each_once(
    plans, trial_over, owner_client, pay, emu, deliver, settings, committed
):
    pay("pro", card="4000 0000 0000 0341")
    deliver()
    emu.advance(seconds=31 * DAY)  # the first charge after the free month fails
    with committed():
        deliver()
    message, html = only_email(EmailKind.PAYMENT_FAILED)
    sub = Subscription.objects.get()
    assert sub.status == "past_due"
    access_ends = timezone.localtime(
        sub.past_due_since + timedelta(days=settings.PAST_DUE_GRACE_DAYS)
    )
    assert "payment of £19.00" in message.body
    assert f"access to MintKit Studio ends on {access_ends:%A %-d %B %Y at %H:%M}" in message.body
    # The link opens the Stripe portal at its card form (billing/portal/card/ makes the session).
    assert "Update your card: http://testserver/billing/portal/card/" in message.body
    assert absolute_links(html) == ["http://testserver/billing/portal/card/"]

    failed = emu.events("invoice.payment_failed")[0]
    with committed():
        post_event(owner_client, failed)  # duplicate delivery
        emu.advance(seconds=3 * DAY)  # Stripe's retry fails again: same invoice
        deliver()
    assert len(emu.events("invoice.payment_failed")) >= 2
    assert len([m for m in mail.outbox if "Payment failed" in m.subject]) == 1
    assert not LifecycleEmail.objects.filter(kind=EmailKind.PAYMENT_RECOVERED).exists()

    portal = owner_client.post("/billing/portal/")
    emulator_request(
        emu,
        "POST",
        portal["Location"],
        {"action": "update_card", "card_number": "4242424242424242"},
    )
    with committed():
        deliver()
    message, _ = only_email(EmailKind.PAYMENT_RECOVERED)
    assert "payment of £19.00" in message.body and "MintKit Studio is open again" in message.body
    paid = emu.events("invoice.paid")[-1]
    with committed():
        post_event(owner_client, paid)
    assert len([m for m in mail.outbox if "restored" in m.subject]) == 1


def test_paid_renewal_without_a_failure_sends_no_recovery_mail(
    plans, trial_over, pay, emu, deliver, committed
):
    pay("pro")
    emu.advance(seconds=31 * DAY)
    with committed():
        deliver()
    assert emu.events("invoice.paid")
    assert not LifecycleEmail.objects.filter(kind=EmailKind.PAYMENT_RECOVERED).exists()


def _action_required_event(sub, *, event_id, invoice_id="in_3ds_1"):
    return {
        "id": event_id,
        "object": "event",
        "type": "invoice.payment_action_required",
        "created": int(timezone.now().timestamp()),
        "livemode": False,
        "api_version": "2026-10-28.endive",
        "data": {
            "object": {
                "id": invoice_id,
                "object": "invoice",
                "customer": sub.stripe_customer_id,
                "amount_due": 1900,
                "currency": "gbp",
                "created": int(timezone.now().timestamp()),
                "hosted_invoice_url": f"https://invoice.stripe.test/i/{invoice_id}",
                "parent": {
                    "type": "subscription_details",
                    "subscription_details": {
                        "subscription": sub.stripe_subscription_id,
                        "metadata": {},
                    },
                },
            }
        },
    }


def test_payment_needing_3d_secure_links_the_hosted_invoice_once(
    plans, trial_over, pay, deliver, client, committed
):
    pay("pro")
    deliver()
    sub = Subscription.objects.get()
    with committed():
        response = post_event(client, _action_required_event(sub, event_id="evt_3ds_1"))
    assert response.status_code == 200
    message, html = only_email(EmailKind.PAYMENT_ACTION_REQUIRED)
    assert "Confirm the payment: https://invoice.stripe.test/i/in_3ds_1" in message.body
    assert "https://invoice.stripe.test/i/in_3ds_1" in absolute_links(html)
    assert "£19.00" in message.subject
    with committed():
        post_event(client, _action_required_event(sub, event_id="evt_3ds_1"))  # duplicate
        post_event(client, _action_required_event(sub, event_id="evt_3ds_2"))  # Stripe again
    assert len([m for m in mail.outbox if "confirm your payment" in m.subject]) == 1


def test_subscription_ended_says_what_is_lost_and_how_to_return_once(
    plans, trial_over, owner_client, pay, emu, deliver, client, committed
):
    pay("pro")
    deliver()
    portal = owner_client.post("/billing/portal/")
    sub_id = Subscription.objects.get().stripe_subscription_id
    emulator_request(
        emu, "POST", portal["Location"], {"action": "cancel_now", "subscription": sub_id}
    )
    with committed():
        deliver()
    assert Subscription.objects.get().status == "canceled"
    message, html = only_email(EmailKind.SUBSCRIPTION_ENDED)
    today = timezone.localtime()
    assert f"Pro plan of Mint & Co. ended on {today:%A %-d %B %Y}" in message.body
    assert "MintKit Studio is closed" in message.body and "choose a plan" in message.body
    deleted = emu.events("customer.subscription.deleted")[0]
    with committed():
        post_event(client, deleted)
    assert len([m for m in mail.outbox if "plan ended" in m.subject]) == 1


def test_no_ended_mail_when_another_subscription_still_runs(committed):
    from billing.tests.factories import SubscriptionFactory
    from notifications import services

    profile = ProfileFactory()
    SubscriptionFactory(profile=profile, status="active")
    refused = SubscriptionFactory(profile=profile, status="canceled", is_current=False)
    with committed():
        assert services.subscription_ended_send(subscription=refused) is None
    assert mail.outbox == []


def test_a_failing_receiver_does_not_fail_the_webhook(
    plans, trial_over, pay, deliver, client, committed, monkeypatch
):
    pay("pro")
    deliver()
    sub = Subscription.objects.get()

    def broken(**kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr("notifications.services.payment_action_required_send", broken)
    with committed():
        response = post_event(client, _action_required_event(sub, event_id="evt_3ds_x"))
    assert response.status_code == 200


# -- storefront published --------------------------------------------------------------------


def test_first_publication_sends_link_and_qr_code_once(owner_client, committed):
    from storefronts.tests.factories import StorefrontFactory

    storefront = StorefrontFactory(profile=owner_client.profile, is_active=False, slug="mint-co")
    publish = "/dashboard/storefront/publish/"
    with committed():
        owner_client.post(publish, {"action": "publish"})
    message, html = only_email(EmailKind.STOREFRONT_PUBLISHED)
    assert "http://testserver/storefront/mint-co/" in message.body
    assert "http://testserver/storefront/mint-co/" in absolute_links(html)
    assert "http://testserver/dashboard/storefront/" in absolute_links(html)
    (name, content, mimetype) = message.attachments[0]
    assert (name, mimetype) == ("storefront-qr.png", "image/png")
    assert content.startswith(b"\x89PNG")
    with committed():
        owner_client.post(publish, {"action": "unpublish"})
        owner_client.post(publish, {"action": "publish"})
    assert len([m for m in mail.outbox if "is live" in m.subject]) == 1
    assert storefront.name in message.subject


def test_no_storefront_mail_when_the_owner_said_no(owner_client, committed):
    from storefronts.tests.factories import StorefrontFactory

    StorefrontFactory(profile=owner_client.profile, is_active=False)
    response = owner_client.post(
        "/dashboard/email-preferences/",
        {"product_tips": "on"},  # storefront_news unticked
    )
    assert response.status_code == 302
    with committed():
        owner_client.post("/dashboard/storefront/publish/", {"action": "publish"})
    assert mail.outbox == []


# -- failures are retried and shown ------------------------------------------------------------


def test_a_failed_send_is_recorded_and_retried_by_the_job(settings, committed):
    from notifications import services

    profile = ProfileFactory()
    settings.EMAIL_BACKEND = "notifications.tests.backends.BrokenBackend"
    with committed():
        services.welcome_send(profile=profile)
    row = LifecycleEmail.objects.get()
    assert row.status == LifecycleEmail.Status.FAILED and row.attempts == 1
    assert "ConnectionRefusedError: SMTP server refused the connection" in row.last_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        call_command("lifecycle_emails")  # too soon: the back-off has not passed
    assert mail.outbox == []
    LifecycleEmail.objects.update(last_attempt_at=timezone.now() - timedelta(hours=2))
    with committed():
        call_command("lifecycle_emails")
        call_command("lifecycle_emails")
    row.refresh_from_db()
    assert row.status == LifecycleEmail.Status.SENT and row.attempts == 2
    assert len(mail.outbox) == 1


def test_retry_delays_grow_and_are_capped():
    from notifications.services import retry_delay_seconds

    assert [retry_delay_seconds(attempts=n) for n in (1, 2, 3, 8)] == [60, 120, 240, 3600]


def test_admin_lists_emails_sent_filtered_by_kind_and_status(client, committed):
    from notifications import services
    from tests.factories import UserFactory

    a, b = ProfileFactory(), ProfileFactory()
    with committed():
        services.welcome_send(profile=a)
        services.storefront_published_send(
            storefront=__import__(
                "storefronts.tests.factories", fromlist=["StorefrontFactory"]
            ).StorefrontFactory(profile=b)
        )
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = "/admin/notifications/lifecycleemail/"
    page = client.get(url).content.decode()
    assert "E-mails sent" in page
    assert a.user.email in page and b.user.email in page
    page = client.get(url, {"kind": "welcome", "status": "sent"}).content.decode()
    assert a.user.email in page and b.user.email not in page


def test_preferences_form_on_the_profile_page(owner_client):
    page = owner_client.get("/dashboard/profile/").content.decode()
    assert "E-mail me about…" in page
    owner_client.post("/dashboard/email-preferences/", {})
    prefs = EmailPreferences.objects.get(profile=owner_client.profile)
    assert (prefs.product_tips, prefs.storefront_news) == (False, False)
    page = owner_client.get("/dashboard/profile/").content.decode()
    assert 'name="product_tips"' in page and "checked" not in page.split("E-mail me about")[1]


def test_preferences_need_a_logged_in_owner_and_a_post(client, owner_client):
    assert owner_client.get("/dashboard/email-preferences/").status_code == 405
    client.logout()
    response = client.post("/dashboard/email-preferences/", {"product_tips": "on"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not EmailPreferences.objects.exists()


def test_beat_runs_the_lifecycle_job_hourly_and_reconcile_daily(plans, trial_over, pay, deliver):
    from django.conf import settings

    from mintkit.celery import app

    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert schedule == {
        "notifications.lifecycle_emails": 3600,
        "billing.stripe_reconcile": 86400,
        "core.worker_heartbeat": 60,
        "studio_sync.run": 60,
    }
    app.loader.import_default_modules()  # what a worker does at start: autodiscover tasks
    assert set(schedule) <= set(app.tasks)
    pay("pro")
    deliver()
    Subscription.objects.update(status="canceled")  # drift the hub's copy
    counts = app.tasks["billing.stripe_reconcile"].delay().get()
    assert counts["synced"] == 1
    assert Subscription.objects.get().status == "trialing"
    assert json.dumps(app.tasks["notifications.lifecycle_emails"].delay().get())
