"""Generate ``sdk_params.json``: every v1 endpoint's request parameters, read from the pinned
``stripe`` SDK's own types (the ``TypedDict`` classes under ``stripe/params/``).

    python -m stripe_emulator.schema_gen          # rewrites stripe_emulator/sdk_params.json

The emulator itself never imports the SDK (it is standard library only): it loads the JSON
this script writes. ``tests/test_schema.py`` regenerates it in memory and compares, so the
committed file always matches the installed SDK.

How it works: each ``stripe/**/_*_service.py`` (v1) is parsed; every method calling
``self._request("<method>", "<path>", ...)`` gives an endpoint, and its ``params:`` annotation
names the ``TypedDict`` whose fields are the endpoint's parameters. Types become small JSON
nodes:

* ``"string"``, ``"integer"``, ``"boolean"``, ``"number"``, ``"any"``
* ``{"enum": [...]}`` (``Literal``; ``{"enum": [""]}`` is Stripe's "empty string unsets")
* ``{"array": node}`` (``List``), ``{"map": node}`` (``Dict[str, ...]``, e.g. metadata)
* ``{"anyOf": [node, ...]}`` (``Union``)
* ``{"ref": "<TypedDict key>"}`` into ``types``, where each TypedDict is
  ``{"fields": {name: node}, "required": [names]}``
"""

from __future__ import annotations

import ast
import decimal
import importlib
import json
import pathlib
import sys
import typing
from collections.abc import Iterator
from typing import Any

from .stripe_types import StripeObject

SCHEMA_PATH = pathlib.Path(__file__).with_name("sdk_params.json")


