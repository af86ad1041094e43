"""Receivers for the signals of accounts (allauth), billing and storefronts.

Each hands straight over to a service; the signals are sent after their transaction commits.
"""

from django.dispatch import receiver

from allauth.account.signals import email_confirmed

from accounts.models import Profile
from billing import signals as billing_signals
from storefronts.signals import storefront_published

from . import services


@receiver(email_confirmed, dispatch_uid="notifications.welcome")
def _welcome(sender, request, email_address, **kwargs):
    profile = Profile.objects.filter(user_id=email_address.user_id).first()
    if profile is not None:  # a createsuperuser account has none yet
        services.welcome_send(profile=profile)


@receiver(billing_signals.trial_will_end, dispatch_uid="notifications.trial_will_end")
def _trial_will_end(sender, subscription, **kwargs):
    services.stripe_trial_ending_send(subscription=subscription)


@receiver(billing_signals.payment_failed, dispatch_uid="notifications.payment_failed")
def _payment_failed(sender, subscription, invoice, **kwargs):
    services.payment_failed_send(subscription=subscription, invoice=invoice)


@receiver(
    billing_signals.payment_action_required, dispatch_uid="notifications.payment_action_required"
)
def _payment_action_required(sender, subscription, invoice, **kwargs):
    services.payment_action_required_send(subscription=subscription, invoice=invoice)


@receiver(billing_signals.invoice_paid, dispatch_uid="notifications.invoice_paid")
def _invoice_paid(sender, subscription, invoice, **kwargs):
    services.payment_recovered_send(subscription=subscription, invoice=invoice)


@receiver(billing_signals.subscription_ended, dispatch_uid="notifications.subscription_ended")
def _subscription_ended(sender, subscription, **kwargs):
    services.subscription_ended_send(subscription=subscription)


@receiver(storefront_published, dispatch_uid="notifications.storefront_published")
def _storefront_published(sender, storefront, **kwargs):
    services.storefront_published_send(storefront=storefront)
