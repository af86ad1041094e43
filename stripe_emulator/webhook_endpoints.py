"""``/v1/webhook_endpoints``: create, retrieve, list, update, delete.

Events are rendered in the API version of the pinned SDK only; an endpoint asking for another
``api_version`` is refused (400) rather than sent payloads in a shape it did not ask for.
"""

from __future__ import annotations

import copy
import secrets
from typing import TYPE_CHECKING

from .objects import API_VERSION
from .params import ParamError, get_bool, get_dict, get_list, get_str, merge_metadata
from .store import new_id
from .stripe_types import Params, StripeObject

if TYPE_CHECKING:
    from .api.base import ApiBase
    from .store import Store


def _events(params: Params, required: bool) -> list[str] | None:
    if "enabled_events" not in params:
        if required:
            raise ParamError(
                "Missing required param: enabled_events.", "enabled_events", "parameter_missing"
            )
        return None
    events = [e for e in get_list(params, "enabled_events") if isinstance(e, str)]
    if not events:
        raise ParamError("Invalid array: enabled_events must not be empty", "enabled_events")
    return events


def _url(params: Params, required: bool) -> str | None:
    url: str | None = get_str(params, "url", required=required)
    if url is not None and not url.startswith(("http://", "https://")):
        raise ParamError(f"Invalid URL: {url}", "url", "url_invalid")
    return url


class WebhookEndpoints:
    def __init__(self, api: ApiBase) -> None:
        self.api = api

    @property
    def store(self) -> Store:
        return self.api.store

    def create(self, params: Params) -> StripeObject:
        url = _url(params, required=True)
        events = _events(params, required=True)
        version = get_str(params, "api_version")
        if version is not None and version != API_VERSION:
            raise ParamError(
                f"The Stripe emulator renders events only in API version {API_VERSION} (the "
                f"pinned SDK's); it cannot send {version} payloads.",
                "api_version",
                "api_version_not_supported",
            )
        now = self.store.now()
        endpoint = {
            "id": new_id("we_"),
            "object": "webhook_endpoint",
            "api_version": version,
            "application": None,
            "created": now,
            "description": get_str(params, "description"),
            "enabled_events": events,
            "livemode": False,
            "metadata": merge_metadata({}, get_dict(params, "metadata")),
            "status": "enabled",
            "url": url,
            "_secret": "whsec_" + secrets.token_hex(24),
        }
        self.store.webhook_endpoints[endpoint["id"]] = endpoint
        body = copy.deepcopy(endpoint)
        body["secret"] = endpoint["_secret"]  # only ever shown on create, as in Stripe
        return body

    def list(self, params: Params) -> StripeObject:
        items = list(self.store.webhook_endpoints.values())
        return self.api.paginate(items, params, "/v1/webhook_endpoints")

    def retrieve(self, params: Params, id: str) -> StripeObject:
        return self.api.get("webhook_endpoints", id)

    def update(self, params: Params, id: str) -> StripeObject:
        endpoint = self.api.get("webhook_endpoints", id)
        url = _url(params, required=False)
        events = _events(params, required=False)
        if url is not None:
            endpoint["url"] = url
        if events is not None:
            endpoint["enabled_events"] = events
        if "description" in params:
            endpoint["description"] = get_str(params, "description") or None
        disabled = get_bool(params, "disabled")
        if disabled is not None:
            endpoint["status"] = "disabled" if disabled else "enabled"
        endpoint["metadata"] = merge_metadata(endpoint["metadata"], get_dict(params, "metadata"))
        return endpoint

    def delete(self, params: Params, id: str) -> StripeObject:
        self.api.get("webhook_endpoints", id)
        del self.store.webhook_endpoints[id]
        return {"id": id, "object": "webhook_endpoint", "deleted": True}
