"""Decoding of Stripe-style form parameters (``a[b][0][c]=x``, ``expand[]=y``)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

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


def _listify(node):
    """Turn dicts whose keys are all indices (or appends) into lists, recursively."""
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(isinstance(k, int) for k in node):
            return [node[k] for k in sorted(node)]
        return node
    return node


def decode(body: str) -> dict:
    """Decode a form-encoded body or query string into nested dicts and lists."""
    root: dict = {}
    append_counters: dict[int, int] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = _split_key(key)
        node = root
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if part == "":
                # "a[]" → append at the next free index of this container.
                idx = append_counters.get(id(node), 0)
                while idx in node:
                    idx += 1
                append_counters[id(node)] = idx + 1
                part = idx
            elif part.isdigit() and i > 0:
                part = int(part)
            if last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    return _listify(root)


# -- typed accessors ---------------------------------------------------------


def get_str(params: dict, name: str, required: bool = False, default=None):
    value = params.get(name)
    if value is None:
        if required:
            raise ParamError(f"Missing required param: {name}.", name, "parameter_missing")
        return default
    if not isinstance(value, str):
        raise ParamError(f"Invalid string: {name}", name)
    return value


def get_int(params: dict, name: str, required: bool = False, default=None):
    value = get_str(params, name, required)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ParamError(f"Invalid integer: {value}", name, "parameter_invalid_integer") from None


def get_bool(params: dict, name: str, default=None):
    value = params.get(name)
    if value is None or value == "":
        return default
    if value in ("true", "True", "1"):
        return True
    if value in ("false", "False", "0"):
        return False
    raise ParamError(f"Invalid boolean: {value}", name)


def get_dict(params: dict, name: str) -> dict | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if not isinstance(value, dict):
        raise ParamError(f"Invalid object: {name}", name)
    return value


def get_list(params: dict, name: str) -> list:
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, str):
        return [value]
    return value


def merge_metadata(current: dict, update: dict | None) -> dict:
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
