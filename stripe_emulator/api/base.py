"""What every group of endpoints shares: lookups, pagination, expansion, metadata, the
customer's clock, and validation of a subscription item change."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import objects
from ..errors import missing, not_implemented
from ..params import ParamError, get_dict, get_int, get_str, merge_metadata
from ..stripe_types import ItemChange, Params, StripeObject

if TYPE_CHECKING:
    from ..billing import Billing
    from ..store import Store

PRORATION_BEHAVIORS = ("create_prorations", "none", "always_invoice")

NAMES = {
    "products": "product",
    "prices": "price",
    "customers": "customer",
    "payment_methods": "payment_method",
    "checkout_sessions": "checkout.session",
    "subscriptions": "subscription",
    "invoices": "invoice",
    "events": "event",
    "portal_sessions": "billing_portal.session",
    "test_clocks": "test_helpers.test_clock",
    "payment_intents": "payment_intent",
    "charges": "charge",
    "refunds": "refund",
    "disputes": "dispute",
    "invoice_items": "invoiceitem",
    "invoice_payments": "invoice_payment",
    "portal_configurations": "billing_portal.configuration",
    "webhook_endpoints": "webhook_endpoint",
}


def _choice(
    params: Params, name: str, choices: tuple[str, ...], label: str, default: str | None = None
) -> Any:
    value = get_str(params, name)
    if value is None:
        return default
    if value not in choices:
        raise ParamError(
            f"Invalid {label}: must be one of {', '.join(choices)}", label, "parameter_invalid"
        )
    return value


class ApiBase:
    store: Store
    billing: Billing
    base_url: str

    # -- helpers ---------------------------------------------------------------------

    def get(self, collection: str, obj_id: str, param: str = "id") -> StripeObject:
        obj: StripeObject | None = getattr(self.store, collection).get(obj_id)
        if obj is None:
            raise missing(NAMES[collection], obj_id, param)
        return obj

    def retriever(self, collection: str) -> Callable[..., StripeObject]:
        """The handler of ``GET /v1/<collection>/<id>``: the stored object, or Stripe's 404."""

        def retrieve(params: Params, id: str) -> StripeObject:
            return self.get(collection, id)

        return retrieve

    def paginate(self, items: list[Any], params: Params, url: str) -> StripeObject:
        limit = get_int(params, "limit", default=10)
        if not 1 <= limit <= 100:
            raise ParamError("Invalid limit: must be between 1 and 100", "limit")
        items = list(reversed(items))  # newest first
        after = get_str(params, "starting_after")
        before = get_str(params, "ending_before")
        ids = [o["id"] for o in items]
        if after:
            if after not in ids:
                raise missing("object", after, "starting_after")
            items = items[ids.index(after) + 1 :]
        elif before:
            if before not in ids:
                raise missing("object", before, "ending_before")
            items = items[: ids.index(before)]
            has_more = len(items) > limit
            return objects.list_object([objects.public(o) for o in items[-limit:]], url, has_more)
        page = items[:limit]
        return objects.list_object([objects.public(o) for o in page], url, len(items) > limit)

    def expand(self, body: StripeObject, paths: list[str]) -> StripeObject:
        body = objects.public(body) if "object" in body else body
        for path in paths:
            self._expand_path(body, path.split("."), path)
        return body

    def _expand_path(self, obj: Any, parts: list[str], full: str) -> None:
        if obj is None or not parts:
            return
        head, rest = parts[0], parts[1:]
        if not isinstance(obj, dict):
            raise ParamError(f"This property cannot be expanded ({full}).", "expand")
        if obj.get("object") == "list" and head == "data":
            for item in obj["data"]:
                self._expand_path(item, rest, full)
            return
        if head == "line_items" and obj.get("object") == "checkout.session":
            session = self.store.checkout_sessions[obj["id"]]
            obj["line_items"] = self._session_line_items(session)
        elif head not in obj:
            raise ParamError(f"This property cannot be expanded ({full}).", "expand")
        value = obj[head]
        if isinstance(value, str):
            target = self.store.lookup(value)
            if target is None:
                raise ParamError(f"This property cannot be expanded ({full}).", "expand")
            obj[head] = value = objects.public(target)
        if rest:
            self._expand_path(value, rest, full)

    def _metadata(self, params: Params, current: StripeObject | None = None) -> StripeObject:
        return merge_metadata(current or {}, get_dict(params, "metadata"))

    def _customer_now(self, customer_id: str | None) -> int:
        customer = self.store.customers.get(customer_id) if customer_id else None
        return self.billing.now_for_customer(customer)

    def _session_line_items(self, session: StripeObject) -> StripeObject:
        data = []
        for li in session["_line_items"]:
            p = self.store.prices[li["price"]]
            product = self.store.products.get(p["product"], {})
            name: str = product["name"] if "name" in product else p["product"]
            data.append(objects.checkout_line_item(p, li["quantity"], name))
        return objects.list_object(data, f"/v1/checkout/sessions/{session['id']}/line_items")

    def _filtered_list(
        self, collection: str, params: Params, url: str, filters: tuple[str, ...]
    ) -> StripeObject:
        items = list(getattr(self.store, collection).values())
        for key in filters:
            value = get_str(params, key)
            if value:
                items = [o for o in items if o.get(key) == value]
        return self.paginate(items, params, url)

    def _item_change(self, sub: StripeObject, raw_items: list[Any], prefix: str) -> ItemChange:
        """(item, new price, quantity) from ``items[0][id|price|quantity]``."""
        if len(raw_items) != 1 or not isinstance(raw_items[0], dict):
            raise ParamError(
                "The emulator changes one subscription item per request: pass exactly one "
                f"{prefix}[0] with its id.",
                prefix,
            )
        raw = raw_items[0]
        for key in raw:
            if key not in ("id", "price", "quantity"):
                raise not_implemented(f"{prefix}[0][{key}]")
        item_id = get_str(raw, "id")
        if not item_id:
            raise ParamError(
                "The emulator does not add items to a subscription: pass "
                f"{prefix}[0][id] (the existing subscription item) with the new price.",
                f"{prefix}[0][id]",
                "parameter_missing",
            )
        item = next((i for i in sub["items"]["data"] if i["id"] == item_id), None)
        if item is None:
            raise ParamError(
                f"No such subscription item: '{item_id}'",
                f"{prefix}[0][id]",
                "resource_missing",
            )
        price_id = get_str(raw, "price")
        price = (
            self.get("prices", price_id, f"{prefix}[0][price]")
            if price_id
            else self.store.prices.get(item["price"]["id"], item["price"])
        )
        if price["type"] != "recurring":
            raise ParamError("The price specified is not a recurring price.", f"{prefix}[0][price]")
        if not price["active"]:
            raise ParamError(
                f"The price specified is inactive. This field only accepts active prices. "
                f"({price['id']})",
                f"{prefix}[0][price]",
            )
        if price["currency"] != item["price"]["currency"]:
            raise ParamError(
                "The price specified has a different currency from the subscription.",
                f"{prefix}[0][price]",
            )
        quantity = get_int(raw, "quantity", default=item["quantity"])
        if quantity < 1:
            raise ParamError("Quantity must be at least 1.", f"{prefix}[0][quantity]")
        return item, price, quantity
