"""What storefronts do when something below them changes (connected in apps.py).

accounts must not import storefronts (tests/test_architecture.py), so a storefront that
shows its business profile's contact e-mail, phone or logo listens for the profile's save
(any save: the owner's profile page, the site admin, the seed) and bumps its own
``updated_at``, which versions the public page cache (docs/PERFORMANCE.md); every saved or
deleted storefront refreshes its cached head (storefronts/heads.py).
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.models import Profile

from .heads import heads_changed
from .models import Storefront
from .services import storefronts_touch_for_profile


@receiver(post_save, sender=Profile, dispatch_uid="storefronts-profile-saved")
def profile_saved(sender, instance: Profile, created: bool, raw: bool = False, **kwargs) -> None:
    if created or raw:  # a new profile has no storefront yet; fixtures load as they are
        return
    storefronts_touch_for_profile(profile=instance)


@receiver(post_save, sender=Storefront, dispatch_uid="storefronts-head-saved")
def storefront_saved(sender, instance: Storefront, raw: bool = False, **kwargs) -> None:
    """Keep the cached slug → page version lookup exact (storefronts/heads.py)."""
    heads_changed([instance.pk], slugs=_slugs(instance))
    instance.loaded_slug = instance.slug  # a second save of this instance renames from here


@receiver(post_delete, sender=Storefront, dispatch_uid="storefronts-head-deleted")
def storefront_deleted(sender, instance: Storefront, **kwargs) -> None:
    heads_changed([instance.pk], slugs=_slugs(instance))


def _slugs(instance: Storefront) -> list[str]:
    """Its slug now and, when it was renamed since it was loaded, the one it had."""
    loaded = getattr(instance, "loaded_slug", None)
    return [instance.slug, *([loaded] if loaded else [])]
