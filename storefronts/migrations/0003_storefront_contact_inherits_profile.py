"""Storefront contact e-mail, phone and logo become overrides of the business profile's:
blank means "use the profile's" (storefronts/contact_source.py). Values equal to the
profile's are blanked, so later profile changes show on the storefront; values that differ
stay as the storefront's own. Reversing copies the profile's values back into blanks."""

from django.db import migrations


def blank_copies_of_profile(apps, schema_editor):
    Storefront = apps.get_model("storefronts", "Storefront")
    for storefront in Storefront.objects.select_related("profile").iterator():
        profile = storefront.profile
        changed = []
        email = storefront.contact_email
        if email and email.strip().lower() == (profile.contact_email or "").strip().lower():
            storefront.contact_email = ""
            changed.append("contact_email")
        if storefront.phone and storefront.phone == profile.phone:
            storefront.phone = ""
            changed.append("phone")
        if storefront.logo_id and storefront.logo_id == profile.logo_id:
            storefront.logo_id = None
            changed.append("logo")
        if changed:
            storefront.save(update_fields=changed)


def fill_blanks_from_profile(apps, schema_editor):
    Storefront = apps.get_model("storefronts", "Storefront")
    for storefront in Storefront.objects.select_related("profile").iterator():
        profile = storefront.profile
        changed = []
        if not storefront.contact_email and profile.contact_email:
            storefront.contact_email = profile.contact_email
            changed.append("contact_email")
        if not storefront.phone and profile.phone:
            storefront.phone = profile.phone
            changed.append("phone")
        if storefront.logo_id is None and profile.logo_id is not None:
            storefront.logo_id = profile.logo_id
            changed.append("logo")
        if changed:
            storefront.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_trialclaim_keyed_hash_subscribed_at_profiles"),
        ("storefronts", "0002_owner_links_http_and_https_only"),
    ]

    operations = [migrations.RunPython(blank_copies_of_profile, fill_blanks_from_profile)]
