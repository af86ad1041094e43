"""The errors an API request can end in (Stripe's error body, status and code)."""

from __future__ import annotations

from .params import ParamError

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


def missing(kind: str, obj_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{obj_id}'", code="resource_missing", param=param)


def not_implemented(param: str) -> ParamError:
    """A value Stripe accepts that the handler would not act on (the same refusal as
    ``schema.validate`` gives an undeclared parameter)."""
    return ParamError(
        f"The emulator does not implement the parameter {param}; Stripe accepts it, but using "
        "it here would silently do nothing, so it is refused.",
        param.split("=", 1)[0],
        "parameter_not_implemented",
    )


class StripeInvalid(ParamError):
    """A 400 ``invalid_request_error`` without an error code."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message, param, None)
