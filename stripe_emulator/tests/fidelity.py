"""Check emulator JSON against the attribute annotations of the SDK's typed classes.

Rules: every annotated attribute whose annotation is not ``Optional[...]`` must be present
and non-null; every present, non-null value must have the JSON type the annotation asks for
(str/int/bool/dict/list, ``Literal`` values in the allowed set, nested ``StripeObject``
classes checked recursively, ``ListObject[X]`` and ``ExpandableField[X]`` understood).
"""

from __future__ import annotations

import ast
import functools
import inspect
import sys
import typing

import stripe
from stripe._list_object import ListObject
from stripe._stripe_object import StripeObject


@functools.cache
def _module_namespace(module_name: str) -> dict:
    """Module globals plus the names it imports only under ``if TYPE_CHECKING:``."""
    module = sys.modules[module_name]
    ns = dict(vars(module))
    ns.setdefault("StripeObject", StripeObject)  # named by UntypedStripeObject's own hints
    tree = ast.parse(inspect.getsource(module))
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for stmt in node.body:
                if isinstance(stmt, ast.Import | ast.ImportFrom):
                    exec(compile(ast.Module([stmt], []), module_name, "exec"), ns)
    return ns


@functools.cache
def type_hints(cls: type) -> dict:
    """Annotations declared by ``cls`` and its ``StripeObject`` bases, resolved."""
    hints = {}
    for klass in reversed(cls.__mro__):
        if not (isinstance(klass, type) and issubclass(klass, StripeObject)):
            continue
        if klass is StripeObject or "__annotations__" not in klass.__dict__:
            continue
        ns = _module_namespace(klass.__module__)
        local = dict(vars(klass))
        # nested classes refer to siblings through their outer class names
        hints.update(typing.get_type_hints(klass, globalns=ns, localns=local))
    return {
        k: v
        for k, v in hints.items()
        if not k.startswith("_") and typing.get_origin(v) is not typing.ClassVar
    }


def _is_optional(tp) -> bool:
    return typing.get_origin(tp) is typing.Union and type(None) in typing.get_args(tp)


def _strip_optional(tp):
    if _is_optional(tp):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
    return tp


def check(value, cls_or_type, path: str = "$", depth: int = 0) -> list[str]:
    """Problems found in ``value`` against an SDK class or annotation (empty if none)."""
    if depth > 12:
        return []
    if isinstance(cls_or_type, type) and issubclass(cls_or_type, StripeObject):
        return _check_object(value, cls_or_type, path, depth)
    return _check_value(value, cls_or_type, path, depth)


def _check_object(value, cls, path, depth) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path}: expected object for {cls.__qualname__}, got {type(value).__name__}"]
    problems = []
    for name, tp in type_hints(cls).items():
        if name not in value or value[name] is None:
            if not _is_optional(tp) and tp is not typing.Any:
                problems.append(f"{path}.{name}: required by {cls.__qualname__} but missing")
            continue
        problems += _check_value(value[name], _strip_optional(tp), f"{path}.{name}", depth + 1)
    return problems


def _check_value(value, tp, path, depth) -> list[str]:
    if value is None:
        return [] if _is_optional(tp) else [f"{path}: null not allowed"]
    tp = _strip_optional(tp)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is typing.Any:
        return []
    if tp is str:
        return [] if isinstance(value, str) else [f"{path}: expected str, got {value!r}"]
    if tp is bool:
        return [] if isinstance(value, bool) else [f"{path}: expected bool, got {value!r}"]
    if tp is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected int, got {value!r}"]
    if tp is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return [] if ok else [f"{path}: expected number, got {value!r}"]
    if origin is typing.Literal:
        return [] if value in args else [f"{path}: {value!r} not in {args}"]
    if origin is typing.Union:
        results = [_check_value(value, arm, path, depth) for arm in args]
        if any(not r for r in results):
            return []
        return min(results, key=len)
    if origin in (list, typing.List):  # noqa: UP006
        if not isinstance(value, list):
            return [f"{path}: expected list, got {type(value).__name__}"]
        out = []
        for i, item in enumerate(value):
            out += check(item, args[0], f"{path}[{i}]", depth + 1) if args else []
        return out
    if origin in (dict, typing.Dict):  # noqa: UP006
        return [] if isinstance(value, dict) else [f"{path}: expected dict"]
    if origin is ListObject or tp is ListObject:
        if not isinstance(value, dict) or value.get("object") != "list":
            return [f"{path}: expected list object"]
        out = [] if isinstance(value.get("data"), list) else [f"{path}.data: expected list"]
        if not isinstance(value.get("has_more"), bool):
            out.append(f"{path}.has_more: expected bool")
        if not isinstance(value.get("url"), str):
            out.append(f"{path}.url: expected str")
        for i, item in enumerate(value.get("data") or []):
            out += check(item, args[0], f"{path}.data[{i}]", depth + 1) if args else []
        return out
    if isinstance(tp, type) and issubclass(tp, StripeObject):
        return _check_object(value, tp, path, depth)
    if isinstance(origin, type) and issubclass(origin, StripeObject):
        # UntypedStripeObject[T] and similar generic containers: a JSON object
        return [] if isinstance(value, dict) else [f"{path}: expected dict"]
    return []  # anything else (forward refs we cannot resolve) is not checked


