"""Decoding of Stripe-style form parameters (``a[b][0][c]=x``, ``expand[]=y``)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

from .stripe_types import Params, StripeObject

_KEY_RE = re.compile(r"\[([^\]]*)\]")


class ParamError(Exception):
    """A request parameter is missing or invalid (answers HTTP 400)."""

    def __init__(
        self, message: str, param: str | None = None, code: str | None = "parameter_invalid"
    ):
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code


def _split_key(key: str) -> list[str]:
    head, _, rest = key.partition("[")
    parts = [head]
    if rest:
        parts.extend(_KEY_RE.findall("[" + rest))
    return parts


def _listify(node: Any) -> Any:
    """Turn dicts whose keys are all indices (or appends) into lists, recursively."""
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(isinstance(k, int) for k in node):
            return [node[k] for k in sorted(node)]
        return node
    return node


def decode(body: str) -> StripeObject:
    """Decode a form-encoded body or query string into nested dicts and lists."""
    root: dict[Any, Any] = {}
    append_counters: dict[int, int] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = _split_key(key)
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            key_: str | int = part
            if part == "":
                # "a[]" → append at the next free index of this container.
                idx = append_counters.get(id(node), 0)
                while idx in node:
                    idx += 1
                append_counters[id(node)] = idx + 1
                key_ = idx
            elif part.isdigit() and i > 0:
                key_ = int(part)
            if last:
                node[key_] = value
            else:
                child = node.get(key_)
                if not isinstance(child, dict):
                    child = {}
                    node[key_] = child
                node = child
    decoded: Params = _listify(root)
    return decoded


# -- typed accessors ---------------------------------------------------------
# Each returns the value as the type it names (or ``default``), typed Any for the callers.


def get_str(params: Params, name: str, required: bool = False, default: Any = None) -> Any:
    value = params.get(name)
    if value is None:
        if required:
            raise ParamError(f"Missing required param: {name}.", name, "parameter_missing")
        return default
    if not isinstance(value, str):
        raise ParamError(f"Invalid string: {name}", name)
    return value


def get_int(params: Params, name: str, required: bool = False, default: Any = None) -> Any:
    value = get_str(params, name, required)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ParamError(f"Invalid integer: {value}", name, "parameter_invalid_integer") from None


def get_bool(params: Params, name: str, default: Any = None) -> Any:
    value = params.get(name)
    if value is None or value == "":
        return default
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    raise ParamError(f"Invalid boolean: {value}", name)


def get_dict(params: Params, name: str) -> StripeObject | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if not isinstance(value, dict):
        raise ParamError(f"Invalid object: {name}", name)
    return value


def get_list(params: Params, name: str) -> list[Any]:
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, str):
        return [value]
    items: list[Any] = value
    return items


def merge_metadata(current: StripeObject, update: StripeObject | None) -> StripeObject:
    """Stripe semantics: keys set to "" are removed; others are set."""
    result = dict(current)
    if update is None:
        return result
    for key, value in update.items():
        if value == "":
            result.pop(key, None)
        else:
            result[str(key)] = str(value)
    return result
