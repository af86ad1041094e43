"""Stripe REST endpoints: routing, validation, lists, expansion."""

from __future__ import annotations

import copy
import re

from . import objects, schema
from .api_billing import BillingApi, not_implemented
from .billing import Billing
from .implemented import implemented_for
from .params import (
    ParamError,
    get_bool,
    get_dict,
    get_int,
    get_list,
    get_str,
    merge_metadata,
)
from .store import Store
from .webhook_endpoints import WebhookEndpoints

# Error codes of the emulator's own refusals (no page on stripe.com to link to).
EMULATOR_CODES = {"parameter_not_implemented", "api_version_not_supported"}


class StripeError(Exception):
    def __init__(
        self,
        status: int,
        message: str,
        type_: str = "invalid_request_error",
        code: str | None = None,
        param: str | None = None,
        validation: bool = False,
    ):
        super().__init__(message)
        self.status = status
        # A request refused by validation never started executing: Stripe does not save its
        # result under the Idempotency-Key (a corrected retry with the same key runs).
        self.validation = validation
        self.body = {"error": {"type": type_, "message": message}}
        if code:
            self.body["error"]["code"] = code
            if code not in EMULATOR_CODES:
                self.body["error"]["doc_url"] = f"https://stripe.com/docs/error-codes/{code}"
        if param:
            self.body["error"]["param"] = param


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


