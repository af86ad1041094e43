"""Demo business owner for ``seed_demo``: ``demo@mintkit.test`` with a verified address.

Idempotent: the user, the verified primary e-mail and the profile are created when missing;
an existing profile keeps whatever was edited. Runs after ``billing.seed`` and before
``storefronts.seed`` (which gives this business its storefront).

Password: with ``DEBUG`` on (local development) it is the fixed, dev-only ``DEV_PASSWORD``
below, so the log-in stays the same between runs. Anywhere else a fresh random password is
set on every run; either way it is printed.
"""

import secrets

from django.conf import settings

from allauth.account.models import EmailAddress

from .models import Profile, User
from .services import profile_create

DEMO_EMAIL = "demo@mintkit.test"
DEMO_BUSINESS = "Mint & Co. Hair Studio"
DEV_PASSWORD = "mintkit-demo-only"  # noqa: S105 - documented dev-only log-in, see docstring


def run(*, stdout) -> None:
    user = User.objects.filter(email=DEMO_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=DEMO_EMAIL)
    password = DEV_PASSWORD if settings.DEBUG else secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()

    EmailAddress.objects.filter(user=user).exclude(email__iexact=DEMO_EMAIL).update(primary=False)
    address, _ = EmailAddress.objects.get_or_create(
        user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
    )
    if not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save()

    if not Profile.objects.filter(user=user).exists():
        profile = profile_create(user=user, business_name=DEMO_BUSINESS)
        profile.contact_email = "hello@mintandco.example"
        profile.phone = "+442079460123"
        profile.save()

    stdout.write(f"Demo business owner: log in as {DEMO_EMAIL} with password {password}\n")
    stdout.write(
        "Wagtail admin (/admin/): create your own superuser with "
        "`python manage.py createsuperuser`.\n"
    )
