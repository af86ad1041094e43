"""Type aliases for the emulator's data: Stripe objects and request parameters are JSON-like
dicts (their shapes are Stripe's, built in :mod:`stripe_emulator.objects`)."""

from __future__ import annotations

from typing import Any, TypeAlias

# A Stripe object as stored and returned (``{"id": ..., "object": "invoice", ...}``), or any
# nested part of one.
StripeObject: TypeAlias = dict[str, Any]
# Decoded request parameters (form-encoded ``a[b][0]=c`` becomes nested dicts and lists).
Params: TypeAlias = dict[str, Any]
# One of the store's collections: object id -> object.
Collection: TypeAlias = dict[str, StripeObject]
# What a hosted page handler returns: ("html", status, html), ("redirect", location) or
# ("json", status, body).
HostedResult: TypeAlias = tuple[Any, ...]
# A change of one subscription item: (the item, its new price, the new quantity).
ItemChange: TypeAlias = tuple[StripeObject, StripeObject, int]
# Invoice previews of the portal's plan switches: (subscription id, price id) -> invoice.
Previews: TypeAlias = dict[tuple[str, str | None], StripeObject]
