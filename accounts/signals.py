"""Receivers for allauth's signals; each hands straight over to a service."""

from django.dispatch import receiver

from allauth.account.signals import email_added, email_changed, email_confirmed

from .services import profile_email_added


@receiver(email_added, dispatch_uid="accounts.email_added_trial_claim")
def _email_added(sender, request, user, email_address, **kwargs):
    # A new address inherits the existing trial: changing e-mail never starts a new one.
    profile_email_added(user=user, email=email_address.email, verified=email_address.verified)


@receiver(email_confirmed, dispatch_uid="accounts.email_confirmed_trial_claim")
def _email_confirmed(sender, request, email_address, **kwargs):
    profile_email_added(user=email_address.user, email=email_address.email, verified=True)


@receiver(email_changed, dispatch_uid="accounts.email_changed_trial_claim")
def _email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    profile_email_added(user=user, email=to_email_address.email, verified=to_email_address.verified)
