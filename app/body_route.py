"""A route class for endpoints that take a JSON body: pydantic parses and validates it in one
pass, the body is refused whole when it is not declared as JSON or repeats a key, and heavy
endpoints are admitted (app/admission.py) once their body is read.

FastAPI reads a JSON body with the standard library's json.loads, parses the content type with
the email package, and then validates the resulting Python objects. For an endpoint whose one
parameter is a pydantic model, `model_validate_json` does all of it from the bytes: a tenth of
the time an iteration request takes on the server went to this. It also reports NaN, Infinity
and out-of-range integers at the field they are in, as the other checks do.

JSON parsers keep the last of a repeated key and drop the others unread, so a body could carry
a value no check ever saw; jiter finds a repeated key in a few microseconds for a typical body
(about half of pydantic's own parse), before pydantic parses it.

The OpenAPI schema is unchanged: the route is still FastAPI's, declared the same way. Routes
with anything more than one body model (dependencies, query or path parameters) are parsed by
FastAPI as usual, with the same checks first.
"""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable
from contextlib import nullcontext

import jiter
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from app.admission import HEAVY, heavy_slot
from app.responses import error_response

JSON_INVALID_PREFIX = "Invalid JSON: "
DUPLICATE_KEY_PREFIX = "Detected duplicate key"


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").partition(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                           and media.endswith("+json"))


def body_errors(error: ValidationError) -> list[dict]:
    """pydantic's errors, addressed under `body` as FastAPI addresses them."""
    errors = []
    for item in error.errors(include_url=False):
        item = {**item, "loc": ("body", *item["loc"])}
        if item["type"] == "json_invalid":
            item.pop("input", None)   # the whole body: not worth sending back
            reason = item["msg"].removeprefix(JSON_INVALID_PREFIX)
            item["msg"] = f"the request body is not valid JSON: {reason}"
        errors.append(item)
    return errors


class _Repeated(dict):
    """An object of the body in which `key` appears more than once."""

    def __init__(self, pairs: list[tuple[str, object]], key: str):
        super().__init__(pairs)
        self.key = key


def _object_pairs(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _ in pairs]
    if len(set(keys)) == len(keys):
        return dict(pairs)
    seen: set[str] = set()
    return _Repeated(pairs, next(key for key in keys if key in seen or seen.add(key)))


def _repeated_key_path(value, path: list[str | int]) -> list[str | int] | None:
    """The path to the first repeated key under `value`, depth first."""
    if isinstance(value, _Repeated):
        return [*path, value.key]
    items = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else ())
    for key, item in items:
        if (found := _repeated_key_path(item, [*path, key])) is not None:
            return found
    return None


def check_unique_keys(body: bytes) -> None:
    """Raise a validation error on a key that appears twice in one object of the body. Bodies
    that are not valid JSON pass: pydantic says where they break."""
    try:
        jiter.from_json(body, catch_duplicate_keys=True)
    except ValueError as error:
        if not str(error).startswith(DUPLICATE_KEY_PREFIX):
            return
        # Rare, so the standard library may take its time to find where the key is.
        loc = _repeated_key_path(json.loads(body, object_pairs_hook=_object_pairs), ["body"])
        raise RequestValidationError([{
            "loc": tuple(loc), "type": "duplicate_key",
            "msg": f"the key {loc[-1]!r} appears more than once in this object; send each key "
                   "once (a JSON parser would keep the last and never check the others)"}]
        ) from None


def unsupported_media_type(content_type: str | None) -> Response:
    """415 naming the Content-Type a body was sent with."""
    sent = f"is {content_type!r}" if content_type else "is missing"
    return error_response(415, ["header", "content-type"],
                          f"the body must be JSON sent with Content-Type: application/json; "
                          f"this request's Content-Type {sent}", "unsupported_media_type")


class JSONBodyRoute(APIRoute):
    """An APIRoute that validates a single-model JSON body straight from the request bytes."""

    def body_model(self) -> tuple[str, type[BaseModel]] | None:
        """The endpoint's parameter name and model, if the body model is all it takes and it
        returns a Response (so no response model has to be applied)."""
        try:
            returns = typing.get_type_hints(self.endpoint).get("return")
        except (NameError, TypeError):   # annotations it cannot resolve: leave it to FastAPI
            return None
        if not (isinstance(returns, type) and issubclass(returns, Response)):
            return None
        dependant = self.dependant
        if (len(dependant.body_params) != 1 or dependant.dependencies
                or dependant.path_params or dependant.query_params or dependant.header_params
                or dependant.cookie_params or dependant.request_param_name
                or dependant.background_tasks_param_name or dependant.response_param_name):
            return None
        field = dependant.body_params[0]
        model = field.field_info.annotation
        if (getattr(field.field_info, "embed", False)
                or not (isinstance(model, type) and issubclass(model, BaseModel))):
            return None
        return field.name, model

    def get_route_handler(self) -> Callable:
        fallback = super().get_route_handler()
        if not self.dependant.body_params:
            return fallback
        found = self.body_model()
        heavy_when = getattr(self.endpoint, HEAVY, None)
        endpoint, is_async = self.endpoint, inspect.iscoroutinefunction(self.endpoint)

        def admitted(request: Request, body: BaseModel | None):
            """A heavy request's slot (held while it computes), or nothing to wait for."""
            if heavy_when is None or not (body is None or heavy_when(body)):
                return nullcontext()
            return heavy_slot(request)

        async def handler(request: Request) -> Response:
            body = await request.body()   # read before any wait for a slot
            if not body:
                return await fallback(request)   # FastAPI's "Field required" for the body
            content_type = request.headers.get("content-type")
            if not _is_json(content_type):
                return unsupported_media_type(content_type)
            check_unique_keys(body)
            if found is None:
                async with admitted(request, None):
                    return await fallback(request)
            name, model = found
            try:
                value = model.model_validate_json(body)
            except ValidationError as error:
                raise RequestValidationError(body_errors(error), body=body) from None
            async with admitted(request, value):
                if is_async:
                    return await endpoint(**{name: value})
                return await run_in_threadpool(endpoint, **{name: value})

        return handler
