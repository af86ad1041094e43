"""The storefront's schema.org JSON-LD: the business, its hours, its offers.

``addressCountry`` is an ISO 3166-1 alpha-2 code when the owner's country text is one we
know (``GB`` for "United Kingdom", "UK", "England", …), else the text as typed; offers carry
``price`` and ``priceCurrency`` only when their price text states one amount in a known
currency ("£25", "25.00 GBP"), a ``minPrice`` for "from £10", and no price otherwise.
"""

import re
from decimal import Decimal, InvalidOperation
from urllib.parse import urljoin

from wagtail.images.shortcuts import get_rendition_or_not_found

from .contact_source import storefront_contact
from .hours import opening_hours_specification
from .links import is_web_url
from .models import Offer, Storefront

# The names owners type for the countries our customers are in (lower case, no dots).
COUNTRY_CODES = {
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "cymru": "GB",
    "northern ireland": "GB",
    "united kingdom of great britain and northern ireland": "GB",
    "gb": "GB",
    "ireland": "IE",
    "republic of ireland": "IE",
    "eire": "IE",
    "éire": "IE",
    "ie": "IE",
    "isle of man": "IM",
    "jersey": "JE",
    "guernsey": "GG",
    "gibraltar": "GI",
    "france": "FR",
    "germany": "DE",
    "deutschland": "DE",
    "spain": "ES",
    "españa": "ES",
    "portugal": "PT",
    "italy": "IT",
    "italia": "IT",
    "netherlands": "NL",
    "the netherlands": "NL",
    "belgium": "BE",
    "luxembourg": "LU",
    "switzerland": "CH",
    "austria": "AT",
    "denmark": "DK",
    "sweden": "SE",
    "norway": "NO",
    "finland": "FI",
    "iceland": "IS",
    "poland": "PL",
    "czechia": "CZ",
    "czech republic": "CZ",
    "greece": "GR",
    "malta": "MT",
    "cyprus": "CY",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "canada": "CA",
    "australia": "AU",
    "new zealand": "NZ",
    "south africa": "ZA",
    "india": "IN",
}

CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
CURRENCY_CODES = {"GBP", "EUR", "USD", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN"}
_AMOUNT = r"(\d{1,6}(?:[.,]\d{1,2})?)"
_PRICE_PATTERNS = [
    re.compile(rf"^(?P<from>from\s+)?(?P<symbol>[£€$])\s?{_AMOUNT}$", re.I),
    re.compile(rf"^(?P<from>from\s+)?{_AMOUNT}\s?(?P<code>[A-Z]{{3}})$", re.I),
    re.compile(rf"^(?P<from>from\s+)?(?P<code>[A-Z]{{3}})\s?{_AMOUNT}$", re.I),
]


def country_code(name: str) -> str:
    """ISO 3166-1 alpha-2 for a country name we know, else the name unchanged."""
    key = re.sub(r"[.\s]+", " ", name.replace(".", "")).strip().lower()
    return COUNTRY_CODES.get(key, name.strip())


def offer_price(text: str) -> dict:
    """schema.org price fields for a price as the owner wrote it; ``{}`` if it is not one."""
    text = " ".join(text.split())
    for pattern in _PRICE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        groups = match.groupdict()
        currency = CURRENCY_SYMBOLS.get(groups.get("symbol") or "") or (
            (groups.get("code") or "").upper()
        )
        if currency not in CURRENCY_CODES:
            return {}
        amount_text = next(g for g in match.groups() if g and re.fullmatch(_AMOUNT, g))
        try:
            amount = Decimal(amount_text.replace(",", "."))
        except InvalidOperation:
            return {}
        value = f"{amount:.2f}"
        if groups.get("from"):
            return {
                "priceSpecification": {
                    "@type": "PriceSpecification",
                    "minPrice": value,
                    "priceCurrency": currency,
                },
                "priceCurrency": currency,
            }
        return {"price": value, "priceCurrency": currency}
    return {}


def offer_json_ld(offer: Offer) -> dict:
    item_type = "Service" if offer.kind == Offer.Kind.SERVICE else "Product"
    item = {"@type": item_type, "name": offer.title}
    if offer.description:
        item["description"] = offer.description
    data = {
        "@type": "Offer",
        "name": offer.title,
        "category": offer.get_kind_display(),
        "itemOffered": item,
        **offer_price(offer.price_text),
    }
    if is_web_url(offer.url):
        data["url"] = offer.url
    return data


def storefront_json_ld(
    *, storefront: Storefront, url: str, image_url: str | None, week, special
) -> dict:
    """JSON-LD for a storefront fetched with ``storefront_with_content`` (offers prefetched)."""
    data = {
        "@context": "https://schema.org",
        "@type": storefront.category,
        "name": storefront.name,
        "url": url,
    }
    if storefront.headline or storefront.description:
        data["description"] = storefront.headline or storefront.description[:300]
    contact = storefront_contact(storefront=storefront)  # the profile's unless overridden
    if contact.logo is not None:
        # A missing source file must not take the page down; Wagtail gives a placeholder.
        logo = get_rendition_or_not_found(contact.logo, "fill-400x400|format-png")
        data["logo"] = urljoin(url, logo.url)
    if image_url:
        data["image"] = image_url
    elif "logo" in data:
        data["image"] = data["logo"]
    if contact.phone:
        data["telephone"] = contact.phone
    if contact.email:
        data["email"] = contact.email
    if storefront.has_address:
        data["address"] = {
            "@type": "PostalAddress",
            "streetAddress": storefront.street,
            "addressLocality": storefront.town,
            "postalCode": storefront.postcode,
            "addressCountry": country_code(storefront.country),
        }
    links = [link for _label, link in storefront.social_links]
    if links:
        data["sameAs"] = links
    offers = [offer_json_ld(o) for o in storefront.offers.all() if o.is_active]
    if offers:
        data["makesOffer"] = offers
        data["hasOfferCatalog"] = {
            "@type": "OfferCatalog",
            "name": f"{storefront.name}: buy online",
            "itemListElement": offers,
        }
    spec = opening_hours_specification(week=week, special=special)
    if spec:
        data["openingHoursSpecification"] = spec
    return data
