"""Storefront and offer changes refresh the storefront's search row (see ``search.indexing``)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.generations import generation_bump
from storefronts.models import Offer, Storefront

from .indexing import SEARCH_GENERATION_KEY, refresh_storefront_entry


@receiver(post_save, sender=Storefront, dispatch_uid="search_storefront_saved")
def storefront_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_storefront_entry(storefront_id=instance.pk)


@receiver(post_save, sender=Offer, dispatch_uid="search_offer_saved")
def offer_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_storefront_entry(storefront_id=instance.storefront_id)


@receiver(post_delete, sender=Offer, dispatch_uid="search_offer_deleted")
def offer_deleted(sender, instance, origin=None, **kwargs):
    # Only an offer deleted on its own; when its storefront (or owner) is being deleted the
    # storefront's row goes with it and must not be written back mid-cascade.
    if origin is None or getattr(origin, "model", type(origin)) is Offer:
        refresh_storefront_entry(storefront_id=instance.storefront_id)


@receiver(post_delete, sender=Storefront, dispatch_uid="search_storefront_deleted")
def storefront_deleted(sender, instance, **kwargs):
    # Its search row goes with it in the cascade; cached result pages must not keep it.
    generation_bump(SEARCH_GENERATION_KEY)
