"""Error responses: every error a user can cause is a 4xx whose detail names the field.

Validation errors from pydantic and errors raised by the engine share one shape:
{"detail": [{"loc": ["body", "network", "layer_sizes", 0], "msg": "...", "type": "..."}]}.
"""

from __future__ import annotations

import math
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError

from app.responses import FastJSONResponse
from engine.spec import SpecError

ENGINE_ERRORS: tuple[type[Exception], ...] = (SpecError,)


def field_path(field: str) -> list[str | int]:
    """'params.weights[1]' -> ['params', 'weights', 1]."""
    path: list[str | int] = []
    for part in field.split("."):
        for name, index in re.findall(r"([^\[\]]+)|\[(\d+)\]", part):
            path.append(name if name else int(index))
    return path


def _safe(value):
    """Drop what JSON cannot carry (NaN, Infinity, arbitrary objects) from an echoed input."""
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return None


async def validation_error(request: Request, error: RequestValidationError) -> FastJSONResponse:
    detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", ""),
               **({"input": _safe(e["input"])} if "input" in e else {})}
              for e in error.errors()]
    return FastJSONResponse({"detail": detail}, status_code=422)


async def engine_error(request: Request, error: Exception) -> FastJSONResponse:
    field = getattr(error, "field", None) or ""
    message = getattr(error, "message", None) or str(error)
    loc = ["body", *field_path(field)] if field else ["body"]
    return FastJSONResponse({"detail": [{"loc": loc, "msg": message, "type": "value_error"}]},
                          status_code=422)


def install(app: FastAPI, extra_errors: tuple[type[Exception], ...] = ()) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, validation_error)
    for error_type in (*ENGINE_ERRORS, *extra_errors):
        app.add_exception_handler(error_type, engine_error)
