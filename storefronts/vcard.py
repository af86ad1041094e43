"""A storefront as a vCard 3.0 ("Add to contacts").

Version 3.0 (RFC 2426) because it is the one both iOS and Android contacts import without
asking. Owner text is escaped as RFC 2426 §5 / RFC 6350 §3.4 say (backslash, comma,
semicolon, line breaks), other control characters are dropped, and lines are folded at 75
octets without splitting a UTF-8 character, so no name can add or end a property.
"""

import re

from .contact_source import storefront_contact
from .models import Storefront

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLD_AT = 75  # octets, CRLF excluded


def vcard_escape(value: str) -> str:
    value = _CONTROL.sub("", value)
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuations start with a space."""
    chunks, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = _FOLD_AT if not chunks else _FOLD_AT - 1  # the leading space counts
        if size + width > limit:
            chunks.append(current)
            current, size = "", 0
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def storefront_vcard(*, storefront: Storefront, page_url: str) -> str:
    """The storefront's contact card: name, phone, e-mail, address, links."""
    name = vcard_escape(storefront.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//MintKit Hub//Storefront//EN",
        # A business, not a person: no family/given name, the organisation is the card's name.
        "N:;;;;",
        f"FN:{name}",
        f"ORG:{name}",
        "X-ABShowAs:COMPANY",
    ]
    contact = storefront_contact(storefront=storefront)  # the profile's unless overridden
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{vcard_escape(contact.phone)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{vcard_escape(contact.email)}")
    if storefront.has_address:
        parts = ["", "", storefront.street, storefront.town, "", storefront.postcode]
        parts.append(storefront.country)
        lines.append("ADR;TYPE=WORK:" + ";".join(vcard_escape(p) for p in parts))
    lines.append(f"URL:{vcard_escape(page_url)}")
    for label, url in storefront.social_links:
        if label == "Website":
            lines.append(f"URL;TYPE=WORK:{vcard_escape(url)}")
        else:
            lines.append(f"X-SOCIALPROFILE;TYPE={label.lower()}:{vcard_escape(url)}")
    if storefront.headline:
        lines.append(f"NOTE:{vcard_escape(storefront.headline)}")
    lines.append("END:VCARD")
    return "".join(_fold(line) + "\r\n" for line in lines)