def _service_files(root: pathlib.Path) -> Iterator[pathlib.Path]:
    for path in sorted(root.rglob("_*_service.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in ("v2", "_stripe_service.py"):
            continue
        yield path


def _annotation_name(node: ast.expr | None) -> str | None:
    """``Optional["XParams"]`` / ``"XParams"`` → ``"XParams"``."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Subscript):
        return _annotation_name(node.slice)
    return None


def _path_of(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return node.func.value.value
    return None


def _endpoints(path: pathlib.Path) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(HTTP method, path template, params module, params class) for each sync method."""
    tree = ast.parse(path.read_text())
    imports: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and "params" in node.module:
            for alias in node.names:
                imports[alias.asname or alias.name] = node.module
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for func in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
            args = func.args.args + func.args.posonlyargs + func.args.kwonlyargs
            params_arg = next((a for a in args if a.arg == "params"), None)
            type_name = _annotation_name(params_arg.annotation) if params_arg else None
            for call in ast.walk(func):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr == "_request"
                    and len(call.args) >= 2
                    and isinstance(call.args[0], ast.Constant)
                    and isinstance(call.args[0].value, str)
                ):
                    route = _path_of(call.args[1])
                    if route and route.startswith("/v1/"):
                        module = imports.get(type_name) if type_name else None
                        yield call.args[0].value.upper(), route, module, type_name


class _Converter:
    def __init__(self) -> None:
        from stripe._request_options import RequestOptions

        self.request_options = set(RequestOptions.__annotations__)
        self.types: dict[str, StripeObject] = {}

    def typed_dict(self, cls: type) -> str:
        key = f"{cls.__module__.removeprefix('stripe.params.')}:{cls.__name__}"
        if key in self.types:
            return key
        self.types[key] = {}  # placeholder: recursion-safe
        module = sys.modules[cls.__module__]
        fields = {}
        required = []
        for name, annotation in cls.__annotations__.items():
            if name in self.request_options and _is_options_field(cls, name):
                continue
            node, is_required = self.node(annotation, module.__dict__)
            fields[name] = node
            if is_required and name in getattr(cls, "__required_keys__", ()):
                required.append(name)
        self.types[key] = {"fields": fields, "required": sorted(required)}
        return key

    def node(self, annotation: Any, namespace: dict[str, Any]) -> tuple[Any, bool]:
        """(schema node, required) of an annotation."""
        if isinstance(annotation, str):
            annotation = eval(annotation, dict(namespace))  # noqa: S307 - SDK source
        if isinstance(annotation, typing.ForwardRef):
            annotation = eval(annotation.__forward_arg__, dict(namespace))  # noqa: S307
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (typing.NotRequired, typing.Required) or _is_ext(origin, "NotRequired"):
            inner, _ = self.node(args[0], namespace)
            return inner, origin is typing.Required
        if annotation is str:
            return "string", True
        if annotation is bool:
            return "boolean", True
        if annotation is int:
            return "integer", True
        if annotation in (float, decimal.Decimal):
            return "number", True
        if getattr(origin, "__name__", "") == "UntypedStripeObject":
            # The SDK's own dict wrapper: on the wire the same as Dict[str, X].
            return {"map": self.node(args[0], namespace)[0]}, True
        if annotation is typing.Any:
            return "any", True
        if origin is typing.Literal or _is_ext(origin, "Literal"):
            return {"enum": list(args)}, True
        if origin is list:
            return {"array": self.node(args[0], namespace)[0]}, True
        if origin is dict:
            return {"map": self.node(args[1], namespace)[0]}, True
        if origin is typing.Union or type(annotation).__name__ == "UnionType":
            options = []
            for arg in args:
                option = self.node(arg, namespace)[0] if arg is not type(None) else None
                if option is not None and option not in options:
                    options.append(option)
            # ``Union[Literal["a", "b"], str]`` is the SDK's forward-compatibility escape hatch;
            # the API itself accepts only the listed values.
            if any(isinstance(o, dict) and set(o.get("enum", [""])) - {""} for o in options):
                options = [o for o in options if o != "string"]
            return (options[0] if len(options) == 1 else {"anyOf": options}), True
        if isinstance(annotation, type) and hasattr(annotation, "__required_keys__"):
            return {"ref": self.typed_dict(annotation)}, True
        raise TypeError(f"unsupported annotation {annotation!r}")


def _is_ext(origin: Any, name: str) -> bool:
    return origin is not None and getattr(origin, "_name", None) == name


def _is_options_field(cls: type, name: str) -> bool:
    from stripe._request_options import RequestOptions

    same: bool = cls.__annotations__[name] == RequestOptions.__annotations__[name]
    return same


def generate() -> StripeObject:
    import stripe

    root = pathlib.Path(stripe.__file__).parent
    converter = _Converter()
    endpoints: dict[str, str | None] = {}
    for path in _service_files(root):
        for method, route, module_name, type_name in _endpoints(path):
            key = f"{method} {route}"
            if module_name and type_name:
                cls = getattr(importlib.import_module(module_name), type_name)
                endpoints[key] = converter.typed_dict(cls)
            else:
                endpoints.setdefault(key, None)
    return {
        "sdk_version": stripe.VERSION,
        "api_version": stripe.api_version,
        "endpoints": dict(sorted(endpoints.items())),
        "types": dict(sorted(converter.types.items())),
    }


def dumps(schema: StripeObject) -> str:
    """JSON with one endpoint or type per line (readable diffs when the SDK is upgraded)."""

    def compact(value: Any) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    lines = ["{"]
    for i, (key, value) in enumerate(sorted(schema.items())):
        comma = "," if i < len(schema) - 1 else ""
        if isinstance(value, dict):
            lines.append(f"{compact(key)}:{{")
            items = sorted(value.items())
            for j, (sub, node) in enumerate(items):
                sep = "," if j < len(items) - 1 else ""
                lines.append(f"{compact(sub)}:{compact(node)}{sep}")
            lines.append("}" + comma)
        else:
            lines.append(f"{compact(key)}:{compact(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> int:
    SCHEMA_PATH.write_text(dumps(generate()))
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
