"""Receivers: every committed change that may change a business's entitlement asks
``services.entitlement_sync`` to look again (after commit, so it reads what was stored).

Billing and accounts do not know this app: subscription rows are watched through Django's
``post_save`` (webhooks, the success page, re-syncs and ``stripe_reconcile`` all save the
row), new profiles likewise, and a confirmed address through allauth's signal (a hub trial
that needs a verified address starts then). A deleted account is told as ``account_deleted``.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from allauth.account.signals import email_confirmed

from accounts.events import account_deleting
from accounts.models import Profile
from billing.models import Subscription

from . import services

log = logging.getLogger(__name__)


@receiver(post_save, sender=Subscription, dispatch_uid="studio_sync.subscription_saved")
def _subscription_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        services.entitlement_sync_on_commit(profile_id=instance.profile_id)


@receiver(post_save, sender=Profile, dispatch_uid="studio_sync.profile_saved")
def _profile_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        services.entitlement_sync_on_commit(profile_id=instance.pk, is_new_profile=True)


@receiver(email_confirmed, dispatch_uid="studio_sync.email_confirmed")
def _email_confirmed(sender, request, email_address, **kwargs):
    profile_id = (
        Profile.objects.filter(user_id=email_address.user_id).values_list("pk", flat=True).first()
    )
    if profile_id is not None:
        services.entitlement_sync_on_commit(profile_id=profile_id)


@receiver(account_deleting, dispatch_uid="studio_sync.account_deleting")
def _account_deleting(sender, profile, **kwargs):
    # ``account_deleting`` stops the deletion on any exception: telling the Studio must not.
    try:
        with transaction.atomic():
            services.account_deleted_record(profile=profile)
    except Exception:
        log.exception("Could not record the Studio event for deleting profile %s", profile.pk)
