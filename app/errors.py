"""Error responses: every error a user can cause is a 4xx whose detail names the field.

Validation errors from pydantic and errors raised by the engine share one shape:
{"detail": [{"loc": ["body", "network", "layer_sizes", 0], "msg": "...", "type": "..."}]}.
"""

from __future__ import annotations

import math
import re

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from app.responses import FastJSONResponse
from app.security import BodySizeLimit, BodyTooLarge
from engine.data.datasets import DatasetError
from engine.demos.expressions import ExpressionError
from engine.demos.rnn import RnnError
from engine.networks.spec import SpecError

ENGINE_ERRORS: tuple[type[Exception], ...] = (SpecError, DatasetError, ExpressionError, RnnError)


def field_path(field: str) -> list[str | int]:
    """'params.weights[1]' -> ['params', 'weights', 1]."""
    path: list[str | int] = []
    for part in field.split("."):
        for name, index in re.findall(r"([^\[\]]+)|\[(\d+)\]", part):
            path.append(name if name else int(index))
    return path


def _safe(value):
    """Drop what JSON cannot carry (NaN, Infinity, integers past 64 bits, arbitrary objects) from
    an echoed input."""
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**64:
        return str(value)  # orjson refuses integers outside 64 bits
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return None


def validation_detail(errors) -> list[dict]:
    """pydantic's errors (addressed under `body`) in the one error shape."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", ""),
             **({"input": _safe(e["input"])} if "input" in e else {})}
            for e in errors]


def engine_error_detail(error: Exception) -> list[dict]:
    """An engine error (SpecError and the like) in the one error shape, at its field."""
    message = getattr(error, "message", None) or str(error)
    field = getattr(error, "field", None) or ""
    loc = ["body", *field_path(field)] if field else ["body"]
    return [{"loc": loc, "msg": message, "type": "value_error"}]


async def validation_error(request: Request, error: RequestValidationError) -> FastJSONResponse:
    return FastJSONResponse({"detail": validation_detail(error.errors())}, status_code=422)


async def engine_error(request: Request, error: Exception) -> FastJSONResponse:
    return FastJSONResponse({"detail": engine_error_detail(error)}, status_code=422)


async def http_error(request: Request, error: HTTPException):
    """FastAPI's 400 for a body it cannot read, as a 413 when the body outgrew the limit while
    streaming (BodySizeLimit's exception is its cause) or a 422 in the usual shape; other HTTP
    errors as FastAPI renders them."""
    if error.status_code != 400 or error.detail != "There was an error parsing the body":
        return await http_exception_handler(request, error)
    if isinstance(error.__cause__, BodyTooLarge):
        limit = next((m.kwargs["max_bytes"] for m in request.app.user_middleware
                      if m.cls is BodySizeLimit), None)
        return FastJSONResponse({"detail": [{
            "loc": ["body"], "type": "body_too_large",
            "msg": f"request body is larger than the limit of {limit} bytes"}]}, status_code=413)
    reason = ("it is not UTF-8 text" if isinstance(error.__cause__, UnicodeDecodeError)
              else "it could not be read")
    return FastJSONResponse({"detail": [{"loc": ["body"], "type": "json_invalid",
                                         "msg": f"the request body is not valid JSON: {reason}"}]},
                            status_code=422)


def install(app: FastAPI, extra_errors: tuple[type[Exception], ...] = ()) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    for error_type in (*ENGINE_ERRORS, *extra_errors):
        app.add_exception_handler(error_type, engine_error)
