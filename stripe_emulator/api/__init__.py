"""Stripe REST endpoints: routing and validation here; the handlers by resource in the
modules beside it, each a mixin of :class:`Api`."""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import schema
from ..billing import Billing
from ..errors import StripeError, missing
from ..implemented import ID, RETRIEVABLE, implemented_for
from ..params import ParamError, get_list
from ..store import Store
from ..stripe_types import Params, StripeObject
from ..webhook_endpoints import WebhookEndpoints
from .base import NAMES
from .catalog import CatalogApi
from .checkout import CheckoutApi
from .clocks import ClocksApi
from .invoices import InvoicesApi
from .payments import PaymentsApi
from .portal import PortalApi
from .subscriptions import SubscriptionsApi

__all__ = ["NAMES", "Api", "StripeError", "missing"]

# A route's handler: (params, **path groups) -> the response body.
Handler = Callable[..., StripeObject]


class Api(
    CatalogApi, CheckoutApi, SubscriptionsApi, InvoicesApi, PaymentsApi, PortalApi, ClocksApi
):
    def __init__(self, store: Store, billing: Billing):
        self.store = store
        self.billing = billing
        self.endpoints = WebhookEndpoints(self)
        self.routes: list[tuple[str, re.Pattern[str], Handler]] = []
        r = self._route
        for path, collection in RETRIEVABLE.items():
            r("GET", f"{path}/{ID}", self.retriever(collection))
        r("POST", r"/v1/products", self.product_create)
        r("GET", r"/v1/products", self.product_list)
        r("POST", r"/v1/products/(?P<id>[^/]+)", self.product_update)
        r("POST", r"/v1/prices", self.price_create)
        r("GET", r"/v1/prices", self.price_list)
        r("POST", r"/v1/prices/(?P<id>[^/]+)", self.price_update)
        r("POST", r"/v1/customers", self.customer_create)
        r("GET", r"/v1/customers", self.customer_list)
        r("POST", r"/v1/customers/(?P<id>[^/]+)", self.customer_update)
        r("DELETE", r"/v1/customers/(?P<id>[^/]+)", self.customer_delete)
        r("GET", r"/v1/payment_methods", self.pm_list)
        r("POST", r"/v1/checkout/sessions", self.session_create)
        r("GET", r"/v1/checkout/sessions", self.session_list)
        r("GET", r"/v1/checkout/sessions/(?P<id>[^/]+)/line_items", self.session_line_items)
        r("POST", r"/v1/checkout/sessions/(?P<id>[^/]+)/expire", self.session_expire)
        r("GET", r"/v1/subscriptions", self.sub_list)
        r("POST", r"/v1/subscriptions/(?P<id>[^/]+)", self.sub_update)
        r("DELETE", r"/v1/subscriptions/(?P<id>[^/]+)", self.sub_cancel)
        r("POST", r"/v1/billing_portal/sessions", self.portal_create)
        r("GET", r"/v1/invoices", self.invoice_list)
        r("GET", r"/v1/invoices/(?P<id>[^/]+)/lines", self.invoice_lines)
        r("GET", r"/v1/events", self.event_list)
        r("POST", r"/v1/test_helpers/test_clocks", self.clock_create)
        r("GET", r"/v1/test_helpers/test_clocks", self.clock_list)
        r("DELETE", r"/v1/test_helpers/test_clocks/(?P<id>[^/]+)", self.clock_delete)
        r("POST", r"/v1/test_helpers/test_clocks/(?P<id>[^/]+)/advance", self.clock_advance)
        # billing changes, payments, refunds, disputes, portal configurations (api_billing)
        r("POST", r"/v1/invoices/create_preview", self.invoice_create_preview)
        r("GET", r"/v1/invoiceitems", self.invoiceitem_list)
        r("GET", r"/v1/invoice_payments", self.invoice_payment_list)
        r("GET", r"/v1/payment_intents", self.payment_intent_list)
        r("GET", r"/v1/charges", self.charge_list)
        r("POST", r"/v1/refunds", self.refund_create)
        r("GET", r"/v1/refunds", self.refund_list)
        r("GET", r"/v1/disputes", self.dispute_list)
        r("POST", r"/v1/disputes/(?P<id>[^/]+)/close", self.dispute_close)
        r("POST", r"/v1/billing_portal/configurations", self.portal_configuration_create)
        r("GET", r"/v1/billing_portal/configurations", self.portal_configuration_list)
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

    def _route(self, method: str, pattern: str, func: Handler) -> None:
        self.routes.append((method, re.compile(pattern + r"/?\Z"), func))

    @staticmethod
    def route_string(compiled: re.Pattern[str]) -> str:
        """The regex string a route was declared with (the key of ``implemented.py``)."""
        return str(compiled.pattern).removesuffix(r"/?\Z")

    # -- dispatch ------------------------------------------------------------------

    def dispatch(
        self, method: str, path: str, params: Params, base_url: str
    ) -> tuple[int, StripeObject]:
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
