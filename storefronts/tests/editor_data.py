"""POST data for the storefront editor, as a browser would send it, and where it goes."""

# The editor of the owner's first storefront.
EDIT = "/dashboard/storefront/"


def editor_data(**overrides) -> dict:
    data = {
        "name": "Mint & Co",
        "slug": "mint-co",
        "headline": "Hair and beauty in Leyton",
        "description": "First paragraph.\n\nSecond paragraph.",
        "category": "HairSalon",
        "brand_colour": "#146c43",
        "cta_label": "",
        "cta_url": "",
        "contact_email": "hello@mint.example",
        "phone": "020 7946 0958",
        "street": "1 High Road",
        "town": "London",
        "postcode": "E10 5AA",
        "country": "United Kingdom",
        "website_url": "",
        "instagram_url": "",
        "facebook_url": "",
        "tiktok_url": "",
        "time_zone": "Europe/London",
        "offers-TOTAL_FORMS": "2",
        "offers-INITIAL_FORMS": "0",
        "offers-0-title": "Gift card",
        "offers-0-kind": "gift_card",
        "offers-0-price_text": "from £20",
        "offers-0-url": "https://studio.mintkit.co.uk/p/gift",
        "offers-0-sort_order": "0",
        "offers-0-is_active": "on",
        # A blank spare row (the no-JS form has some): ignored.
        "offers-1-kind": "gift_card",
        "offers-1-sort_order": "0",
        "offers-1-is_active": "on",
        "hours-TOTAL_FORMS": "2",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": "0",
        "hours-0-opens": "09:00",
        "hours-0-closes": "17:00",
        "hours-1-weekday": "",
        "special-TOTAL_FORMS": "1",
        "special-INITIAL_FORMS": "0",
        "special-0-closed": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
