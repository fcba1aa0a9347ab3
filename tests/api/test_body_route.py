"""JSONBodyRoute: bodies validated by pydantic straight from the bytes, with errors addressed
to the field as before, and FastAPI's own handling wherever a route takes more than a body."""

from __future__ import annotations

import copy
import json
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from starlette.responses import Response

from app.api import iterations
from app.body_route import JSONBodyRoute
from app.schemas.iterations import TINY_EXAMPLE, IterationRequest
from app.settings import Settings, app_settings

URL = "/api/v1/iterations"


def post_raw(client, content: bytes | str, content_type: str = "application/json"):
    return post_raw_to(client, URL, content, content_type)


def post_raw_to(client, url: str, content: bytes | str, content_type: str = "application/json"):
    return client.post(url, content=content, headers={"content-type": content_type})


def only_error(response) -> dict:
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    return error


def test_a_wrong_type_deep_in_the_body_is_addressed_to_its_field(client):
    body = copy.deepcopy(TINY_EXAMPLE)
    body["params"]["weights"][1][0][1] = "0.45"
    error = only_error(client.post(URL, json=body))
    assert error["loc"] == ["body", "params", "weights", 1, 0, 1]
    assert error["type"] == "float_type"


def test_an_integer_past_64_bits_is_refused_at_its_field_with_the_limit(client):
    raw = json.dumps({**TINY_EXAMPLE, "seed": 1}).replace('"seed": 1',
                                                          '"seed": 123456789012345678901234567890')
    error = only_error(post_raw(client, raw))
    assert error["loc"] == ["body", "seed"] and "4294967295" in error["msg"]


def test_broken_json_says_where(client):
    error = only_error(post_raw(client, '{"network": {"layer_sizes": [2, 2'))
    assert error["loc"] == ["body"] and error["type"] == "json_invalid"
    assert error["msg"].startswith("the request body is not valid JSON: ")
    assert "line 1 column" in error["msg"] and "input" not in error


def test_no_body_at_all_gets_fastapis_answer(client):
    error = only_error(post_raw(client, ""))
    assert error["loc"] == ["body"] and error["type"] == "missing"


@pytest.mark.parametrize("url", [URL, "/api/v1/cost", "/api/v1/datasets/xor"])
@pytest.mark.parametrize("content_type, named", [("text/plain", "'text/plain'"),
                                                 ("", "is missing")])
def test_json_sent_as_another_type_is_a_415_naming_the_content_type(client, url, content_type,
                                                                    named):
    response = client.post(url, content=json.dumps(TINY_EXAMPLE),
                           headers={"content-type": content_type})
    assert response.status_code == 415
    (error,) = response.json()["detail"]
    assert error["loc"] == ["header", "content-type"] and error["type"] == "unsupported_media_type"
    assert named in error["msg"] and "application/json" in error["msg"]


@pytest.mark.parametrize("url, raw, loc", [
    # The first value is wrong and the last right: a parser that keeps the last never saw it.
    ("/api/v1/expressions", '{"expression": "x", "values": {"x": "bad"}, "values": {"x": 3}}',
     ["body", "values"]),
    (URL, json.dumps(TINY_EXAMPLE).replace('"loss": "squared_error"',
                                            '"loss": "cross_entropy", "loss": "squared_error"'),
     ["body", "network", "loss"]),
    ("/api/v1/datasets/xor", '{"samples": 10, "seed": 1, "samples": 20}', ["body", "samples"]),
    ("/api/v1/cost", '{"widths": [{"a": 1}, {"b": 1, "b": 2}]}', ["body", "widths", 1, "b"]),
])
def test_a_repeated_key_is_refused_at_its_place(client, url, raw, loc):
    error = only_error(post_raw_to(client, url, raw))
    assert error["loc"] == loc and error["type"] == "duplicate_key"
    assert f"{loc[-1]!r} appears more than once" in error["msg"]


def test_the_same_key_in_different_objects_is_fine(client):
    body = {"expression": "x * y", "values": {"x": 2, "y": 3}}
    response = client.post("/api/v1/expressions", json=body)
    assert response.status_code == 200 and response.json()["output"] == 6


def test_a_json_subtype_takes_the_fast_path(client):
    response = client.post(URL, json=TINY_EXAMPLE,
                           headers={"content-type": "application/vnd.example+json"})
    assert response.status_code == 200
    assert response.json()["loss"] > 0


def test_only_endpoints_that_take_just_a_body_model_and_return_a_response_use_it():
    (trace,) = iterations.router.routes
    assert isinstance(trace, JSONBodyRoute) and trace.body_model() == ("request", IterationRequest)

    router = APIRouter(route_class=JSONBodyRoute)

    @router.post("/with-dependency")
    async def with_dependency(body: IterationRequest,
                              settings: Annotated[Settings, Depends(app_settings)]) -> Response:
        return Response()

    @router.post("/with-path/{name}")
    async def with_path(name: str, body: IterationRequest) -> Response:
        return Response()

    @router.post("/returns-a-model")
    async def returns_a_model(body: IterationRequest) -> IterationRequest:
        return body

    assert all(route.body_model() is None for route in router.routes)


def test_deeply_nested_json_is_refused_with_a_reason(client):
    nested = "[" * 100_000 + "]" * 100_000
    error = only_error(post_raw(client, '{"inputs": ' + nested + "}"))
    assert error["type"] == "json_invalid" and "recursion limit" in error["msg"]
