"""Products, prices, customers and their payment methods."""

from __future__ import annotations

import copy

from .. import objects
from ..errors import StripeError
from ..params import ParamError, get_bool, get_dict, get_int, get_list, get_str
from ..stripe_types import Params, StripeObject
from .base import NAMES, ApiBase


class CatalogApi(ApiBase):
    def _store_created(
        self, collection: str, obj: StripeObject, params: Params, now: int
    ) -> StripeObject:
        """A new product or price: metadata and ``active`` from the request, stored, announced."""
        obj["metadata"] = self._metadata(params)
        obj["active"] = get_bool(params, "active", True)
        getattr(self.store, collection)[obj["id"]] = obj
        self.billing.emit(f"{NAMES[collection]}.created", obj, now)
        return obj

    # -- products --------------------------------------------------------------------

    def product_create(self, params: Params) -> StripeObject:
        get_str(params, "name", required=True)
        now = self.store.now()
        prod = objects.product(params, now)
        if prod["id"] in self.store.products:
            raise StripeError(
                400, "Product already exists.", code="resource_already_exists", param="id"
            )
        return self._store_created("products", prod, params, now)

    def product_list(self, params: Params) -> StripeObject:
        items = list(self.store.products.values())
        active = get_bool(params, "active")
        if active is not None:
            items = [p for p in items if p["active"] == active]
        return self.paginate(items, params, "/v1/products")

    def product_update(self, params: Params, id: str) -> StripeObject:
        prod = self.get("products", id)
        before = copy.deepcopy(prod)
        for key in ("name", "description"):
            if key in params:
                prod[key] = get_str(params, key) or None
        prod["active"] = get_bool(params, "active", prod["active"])
        prod["metadata"] = self._metadata(params, prod["metadata"])
        prev = {k: v for k, v in before.items() if prod[k] != v}
        if prev:
            prod["updated"] = self.store.now()
            self.billing.emit("product.updated", prod, prod["updated"], prev)
        return prod

    # -- prices ------------------------------------------------------------------------

    def _claim_lookup_key(self, key: str | None, params: Params, price_id: str) -> None:
        if not key:
            return
        for other in self.store.prices.values():
            if other["lookup_key"] == key and other["id"] != price_id:
                if get_bool(params, "transfer_lookup_key", False):
                    other["lookup_key"] = None
                else:
                    raise StripeError(
                        400,
                        f"A price (`{other['id']}`) already uses that lookup key.",
                        param="lookup_key",
                    )

    def price_create(self, params: Params) -> StripeObject:
        now = self.store.now()
        product_id = get_str(params, "product")
        product_data = get_dict(params, "product_data")
        if product_id:
            self.get("products", product_id, "product")
        elif product_data:
            prod = self.product_create(product_data)
            product_id = prod["id"]
        else:
            raise ParamError("Missing required param: product.", "product", "parameter_missing")
        unit_amount = get_int(params, "unit_amount", required=True)
        currency = get_str(params, "currency", required=True).lower()
        recurring = get_dict(params, "recurring")
        if recurring is not None:
            interval = get_str(recurring, "interval", required=True)
            if interval not in ("day", "week", "month", "year"):
                raise ParamError(f"Invalid recurring[interval]: {interval}", "recurring[interval]")
            recurring = {
                "interval": interval,
                "interval_count": get_int(recurring, "interval_count", default=1),
            }
        p = objects.price(product_id, unit_amount, currency, recurring, now)
        key = get_str(params, "lookup_key")
        self._claim_lookup_key(key, params, p["id"])
        p["lookup_key"] = key or None
        p["nickname"] = get_str(params, "nickname")
        return self._store_created("prices", p, params, now)

    def price_list(self, params: Params) -> StripeObject:
        items = list(self.store.prices.values())
        if get_str(params, "product"):
            items = [p for p in items if p["product"] == params["product"]]
        active = get_bool(params, "active")
        if active is not None:
            items = [p for p in items if p["active"] == active]
        if get_str(params, "type"):
            items = [p for p in items if p["type"] == params["type"]]
        keys = get_list(params, "lookup_keys")
        if keys:
            items = [p for p in items if p["lookup_key"] in keys]
        if get_str(params, "currency"):
            items = [p for p in items if p["currency"] == params["currency"].lower()]
        return self.paginate(items, params, "/v1/prices")

    def price_update(self, params: Params, id: str) -> StripeObject:
        p = self.get("prices", id)
        before = copy.deepcopy(p)
        if "lookup_key" in params:
            key = get_str(params, "lookup_key")
            self._claim_lookup_key(key, params, p["id"])
            p["lookup_key"] = key or None
        if "nickname" in params:
            p["nickname"] = get_str(params, "nickname") or None
        p["active"] = get_bool(params, "active", p["active"])
        p["metadata"] = self._metadata(params, p["metadata"])
        prev = {k: v for k, v in before.items() if p[k] != v}
        if prev:
            self.billing.emit("price.updated", p, self.store.now(), prev)
        return p

    # -- customers ------------------------------------------------------------------------

    def customer_create(self, params: Params) -> StripeObject:
        clock_id = get_str(params, "test_clock")
        if clock_id:
            now = self.get("test_clocks", clock_id, "test_clock")["frozen_time"]
        else:
            now = self.store.now()
        cust = objects.customer(
            now, get_str(params, "email"), get_str(params, "name"), self._metadata(params), clock_id
        )
        cust["description"] = get_str(params, "description")
        self.store.customers[cust["id"]] = cust
        self.billing.emit("customer.created", cust, now)
        return cust

    def customer_list(self, params: Params) -> StripeObject:
        items = list(self.store.customers.values())
        if get_str(params, "email") is not None:
            items = [c for c in items if c["email"] == params["email"]]
        if get_str(params, "test_clock"):
            items = [c for c in items if c["test_clock"] == params["test_clock"]]
        return self.paginate(items, params, "/v1/customers")

    def customer_update(self, params: Params, id: str) -> StripeObject:
        cust = self.get("customers", id)
        before = copy.deepcopy(cust)
        for key in ("email", "name", "description", "phone"):
            if key in params:
                cust[key] = get_str(params, key) or None
        cust["metadata"] = self._metadata(params, cust["metadata"])
        settings = get_dict(params, "invoice_settings")
        if settings and "default_payment_method" in settings:
            pm_id = get_str(settings, "default_payment_method") or None
            if pm_id:
                self.get("payment_methods", pm_id, "invoice_settings[default_payment_method]")
            cust["invoice_settings"]["default_payment_method"] = pm_id
        prev = {k: v for k, v in before.items() if cust[k] != v}
        if prev:
            self.billing.emit("customer.updated", cust, self._customer_now(id), prev)
        return cust

    def customer_delete(self, params: Params, id: str) -> StripeObject:
        cust = self.get("customers", id)
        now = self._customer_now(id)
        for sub in list(self.store.subscriptions.values()):
            if sub["customer"] == id:
                self.billing.cancel_now(sub, now)
        del self.store.customers[id]
        self.billing.emit("customer.deleted", cust, now)
        return {"id": id, "object": "customer", "deleted": True}

    def pm_list(self, params: Params) -> StripeObject:
        return self._filtered_list("payment_methods", params, "/v1/payment_methods", ("customer",))
