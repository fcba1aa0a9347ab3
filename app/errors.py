"""Error responses: every error is a 4xx (or 503) whose detail names the field or the limit.

Validation errors from pydantic, errors raised by the engine, unknown routes, methods a route
does not take, an overloaded worker and the last-resort 500 share one shape:
{"detail": [{"loc": ["body", "network", "layer_sizes", 0], "msg": "...", "type": "..."}]}.
"""

from __future__ import annotations

import math
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from app.admission import RETRY_AFTER_SECONDS, Overloaded
from app.responses import FastJSONResponse, error_response
from app.security import BodySizeLimit, BodyTooLarge, body_too_large
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


def _body_error(request: Request, error: HTTPException) -> FastJSONResponse:
    """FastAPI's 400 for a body it cannot read: a 413 when the body outgrew the limit while
    streaming (BodySizeLimit's exception is its cause), else a 422 in the usual shape."""
    if isinstance(error.__cause__, BodyTooLarge):
        limit = next(m.kwargs["max_bytes"] for m in request.app.user_middleware
                     if m.cls is BodySizeLimit)
        return error_response(413, ["body"], body_too_large(limit), "body_too_large")
    reason = ("it is not UTF-8 text" if isinstance(error.__cause__, UnicodeDecodeError)
              else "it could not be read")
    return error_response(422, ["body"], f"the request body is not valid JSON: {reason}",
                          "json_invalid")


async def http_error(request: Request, error: HTTPException) -> FastJSONResponse:
    """Starlette's and FastAPI's HTTP errors in the one shape: 404 and 405 name the path and
    the method, errors raised with a detail list keep it."""
    if error.status_code == 400 and error.detail == "There was an error parsing the body":
        return _body_error(request, error)
    if isinstance(error.detail, list):
        return FastJSONResponse({"detail": error.detail}, status_code=error.status_code,
                                headers=error.headers)
    path, method = request.url.path, request.method
    if error.status_code == 404:
        return error_response(404, ["path"], f"nothing is served at {path}", "not_found")
    if error.status_code == 405:
        allowed = (error.headers or {}).get("Allow", "")
        return error_response(405, ["method"], f"{path} does not take {method}; it takes "
                              f"{allowed}", "method_not_allowed", headers=error.headers)
    return error_response(error.status_code, ["request"], str(error.detail),
                          f"http_{error.status_code}", headers=error.headers)


async def overloaded(request: Request, error: Overloaded) -> FastJSONResponse:
    return error_response(503, ["request"], str(error), "overloaded",
                          headers={"retry-after": str(RETRY_AFTER_SECONDS)})


async def client_disconnected(request: Request, error: ClientDisconnect) -> FastJSONResponse:
    """The client left (or was closed for sending too slowly) before its body arrived: nobody
    reads this answer, and it is no server error."""
    return error_response(400, ["body"], "the connection closed before the body arrived",
                          "client_disconnected")


async def server_error(request: Request, error: Exception) -> FastJSONResponse:
    """A bug: still the one shape (the traceback goes to the log)."""
    return error_response(500, ["server"], "the server failed to answer this request; the "
                          "error is in its log", "server_error")


def install(app: FastAPI, extra_errors: tuple[type[Exception], ...] = ()) -> None:
    """Register the handlers on the app."""
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Overloaded, overloaded)
    app.add_exception_handler(ClientDisconnect, client_disconnected)
    app.add_exception_handler(Exception, server_error)
    for error_type in (*ENGINE_ERRORS, *extra_errors):
        app.add_exception_handler(error_type, engine_error)
