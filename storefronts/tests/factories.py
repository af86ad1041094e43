import datetime as dt

import factory
from factory.django import DjangoModelFactory

from storefronts.models import Offer, OpeningHours, SpecialDate, Storefront
from tests.factories import ProfileFactory

# A browser's User-Agent: the public page counts a visit only from a browser, never a bot.
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36"


def public_page(client, storefront, **kwargs):
    """GET the storefront's public page as a browser."""
    return client.get(f"/storefront/{storefront.slug}/", HTTP_USER_AGENT=BROWSER_UA, **kwargs)


# Every way to reach a business, for the tests of the public page's contact buttons.
ALL_CONTACTS = {
    "phone": "+442079460958",
    "contact_email": "hello@sunny.example",
    "street": "1 High Road",
    "town": "Leyton",
    "postcode": "E10 5AA",
    "website_url": "https://sunny.example",
    "instagram_url": "https://instagram.com/sunny",
    "facebook_url": "https://facebook.com/sunny",
    "tiktok_url": "https://www.tiktok.com/@sunny",
}


class StorefrontFactory(DjangoModelFactory):
    class Meta:
        model = Storefront

    profile = factory.SubFactory(ProfileFactory)
    name = factory.Sequence(lambda n: f"Salon {n}")
    slug = factory.Sequence(lambda n: f"salon-{n}")
    headline = "Cuts and colour"
    description = "We cut hair.\n\nWe colour hair too."
    is_active = True


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    storefront = factory.SubFactory(StorefrontFactory)
    title = factory.Sequence(lambda n: f"Offer {n}")
    kind = Offer.Kind.GIFT_CARD
    price_text = "£25"
    url = factory.Sequence(lambda n: f"https://studio.mintkit.co.uk/p/{n}")
    sort_order = factory.Sequence(int)


class OpeningHoursFactory(DjangoModelFactory):
    class Meta:
        model = OpeningHours

    storefront = factory.SubFactory(StorefrontFactory)
    weekday = 0
    opens = dt.time(9)
    closes = dt.time(17)


class SpecialDateFactory(DjangoModelFactory):
    class Meta:
        model = SpecialDate

    storefront = factory.SubFactory(StorefrontFactory)
    date = dt.date(2026, 12, 25)
    closed = True
