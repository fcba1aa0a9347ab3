"""The kernel's answers to the widget's requests: each API path routed to the function its HTTP
endpoint calls, the body validated from JSON by the same model, errors in the API's one shape,
so the front end cannot tell the kernel from the server (and no server runs)."""

from __future__ import annotations

import re
from collections.abc import Callable

import orjson
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.api import (
    catalog,
    datasets,
    exports,
    expressions,
    formulas,
    gradcheck,
    iterations,
    logistic,
    networks,
    presets,
    projections,
    train,
)
from app.body_route import body_errors
from app.errors import ENGINE_ERRORS, engine_error_detail, validation_detail
from app.schemas.datasets import DatasetRequest
from app.schemas.expressions import ExpressionRequest
from app.schemas.gradcheck import GradcheckRequest
from app.schemas.iterations import IterationRequest
from app.schemas.logistic import LogisticRequest
from app.schemas.networks import NetworkRequest
from app.schemas.projections import ProjectionRequest
from app.schemas.train import TrainRequest
from engine.views.serialize import to_json


def _post(model: type[BaseModel], endpoint: Callable) -> Callable:
    """A POST route: the body validated by the endpoint's model, then the endpoint."""
    return lambda match, body: endpoint(*match.groups(), _validated(model, body))


def _validated(model: type[BaseModel], body) -> BaseModel:
    """The body as the HTTP route reads it: from JSON, so the checks are the same."""
    return model.model_validate_json(orjson.dumps(body))


# (method, path pattern, handler(match, body) -> a Response or JSON-ready data)
ROUTES: list[tuple[str, re.Pattern, Callable]] = [
    ("POST", re.compile(r"/api/v1/iterations"), _post(IterationRequest, iterations.trace_response)),
    ("GET", re.compile(r"/api/v1/catalog"), lambda m, b: catalog.get_catalog()),
    ("GET", re.compile(r"/api/v1/formulas"), lambda m, b: formulas.list_formulas()),
    ("GET", re.compile(r"/api/v1/presets"), lambda m, b: presets.list_presets()),
    ("GET", re.compile(r"/api/v1/datasets"), lambda m, b: datasets.list_datasets()),
    ("POST", re.compile(r"/api/v1/datasets/([^/]+)"),
     _post(DatasetRequest, datasets.create_dataset)),
    ("POST", re.compile(r"/api/v1/networks"), _post(NetworkRequest, networks.create_network)),
    ("POST", re.compile(r"/api/v1/projections"),
     _post(ProjectionRequest, projections.create_projection)),
    ("POST", re.compile(r"/api/v1/train"), _post(TrainRequest, train.create_training)),
    ("POST", re.compile(r"/api/v1/gradcheck"), _post(GradcheckRequest, gradcheck.create_gradcheck)),
    ("POST", re.compile(r"/api/v1/logistic"), _post(LogisticRequest, logistic.create_logistic)),
    ("POST", re.compile(r"/api/v1/expressions"),
     _post(ExpressionRequest, expressions.create_expression)),
    ("POST", re.compile(r"/api/v1/exports/(numpy|pytorch|notebook)"),
     _post(IterationRequest, exports.export_file)),
]


def _error(status: int, detail) -> tuple[int, bytes]:
    return status, orjson.dumps({"detail": detail})


def answer(method: str, path: str, body=None) -> tuple[int, bytes]:
    """The status and JSON bytes the API would answer `method path` with this body."""
    found = next(((handler, match) for route_method, pattern, handler in ROUTES
                  if route_method == method and (match := pattern.fullmatch(path))), None)
    if found is None:
        return _error(404, "Not Found")
    handler, match = found
    try:
        result = handler(match, body)
    except ValidationError as error:
        return _error(422, validation_detail(body_errors(error)))
    except ENGINE_ERRORS as error:
        return _error(422, engine_error_detail(error))
    except HTTPException as error:
        return _error(error.status_code, error.detail)
    if isinstance(result, Response):
        return result.status_code, bytes(result.body)
    return 200, to_json(jsonable_encoder(result))