# object name -> SDK class, for checking event payloads
CLASSES = {
    "product": stripe.Product,
    "price": stripe.Price,
    "customer": stripe.Customer,
    "payment_method": stripe.PaymentMethod,
    "checkout.session": stripe.checkout.Session,
    "subscription": stripe.Subscription,
    "subscription_item": stripe.SubscriptionItem,
    "invoice": stripe.Invoice,
    "line_item": stripe.InvoiceLineItem,
    "item": stripe.LineItem,
    "event": stripe.Event,
    "billing_portal.session": stripe.billing_portal.Session,
    "test_helpers.test_clock": stripe.test_helpers.TestClock,
    "payment_intent": stripe.PaymentIntent,
    "charge": stripe.Charge,
    "refund": stripe.Refund,
    "dispute": stripe.Dispute,
    "invoiceitem": stripe.InvoiceItem,
    "invoice_payment": stripe.InvoicePayment,
    "billing_portal.configuration": stripe.billing_portal.Configuration,
    "webhook_endpoint": stripe.WebhookEndpoint,
}

# Stripe's documented error types (https://docs.stripe.com/api/errors) and the SDK exception
# each one becomes.
ERROR_TYPES = {
    "api_error": stripe.APIError,
    "card_error": stripe.CardError,
    "idempotency_error": stripe.IdempotencyError,
    "invalid_request_error": stripe.InvalidRequestError,
}
ERROR_FIELDS = {"type", "code", "decline_code", "message", "param", "doc_url", "request_log_url"}
ERROR_FIELDS |= {"advice_code", "charge", "network_advice_code", "network_decline_code"}
ERROR_FIELDS |= {"payment_intent", "payment_method", "payment_method_type", "setup_intent"}
ERROR_FIELDS |= {"source"}


def assert_fidelity(value: dict, cls: type | None = None) -> None:
    """Assert that ``value`` (a JSON object from the emulator) fits its SDK class."""
    if hasattr(value, "to_dict"):
        value = value.to_dict(recursive=True)
    cls = cls or CLASSES[value["object"]]
    problems = check(value, cls)
    if value.get("object") == "event":
        obj = value["data"]["object"]
        problems += check(obj, CLASSES[obj["object"]], "$.data.object")
    assert not problems, "\n".join(problems)


def assert_error_shape(
    exc: stripe.StripeError,
    *,
    http_status: int,
    type: str,
    code: str | None = None,
    param: str | None = None,
    message: str | None = None,
) -> None:
    """Assert that an error the SDK raised has Stripe's documented shape: the SDK exception
    for its ``type``, ``{"error": {...}}`` with only documented fields, a message, ``code`` /
    ``param`` as given, and a ``doc_url`` only where Stripe documents the code."""
    assert isinstance(exc, ERROR_TYPES[type]), (type, exc.__class__)
    assert exc.http_status == http_status
    body = exc.json_body
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) <= ERROR_FIELDS, set(error) - ERROR_FIELDS
    assert error["type"] == type
    assert isinstance(error["message"], str) and error["message"]
    assert error.get("code") == code
    assert error.get("param") == param
    assert exc.code == code and getattr(exc, "param", None) == param
    if message is not None:
        assert error["message"] == message, error["message"]
    if "doc_url" in error:
        assert error["doc_url"] == f"https://stripe.com/docs/error-codes/{code}"
    assert exc.request_id and exc.request_id.startswith("req_")
    problems = check(error, stripe.ErrorObject, "$.error")
    assert not problems, "\n".join(problems)
