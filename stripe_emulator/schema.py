"""Request validation against the pinned SDK's parameter types (``sdk_params.json``).

Every ``/v1`` request is checked in two steps before its handler runs:

1. **Stripe's own rules**, from the schema ``schema_gen.py`` generated from the SDK: a name the
   endpoint does not have → ``Received unknown parameter: foo``; a wrong type → ``Invalid
   integer: x`` / ``Invalid boolean: x`` / ``Invalid foo: must be one of a, b, or c``; a
   required one missing → ``Missing required param: foo.``; plus the documented limits in
   ``LIMITS`` / metadata limits (50 keys, key ≤ 40 characters without ``[``/``]``, value ≤ 500).
2. **What the emulator implements** (``implemented.py``): a parameter Stripe knows but the
   emulator's handler would ignore → 400 saying so, never a silent success.

A failure raises ``ParamError`` (HTTP 400 ``invalid_request_error`` with ``param``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from .params import ParamError
from .schema_gen import SCHEMA_PATH
from .stripe_types import Params, StripeObject

# Stripe's documented limits on parameters the app can send: path (with ``[]`` for any list
# index) → ("max_length", n) for strings or ("max", n) for integers.
LIMITS: dict[str, tuple[str, int]] = {
    "client_reference_id": ("max_length", 200),
    "subscription_data[trial_period_days]": ("max", 730),
    "trial_period_days": ("max", 730),
    "lookup_key": ("max_length", 200),
    "lookup_keys[]": ("max_length", 200),
    "email": ("max_length", 512),
    "customer_email": ("max_length", 512),
    "statement_descriptor": ("max_length", 22),
    "success_url": ("max_length", 5000),
    "cancel_url": ("max_length", 5000),
    "return_url": ("max_length", 5000),
    "url": ("max_length", 5000),
    "cancellation_details[comment]": ("max_length", 5000),
}
METADATA_MAX_KEYS = 50
METADATA_KEY_MAX = 40
METADATA_VALUE_MAX = 500

_INT_RE = re.compile(r"-?\d+\Z")
_NUM_RE = re.compile(r"-?(\d+\.?\d*|\.\d+)\Z")


@lru_cache(maxsize=1)
def load() -> StripeObject:
    with open(SCHEMA_PATH) as fh:
        schema: StripeObject = json.load(fh)
        return schema


@lru_cache(maxsize=1)
def _templates() -> list[tuple[str, re.Pattern[str], int, str]]:
    """(method, path regex, literal segment count, endpoint key) for every SDK endpoint."""
    rows = []
    for key in load()["endpoints"]:
        method, path = key.split(" ", 1)
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path))
        literals = sum(1 for seg in path.split("/") if seg and not seg.startswith("{"))
        rows.append((method, re.compile(pattern + r"/?\Z"), literals, key))
    return rows


def endpoint_for(method: str, path: str) -> str | None:
    """The SDK endpoint (``"POST /v1/invoices/{invoice}"``) a request path belongs to;
    literal segments win over placeholders, as in Stripe's router
    (``/v1/invoices/create_preview`` is not an invoice id)."""
    best = None
    for route_method, pattern, literals, key in _templates():
        matches = route_method == method and pattern.match(path)
        if matches and (best is None or literals > best[0]):
            best = (literals, key)
    return best[1] if best else None


def _full(prefix: str, name: object) -> str:
    return f"{prefix}[{name}]" if prefix else str(name)


def _generic(path: str) -> str:
    """``line_items[0][price]`` → ``line_items[][price]``."""
    return re.sub(r"\[\d+\]", "[]", path)


def _one_of(values: list[Any]) -> str:
    shown = [str(v) for v in values if v != ""]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + ", or " + shown[-1]


class Validator:
    def __init__(self, schema: StripeObject):
        self.types = schema["types"]

    def check_object(self, type_key: str, value: Any, prefix: str) -> None:
        spec = self.types[type_key]
        if not isinstance(value, dict):
            raise ParamError(f"Invalid object: {prefix}", prefix or None)
        fields = spec["fields"]
        for name, sub in value.items():
            full = _full(prefix, name)
            if name not in fields:
                raise ParamError(f"Received unknown parameter: {full}", full, "parameter_unknown")
            self.check(fields[name], sub, full)
        for name in spec["required"]:
            if name not in value:
                full = _full(prefix, name)
                raise ParamError(f"Missing required param: {full}.", full, "parameter_missing")

    def check(self, node: Any, value: Any, path: str) -> None:
        if isinstance(node, str):
            self._scalar(node, value, path)
        elif "ref" in node:
            self.check_object(node["ref"], value, path)
        elif "enum" in node:
            if not isinstance(value, str) or value not in node["enum"]:
                if node["enum"] == [""]:
                    raise ParamError(f"Invalid {path}: must be an empty string", path)
                raise ParamError(f"Invalid {path}: must be one of {_one_of(node['enum'])}", path)
        elif "array" in node:
            if not isinstance(value, list):
                raise ParamError(f"Invalid array: {path}", path)
            for i, item in enumerate(value):
                self.check(node["array"], item, f"{path}[{i}]")
        elif "map" in node:
            if not isinstance(value, dict):
                raise ParamError(f"Invalid object: {path}", path)
            for key, item in value.items():
                self.check(node["map"], item, f"{path}[{key}]")
            if path.rsplit("[", 1)[-1].rstrip("]") == "metadata":
                _check_metadata(value, path)
        else:
            self._any_of(node["anyOf"], value, path)
        limit = LIMITS.get(_generic(path))
        if limit and isinstance(value, str) and value != "":
            kind, bound = limit
            if kind == "max_length" and len(value) > bound:
                raise ParamError(f"Invalid {path}: must be at most {bound} characters", path, None)
            if kind == "max" and _INT_RE.match(value) and int(value) > bound:
                raise ParamError(
                    f"Invalid {path}: must be less than or equal to {bound}", path, None
                )

    def _any_of(self, options: list[Any], value: Any, path: str) -> None:
        errors = []
        for option in options:
            try:
                self.check(option, value, path)
                return
            except ParamError as exc:
                errors.append((option, exc))
        # Report the error of the option shaped like the value (an object's unknown key is more
        # useful than "must be an empty string").
        for option, error in errors:
            if _shape(option) == _shape_of(value) and option != {"enum": [""]}:
                raise error
        raise errors[-1][1]

    @staticmethod
    def _scalar(kind: str, value: Any, path: str) -> None:
        if kind == "any":
            return
        if not isinstance(value, str):
            raise ParamError(f"Invalid {kind}: {path}", path)
        if kind == "integer" and not _INT_RE.match(value):
            raise ParamError(f"Invalid integer: {value}", path, "parameter_invalid_integer")
        if kind == "number" and not _NUM_RE.match(value):
            raise ParamError(f"Invalid decimal: {value}", path)
        if kind == "boolean" and value not in ("true", "false"):
            raise ParamError(f"Invalid boolean: {value}", path)


def _shape(node: Any) -> str:
    if isinstance(node, str):
        return "scalar"
    if "ref" in node or "map" in node:
        return "object"
    if "array" in node:
        return "array"
    if "anyOf" in node:
        return "union"
    return "scalar"


def _shape_of(value: Any) -> str:
    return "object" if isinstance(value, dict) else "array" if isinstance(value, list) else "scalar"


def _check_metadata(value: Params, path: str) -> None:
    if len(value) > METADATA_MAX_KEYS:
        raise ParamError(
            f"Invalid {path}: metadata can have at most {METADATA_MAX_KEYS} keys", path
        )
    for key, item in value.items():
        full = f"{path}[{key}]"
        if len(str(key)) > METADATA_KEY_MAX:
            raise ParamError(
                f"Invalid {path}: metadata keys must be at most {METADATA_KEY_MAX} characters "
                f"(got {key!r})",
                full,
            )
        if isinstance(item, str) and len(item) > METADATA_VALUE_MAX:
            raise ParamError(
                f"Invalid {full}: metadata values must be at most {METADATA_VALUE_MAX} characters",
                full,
            )


def _leaf_paths(value: Any, prefix: str) -> Iterator[str]:
    """Every provided parameter path (``a[b][0][c]``), leaves only."""
    if isinstance(value, dict) and value:
        for key, item in value.items():
            yield from _leaf_paths(item, _full(prefix, key))
    elif isinstance(value, list) and value:
        for i, item in enumerate(value):
            yield from _leaf_paths(item, f"{prefix}[{i}]")
    else:
        yield prefix


def _implemented(path: str, declared: set[str]) -> bool:
    """True when ``path`` or one of its ancestors is declared (``[]`` = any index)."""
    generic = _generic(path)
    while True:
        if generic in declared:
            return True
        if "[" not in generic:
            return False
        generic = generic[: generic.rindex("[")]


def validate(method: str, path: str, params: Params, implemented: set[str] | None) -> None:
    """Raise ``ParamError`` unless ``params`` are valid for the SDK endpoint of this request
    and implemented by the emulator route (``implemented``: its declared names)."""
    endpoint = endpoint_for(method, path)
    declared = {_generic(name) for name in (implemented or set())}
    type_key = load()["endpoints"].get(endpoint) if endpoint else None
    if type_key is not None:
        Validator(load()).check_object(type_key, params, "")
    for leaf in _leaf_paths(params, ""):
        if not leaf or _implemented(leaf, declared):
            continue
        top = leaf.split("[", 1)[0]
        if type_key is None or top not in load()["types"][type_key]["fields"]:
            raise ParamError(f"Received unknown parameter: {leaf}", leaf, "parameter_unknown")
        raise ParamError(
            f"The Stripe emulator does not implement the parameter {leaf} on {endpoint}. "
            "Stripe accepts it; the emulator refuses it rather than ignore it "
            "(see stripe_emulator/README.md).",
            leaf,
            "parameter_not_implemented",
        )


def parameter_paths(
    type_key: str, prefix: str = "", seen: frozenset[str] = frozenset()
) -> list[str]:
    """Every leaf parameter path of an endpoint's params type (``[]`` for list indices),
    e.g. ``subscription_data[trial_period_days]``, ``line_items[][price]``."""
    types = load()["types"]
    paths = []
    for name, node in types[type_key]["fields"].items():
        paths.extend(_node_paths(node, _full(prefix, name), seen | {type_key}))
    return paths


def _node_paths(node: Any, path: str, seen: frozenset[str]) -> list[str]:
    if isinstance(node, str) or "enum" in node or "map" in node:
        return [path]
    if "ref" in node:
        if node["ref"] in seen:
            return [path]
        return parameter_paths(node["ref"], path, seen) or [path]
    if "array" in node:
        return _node_paths(node["array"], f"{path}[]", seen)
    found: list[str] = []
    for option in node["anyOf"]:
        for sub in _node_paths(option, path, seen):
            if sub not in found:
                found.append(sub)
    return found


def coverage(routes: list[tuple[str, str]]) -> StripeObject:
    """For emulator routes ``(method, route regex)``: how many SDK parameters are validated
    (all of them) and how many the emulator implements."""
    from .implemented import implemented_for

    total = implemented = 0
    rows = {}
    for method, route in routes:
        sample = route.replace("(?P<id>[^/]+)", "x_1")
        endpoint = endpoint_for(method, sample)
        type_key = load()["endpoints"].get(endpoint) if endpoint else None
        paths = parameter_paths(type_key) if type_key else []
        declared = {_generic(n) for n in implemented_for(method, route)}
        done = [p for p in paths if _implemented(p, declared)]
        rows[endpoint] = (len(paths), len(done))
        total += len(paths)
        implemented += len(done)
    return {"endpoints": rows, "validated": total, "implemented": implemented}
