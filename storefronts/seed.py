"""Demo storefront for ``seed_demo``: a live page for the demo business.

Runs after ``accounts.seed`` (which creates ``demo@mintkit.test``). Creates what is missing
and leaves an existing storefront alone, so running it twice changes nothing and never
overwrites what someone edited.
"""

import datetime as dt

from accounts.models import Profile

from .models import Category, Offer, OpeningHours, SpecialDate, Storefront

DEMO_EMAIL = "demo@mintkit.test"
DEMO_SLUG = "mint-and-co"

OFFERS = [
    {
        "title": "Gift card",
        "kind": Offer.Kind.GIFT_CARD,
        "price_text": "from £20",
        "description": "Any amount, for any treatment. Sent by e-mail, valid for a year.",
        "url": "https://studio.mintkit.co.uk/demo/gift-card",
        "is_primary": True,
    },
    {
        "title": "Cut & finish voucher",
        "kind": Offer.Kind.VOUCHER,
        "price_text": "£45",
        "description": "A wash, cut and blow-dry with one of our senior stylists.",
        "url": "https://studio.mintkit.co.uk/demo/cut-and-finish",
    },
    {
        "title": "Summer hair masterclass",
        "kind": Offer.Kind.TICKET,
        "price_text": "£30",
        "description": "An evening of easy styling tips, with drinks. 12 places.",
        "url": "https://studio.mintkit.co.uk/demo/masterclass",
    },
]

HOURS = [
    *[(day, dt.time(9), dt.time(17, 30)) for day in range(0, 5)],
    (3, dt.time(18, 30), dt.time(20, 30)),  # late opening on Thursdays
    (5, dt.time(9), dt.time(13)),
    (5, dt.time(14), dt.time(16)),
]


def run(*, stdout) -> None:
    profile = Profile.objects.filter(user__email=DEMO_EMAIL).first()
    if profile is None:
        stdout.write(f"storefronts: no demo profile ({DEMO_EMAIL}); skipping the storefront.")
        return
    if profile.storefronts.exists():
        stdout.write("storefronts: the demo storefront exists already; left as it is.")
        return
    if Storefront.objects.filter(slug=DEMO_SLUG).exists():
        stdout.write(f"storefronts: /storefront/{DEMO_SLUG}/ belongs to someone else; skipping.")
        return
    storefront = Storefront.objects.create(
        profile=profile,
        name="Mint & Co Hair",
        slug=DEMO_SLUG,
        headline="Friendly neighbourhood hair salon in Walthamstow",
        description=(
            "We're a small, independent salon: cuts, colour and styling for everyone.\n\n"
            "Give someone a treat with a gift card, or book a place at one of our evenings."
        ),
        category=Category.HAIR_SALON,
        contact_email="hello@mintandco.example",
        phone="+442079460958",
        street="12 Hoe Street",
        town="London",
        postcode="E17 4PG",
        country="United Kingdom",
        website_url="https://mintandco.example",
        instagram_url="https://www.instagram.com/mintandco.example",
        brand_colour="#146c43",
        cta_label="Buy a gift card",
        is_active=True,
    )
    for order, offer in enumerate(OFFERS):
        Offer.objects.create(storefront=storefront, sort_order=order, **offer)
    OpeningHours.objects.bulk_create(
        OpeningHours(storefront=storefront, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in HOURS
    )
    today = dt.date.today()
    christmas = dt.date(today.year, 12, 25)
    if christmas < today:
        christmas = christmas.replace(year=today.year + 1)
    SpecialDate.objects.create(
        storefront=storefront, date=christmas, closed=True, note="Christmas Day"
    )
    stdout.write(f"storefronts: demo storefront live at /storefront/{DEMO_SLUG}/.")