def missing(kind: str, obj_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{obj_id}'", code="resource_missing", param=param)


class Api(BillingApi):
    def __init__(self, store: Store, billing: Billing):
        self.store = store
        self.billing = billing
        self.endpoints = WebhookEndpoints(self)
        self.routes: list[tuple[str, re.Pattern, object]] = []
        r = self._route
        r("POST", r"/v1/products", self.product_create)
        r("GET", r"/v1/products", self.product_list)
        r("GET", r"/v1/products/(?P<id>[^/]+)", self.product_retrieve)
        r("POST", r"/v1/products/(?P<id>[^/]+)", self.product_update)
        r("POST", r"/v1/prices", self.price_create)
        r("GET", r"/v1/prices", self.price_list)
        r("GET", r"/v1/prices/(?P<id>[^/]+)", self.price_retrieve)
        r("POST", r"/v1/prices/(?P<id>[^/]+)", self.price_update)
        r("POST", r"/v1/customers", self.customer_create)
        r("GET", r"/v1/customers", self.customer_list)
        r("GET", r"/v1/customers/(?P<id>[^/]+)", self.customer_retrieve)
        r("POST", r"/v1/customers/(?P<id>[^/]+)", self.customer_update)
        r("DELETE", r"/v1/customers/(?P<id>[^/]+)", self.customer_delete)
        r("GET", r"/v1/payment_methods/(?P<id>[^/]+)", self.pm_retrieve)
        r("GET", r"/v1/payment_methods", self.pm_list)
        r("POST", r"/v1/checkout/sessions", self.session_create)
        r("GET", r"/v1/checkout/sessions", self.session_list)
        r("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)", self.session_retrieve)
        r("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)/line_items", self.session_line_items)
        r("POST", r"/v1/checkout/sessions/(?P<id>[^/]+)/expire", self.session_expire)
        r("GET", r"/v1/subscriptions", self.sub_list)
        r("GET", r"/v1/subscriptions/(?P<id>[^/]+)", self.sub_retrieve)
        r("POST", r"/v1/subscriptions/(?P<id>[^/]+)", self.sub_update)
        r("DELETE", r"/v1/subscriptions/(?P<id>[^/]+)", self.sub_cancel)
        r("POST", r"/v1/billing_portal/sessions", self.portal_create)
        r("GET", r"/v1/invoices", self.invoice_list)
        r("GET", r"/v1/invoices/(?P<id>[^/]+)", self.invoice_retrieve)
        r("GET", r"/v1/invoices/(?P<id>[^/]+)/lines", self.invoice_lines)
        r("GET", r"/v1/events", self.event_list)
        r("GET", r"/v1/events/(?P<id>[^/]+)", self.event_retrieve)
        r("POST", r"/v1/test_helpers/test_clocks", self.clock_create)
        r("GET", r"/v1/test_helpers/test_clocks", self.clock_list)
        r("GET", r"/v1/test_helpers/test_clocks/(?P<id>[^/]+)", self.clock_retrieve)
        r("DELETE", r"/v1/test_helpers/test_clocks/(?P<id>[^/]+)", self.clock_delete)
        r("POST", r"/v1/test_helpers/test_clocks/(?P<id>[^/]+)/advance", self.clock_advance)
        # billing changes, payments, refunds, disputes, portal configurations (api_billing)
        r("POST", r"/v1/invoices/create_preview", self.invoice_create_preview)
        r("GET", r"/v1/invoiceitems", self.invoiceitem_list)
        r("GET", r"/v1/invoiceitems/(?P<id>[^/]+)", self.invoiceitem_retrieve)
        r("GET", r"/v1/invoice_payments", self.invoice_payment_list)
        r("GET", r"/v1/invoice_payments/(?P<id>[^/]+)", self.invoice_payment_retrieve)
        r("GET", r"/v1/payment_intents", self.payment_intent_list)
        r("GET", r"/v1/payment_intents/(?P<id>[^/]+)", self.payment_intent_retrieve)
        r("GET", r"/v1/charges", self.charge_list)
        r("GET", r"/v1/charges/(?P<id>[^/]+)", self.charge_retrieve)
        r("POST", r"/v1/refunds", self.refund_create)
        r("GET", r"/v1/refunds", self.refund_list)
        r("GET", r"/v1/refunds/(?P<id>[^/]+)", self.refund_retrieve)
        r("GET", r"/v1/disputes", self.dispute_list)
        r("GET", r"/v1/disputes/(?P<id>[^/]+)", self.dispute_retrieve)
        r("POST", r"/v1/disputes/(?P<id>[^/]+)/close", self.dispute_close)
        r("POST", r"/v1/billing_portal/configurations", self.portal_configuration_create)
        r("GET", r"/v1/billing_portal/configurations", self.portal_configuration_list)
        r(
            "GET",
            r"/v1/billing_portal/configurations/(?P<id>[^/]+)",
            self.portal_configuration_retrieve,
        )
        r(
            "POST",
            r"/v1/billing_portal/configurations/(?P<id>[^/]+)",
            self.portal_configuration_update,
        )
        r("POST", r"/v1/webhook_endpoints", self.endpoints.create)
        r("GET", r"/v1/webhook_endpoints", self.endpoints.list)
        r("GET", r"/v1/webhook_endpoints/(?P<id>[^/]+)", self.endpoints.retrieve)
        r("POST", r"/v1/webhook_endpoints/(?P<id>[^/]+)", self.endpoints.update)
        r("DELETE", r"/v1/webhook_endpoints/(?P<id>[^/]+)", self.endpoints.delete)

    def _route(self, method: str, pattern: str, func) -> None:
        self.routes.append((method, re.compile(pattern + r"/?\Z"), func))

    @staticmethod
    def route_string(compiled: re.Pattern) -> str:
        """The regex string a route was declared with (the key of ``implemented.py``)."""
        return compiled.pattern.removesuffix(r"/?\Z")

    # -- dispatch ------------------------------------------------------------------

    def dispatch(self, method: str, path: str, params: dict, base_url: str):
        """Validate ``params`` (SDK schema, then what the route implements), run the handler.
        Returns (status, body); raises StripeError."""
        for route_method, pattern, handler in self.routes:
            match = pattern.match(path)
            if match and route_method == method:
                func = handler
                break
        else:
            raise StripeError(
                404,
                f"Unrecognized request URL ({method}: {path}). Please see "
                "https://stripe.com/docs or we can help at https://support.stripe.com/.",
            )
        try:
            schema.validate(
                method, path, params, implemented_for(method, self.route_string(pattern))
            )
        except ParamError as exc:
            raise StripeError(
                400, exc.message, code=exc.code, param=exc.param, validation=True
            ) from None
        try:
            with self.store.lock:
                self.base_url = base_url
                body = func(params, **match.groupdict())
                expand = [e for e in get_list(params, "expand") if isinstance(e, str)]
                body = self.expand(body, expand)
                if method != "GET":
                    self.store.save()
                return 200, body
        except ParamError as exc:
            raise StripeError(
                400, exc.message, code=exc.code, param=exc.param, validation=True
            ) from None

    # -- helpers ---------------------------------------------------------------------

    def get(self, collection: str, obj_id: str, param: str = "id") -> dict:
        obj = getattr(self.store, collection).get(obj_id)
        if obj is None:
            raise missing(NAMES[collection], obj_id, param)
        return obj

    def paginate(self, items: list, params: dict, url: str) -> dict:
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

    def expand(self, body: dict, paths: list[str]) -> dict:
        body = objects.public(body) if "object" in body else body
        for path in paths:
            self._expand_path(body, path.split("."), path)
        return body

    def _expand_path(self, obj, parts: list[str], full: str) -> None:
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

    def _metadata(self, params: dict, current: dict | None = None) -> dict:
        return merge_metadata(current or {}, get_dict(params, "metadata"))

    def _customer_now(self, customer_id: str | None) -> int:
        customer = self.store.customers.get(customer_id) if customer_id else None
        return self.billing.now_for_customer(customer)

    # -- products --------------------------------------------------------------------

    def product_create(self, params):
        get_str(params, "name", required=True)
        now = self.store.now()
        prod = objects.product(params, now)
        if prod["id"] in self.store.products:
            raise StripeError(
                400, "Product already exists.", code="resource_already_exists", param="id"
            )
        prod["metadata"] = self._metadata(params)
        prod["active"] = get_bool(params, "active", True)
        self.store.products[prod["id"]] = prod
        self.billing.emit("product.created", prod, now)
        return prod

    def product_list(self, params):
        items = list(self.store.products.values())
        active = get_bool(params, "active")
        if active is not None:
            items = [p for p in items if p["active"] == active]
        return self.paginate(items, params, "/v1/products")

    def product_retrieve(self, params, id):
        return self.get("products", id)

    def product_update(self, params, id):
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

    def _claim_lookup_key(self, key: str | None, params: dict, price_id: str) -> None:
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

    def price_create(self, params):
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
        p["metadata"] = self._metadata(params)
        p["active"] = get_bool(params, "active", True)
        self.store.prices[p["id"]] = p
        self.billing.emit("price.created", p, now)
        return p

    def price_list(self, params):
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

    def price_retrieve(self, params, id):
        return self.get("prices", id)

    def price_update(self, params, id):
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

    def customer_create(self, params):
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

    def customer_list(self, params):
        items = list(self.store.customers.values())
        if get_str(params, "email") is not None:
            items = [c for c in items if c["email"] == params["email"]]
        if get_str(params, "test_clock"):
            items = [c for c in items if c["test_clock"] == params["test_clock"]]
        return self.paginate(items, params, "/v1/customers")

    def customer_retrieve(self, params, id):
        return self.get("customers", id)

    def customer_update(self, params, id):
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

    def customer_delete(self, params, id):
        cust = self.get("customers", id)
        now = self._customer_now(id)
        for sub in list(self.store.subscriptions.values()):
            if sub["customer"] == id:
                self.billing.cancel_now(sub, now)
        del self.store.customers[id]
        self.billing.emit("customer.deleted", cust, now)
        return {"id": id, "object": "customer", "deleted": True}

    def pm_retrieve(self, params, id):
        return self.get("payment_methods", id)

    def pm_list(self, params):
        items = list(self.store.payment_methods.values())
        if get_str(params, "customer"):
            items = [p for p in items if p["customer"] == params["customer"]]
        return self.paginate(items, params, "/v1/payment_methods")

    # -- checkout sessions -------------------------------------------------------------------

    def session_create(self, params):
        mode = get_str(params, "mode", required=True)
        if mode != "subscription":
            raise ParamError("The emulator only supports mode=subscription.", "mode")
        success_url = get_str(params, "success_url")
        if not success_url:
            raise ParamError(
                "Missing required param: success_url.", "success_url", "parameter_missing"
            )
        raw_items = get_list(params, "line_items")
        if not raw_items:
            raise ParamError(
                "Missing required param: line_items.", "line_items", "parameter_missing"
            )
        line_items = []
        for i, li in enumerate(raw_items):
            if not isinstance(li, dict) or not li.get("price"):
                raise ParamError(
                    f"Missing required param: line_items[{i}][price].",
                    f"line_items[{i}][price]",
                    "parameter_missing",
                )
            p = self.get("prices", li["price"], f"line_items[{i}][price]")
            if p["type"] != "recurring":
                raise ParamError(
                    "You must specify at least one recurring price in `subscription` mode.",
                    f"line_items[{i}][price]",
                )
            quantity = get_int(li, "quantity", default=1)
            line_items.append({"price": p["id"], "quantity": quantity})
        customer_id = get_str(params, "customer")
        if customer_id:
            self.get("customers", customer_id, "customer")
            if get_str(params, "customer_email"):
                raise ParamError(
                    "You may only specify one of these parameters: customer, customer_email.",
                    "customer_email",
                )
        sub_data = get_dict(params, "subscription_data") or {}
        trial_days = get_int(sub_data, "trial_period_days")
        if trial_days is not None and trial_days < 1:
            raise ParamError(
                "trial_period_days must be at least 1.", "subscription_data[trial_period_days]"
            )
        now = self._customer_now(customer_id)
        full_items = [
            {"price": self.store.prices[li["price"]], "quantity": li["quantity"]}
            for li in line_items
        ]
        params = dict(params, metadata=self._metadata(params))
        session = objects.checkout_session(params, full_items, now, self.base_url)
        session["_line_items"] = line_items
        session["_trial_days"] = trial_days
        session["_subscription_metadata"] = merge_metadata({}, get_dict(sub_data, "metadata"))
        self.store.checkout_sessions[session["id"]] = session
        return session

    def _session_line_items(self, session: dict) -> dict:
        data = []
        for li in session["_line_items"]:
            p = self.store.prices[li["price"]]
            name = self.store.products.get(p["product"], {}).get("name", p["product"])
            data.append(objects.checkout_line_item(p, li["quantity"], name))
        return objects.list_object(data, f"/v1/checkout/sessions/{session['id']}/line_items")

    def session_line_items(self, params, id):
        session = self.get("checkout_sessions", id)
        lst = self._session_line_items(session)
        return self.paginate(lst["data"][::-1], params, lst["url"])

    def session_list(self, params):
        items = list(self.store.checkout_sessions.values())
        for key in ("customer", "subscription", "status"):
            if get_str(params, key):
                items = [s for s in items if s[key] == params[key]]
        return self.paginate(items, params, "/v1/checkout/sessions")

    def session_retrieve(self, params, id):
        return self.get("checkout_sessions", id)

    def session_expire(self, params, id):
        session = self.get("checkout_sessions", id)
        if session["status"] != "open":
            raise StripeError(
                400,
                f'Only Checkout Sessions with a status in ["open"] can be '
                f"expired. This Checkout Session has a status of "
                f'"{session["status"]}".',
            )
        self.billing.expire_session(session, self._customer_now(session["customer"]))
        return session

    # -- subscriptions ----------------------------------------------------------------------

    def sub_list(self, params):
        items = list(self.store.subscriptions.values())
        status = get_str(params, "status")
        if status is None:
            items = [s for s in items if s["status"] not in ("canceled", "incomplete_expired")]
        elif status == "ended":
            items = [s for s in items if s["status"] in ("canceled", "incomplete_expired")]
        elif status != "all":
            items = [s for s in items if s["status"] == status]
        if get_str(params, "customer"):
            items = [s for s in items if s["customer"] == params["customer"]]
        if get_str(params, "price"):
            items = [
                s
                for s in items
                if any(i["price"]["id"] == params["price"] for i in s["items"]["data"])
            ]
        if get_str(params, "test_clock"):
            items = [s for s in items if s["test_clock"] == params["test_clock"]]
        return self.paginate(items, params, "/v1/subscriptions")

    def sub_retrieve(self, params, id):
        return self.get("subscriptions", id)

    def sub_update(self, params, id):
        sub = self.get("subscriptions", id)
        now = self._customer_now(sub["customer"])
        if sub["status"] == "canceled" and any(k != "expand" for k in params):
            raise StripeError(
                400,
                "A canceled subscription can only update its cancellation_details and metadata.",
            )
        if "pause_collection" in params:
            raise not_implemented("pause_collection")
        self._sub_price_change(sub, params, now)
        if "metadata" in params:
            self.billing.update_metadata(sub, self._metadata(params, sub["metadata"]), now)
        flag = get_bool(params, "cancel_at_period_end")
        details = get_dict(params, "cancellation_details") or {}
        if flag is not None:
            self.billing.set_cancel_at_period_end(sub, flag, now, details.get("comment"))
        if "cancel_at" in params:
            cancel_at = get_int(params, "cancel_at")  # "" unsets it
            if cancel_at is not None and cancel_at <= now:
                raise ParamError("cancel_at must be in the future.", "cancel_at")
            self.billing.set_cancel_at(sub, cancel_at, now, details.get("comment"))
        if "default_payment_method" in params:
            pm_id = get_str(params, "default_payment_method") or None
            if pm_id:
                self.get("payment_methods", pm_id, "default_payment_method")
            sub["default_payment_method"] = pm_id
        return sub

    def sub_cancel(self, params, id):
        sub = self.get("subscriptions", id)
        if sub["status"] == "canceled":
            raise StripeError(
                404, f"No such subscription: '{id}'", code="resource_missing", param="id"
            )
        details = get_dict(params, "cancellation_details") or {}
        self.billing.cancel_now(
            sub, self._customer_now(sub["customer"]), comment=details.get("comment")
        )
        return sub

    # -- billing portal --------------------------------------------------------------------

    def portal_create(self, params):
        customer_id = get_str(params, "customer", required=True)
        self.get("customers", customer_id, "customer")
        conf = self._portal_configuration_for(params)
        flow_data = get_dict(params, "flow_data")
        flow = self._portal_flow(flow_data, customer_id, conf) if flow_data else None
        session = objects.portal_session(
            customer_id,
            get_str(params, "return_url") or conf["default_return_url"],
            self._customer_now(customer_id),
            self.base_url,
        )
        session["configuration"] = conf["id"]
        session["flow"] = flow
        self.store.portal_sessions[session["id"]] = session
        return session

    # -- invoices ----------------------------------------------------------------------------

    def invoice_list(self, params):
        items = list(self.store.invoices.values())
        if get_str(params, "customer"):
            items = [i for i in items if i["customer"] == params["customer"]]
        if get_str(params, "subscription"):
            items = [
                i
                for i in items
                if i["parent"]["subscription_details"]["subscription"] == params["subscription"]
            ]
        if get_str(params, "status"):
            items = [i for i in items if i["status"] == params["status"]]
        return self.paginate(items, params, "/v1/invoices")

    def invoice_retrieve(self, params, id):
        return self.get("invoices", id)

    def invoice_lines(self, params, id):
        inv = self.get("invoices", id)
        return self.paginate(inv["lines"]["data"][::-1], params, inv["lines"]["url"])

    # -- events ------------------------------------------------------------------------------

    def event_list(self, params):
        items = list(self.store.events.values())
        types = get_list(params, "types")
        if get_str(params, "type"):
            pattern = re.escape(params["type"]).replace(r"\*", ".*")
            items = [e for e in items if re.fullmatch(pattern, e["type"])]
        elif types:
            items = [e for e in items if e["type"] in types]
        created = params.get("created")
        if isinstance(created, dict):
            ops = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
            for op, fn in ops.items():
                bound = get_int(created, op)
                if bound is not None:
                    items = [e for e in items if fn(e["created"], bound)]
        return self.paginate(items, params, "/v1/events")

    def event_retrieve(self, params, id):
        return self.get("events", id)

    # -- test clocks ---------------------------------------------------------------------------

    def clock_create(self, params):
        frozen = get_int(params, "frozen_time", required=True)
        now = self.store.now()
        clock = objects.test_clock(frozen, get_str(params, "name"), now)
        self.store.test_clocks[clock["id"]] = clock
        self.billing.emit("test_helpers.test_clock.created", clock, frozen)
        return clock

    def clock_list(self, params):
        return self.paginate(
            list(self.store.test_clocks.values()), params, "/v1/test_helpers/test_clocks"
        )

    def clock_retrieve(self, params, id):
        return self.get("test_clocks", id)

    def clock_delete(self, params, id):
        clock = self.get("test_clocks", id)
        for cust_id in [c["id"] for c in self.store.customers.values() if c["test_clock"] == id]:
            del self.store.customers[cust_id]
            for sub_id in [
                s["id"] for s in self.store.subscriptions.values() if s["customer"] == cust_id
            ]:
                del self.store.subscriptions[sub_id]
        del self.store.test_clocks[id]
        self.billing.emit("test_helpers.test_clock.deleted", clock, clock["frozen_time"])
        return {"id": id, "object": "test_helpers.test_clock", "deleted": True}

    def _clock_advance_limit(self, clock: dict) -> int | None:
        """Stripe: a clock advances at most two billing intervals (the shortest among its
        live subscriptions) at a time. None when it has no live subscription."""
        customers = {
            c["id"] for c in self.store.customers.values() if c["test_clock"] == clock["id"]
        }
        limits = []
        for sub in self.store.subscriptions.values():
            if sub["customer"] not in customers or sub["status"] in (
                "canceled",
                "incomplete_expired",
            ):
                continue
            for item in sub["items"]["data"]:
                rec = item["price"]["recurring"] or {"interval": "month", "interval_count": 1}
                limits.append(
                    objects.add_interval(
                        clock["frozen_time"], rec["interval"], 2 * rec["interval_count"]
                    )
                )
        return min(limits) if limits else None

    def clock_advance(self, params, id):
        clock = self.get("test_clocks", id)
        target = get_int(params, "frozen_time", required=True)
        if target <= clock["frozen_time"]:
            raise ParamError(
                "The frozen_time must be after the test clock's current frozen_time.", "frozen_time"
            )
        limit = self._clock_advance_limit(clock)
        if limit is not None and target > limit:
            raise ParamError(
                "Cannot advance the test clock more than two intervals of its shortest "
                f"subscription interval past its frozen time ({clock['frozen_time']}); "
                f"the furthest allowed frozen_time is {limit}.",
                "frozen_time",
            )
        clock["status"] = "advancing"
        self.billing.emit("test_helpers.test_clock.advancing", clock, clock["frozen_time"])
        self.billing.process(target, id)
        clock["frozen_time"] = target
        clock["status"] = "ready"
        self.billing.emit("test_helpers.test_clock.ready", clock, target)
        return clock
