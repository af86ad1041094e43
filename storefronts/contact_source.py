"""Where a storefront's contact e-mail, phone and logo come from: one source.

The business profile holds the owner's contact e-mail, phone and logo. A storefront shows
the profile's unless the owner has filled in its own in the storefront editor (an
override); a blank storefront field means "use my business profile's". The public page,
its JSON-LD and the editor's "Using your business profile's phone — override" notes all
read ``storefront_contact``. (The profile's contact e-mail only: the log-in address is
never shown to customers.)
"""

from dataclasses import dataclass

from accounts.phones import phone_display

from .models import Storefront


@dataclass(frozen=True)
class StorefrontContact:
    email: str
    phone: str  # E.164, as stored
    logo: object  # a Wagtail image or None
    email_inherited: bool
    phone_inherited: bool
    logo_inherited: bool

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)


def storefront_contact(*, storefront: Storefront) -> StorefrontContact:
    """The contact details a storefront shows: its own where set, else its profile's."""
    profile = storefront.profile
    email_inherited = not storefront.contact_email and bool(profile.contact_email)
    phone_inherited = not storefront.phone and bool(profile.phone)
    logo_inherited = storefront.logo_id is None and profile.logo_id is not None
    return StorefrontContact(
        email=profile.contact_email if email_inherited else storefront.contact_email,
        phone=profile.phone if phone_inherited else storefront.phone,
        logo=profile.logo if logo_inherited else storefront.logo,
        email_inherited=email_inherited,
        phone_inherited=phone_inherited,
        logo_inherited=logo_inherited,
    )


def storefronts_inheriting_from(*, profile) -> list[Storefront]:
    """The profile's storefronts that show at least one of its contact details, i.e. whose
    public page changes when the profile's e-mail, phone or logo does."""
    return [
        storefront
        for storefront in profile.storefronts.all()
        if not (storefront.contact_email and storefront.phone and storefront.logo_id)
    ]
