"""Errors in the one shape: engine errors as 422s (a DatasetError addressed by its field, or when
it has none by the parameter its message starts with, else by 'dataset'), unknown paths, methods
a route does not take, HEAD as GET, and a bug's 500."""

from __future__ import annotations

import asyncio
import json

import pytest
from fastapi.testclient import TestClient

from app.errors import ENGINE_ERRORS, engine_error
from app.main import create_app
from engine.data import datasets
from engine.data.datasets import DatasetError


def detail_of(error: Exception) -> dict:
    response = asyncio.run(engine_error(None, error))
    assert response.status_code == 422
    (item,) = json.loads(response.body)["detail"]
    return item


def raised_by(call) -> DatasetError:
    with pytest.raises(DatasetError) as info:
        call()
    return info.value


def test_dataset_error_is_an_engine_error():
    assert DatasetError in ENGINE_ERRORS


@pytest.mark.parametrize("call, loc", [
    (lambda: datasets.generate("xor", samples=3), ["body", "samples"]),
    (lambda: datasets.generate("xor", noise=2.0), ["body", "noise"]),
    (lambda: datasets.generate("xor", seed=-1), ["body", "seed"]),
    (lambda: datasets.split([[0.0]], [[0.0]], test_fraction=0.95), ["body", "test_fraction"]),
    (lambda: datasets.generate("swirl"), ["body", "name"]),
    (lambda: datasets.split([[0.0]], [[0.0], [1.0]]), ["body", "targets"]),
])
def test_dataset_errors_name_their_parameter(call, loc):
    error = raised_by(call)
    item = detail_of(error)
    assert item["loc"] == loc
    assert item["msg"] == str(error) and item["type"] == "value_error"


# Every error the app emits, in the one shape


def only_error(response, status: int) -> dict:
    assert response.status_code == status, response.text
    (error,) = response.json()["detail"]
    assert set(error) >= {"loc", "msg", "type"}
    return error


@pytest.mark.parametrize("url", ["/no/such/page", "/static/js/nope.js", "/api/v1/nope",
                                 "/vendor/swagger-ui/index.html",
                                 "/vendor/swagger-ui/oauth2-redirect.html",
                                 "/vendor/swagger-ui/swagger-ui.js"])
def test_not_found_names_the_path(client, url):
    error = only_error(client.get(url), 404)
    assert error == {"loc": ["path"], "msg": f"nothing is served at {url}", "type": "not_found"}


@pytest.mark.parametrize("url", ["/vendor/swagger-ui/swagger-ui.css",
                                 "/vendor/swagger-ui/swagger-ui-bundle.js"])
def test_the_swagger_ui_files_docs_uses_are_served(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("method, url, allowed", [("delete", "/healthz", "GET"),
                                                  ("get", "/api/v1/train", "POST"),
                                                  ("post", "/static/favicon.svg", "GET, HEAD")])
def test_a_method_a_route_does_not_take_is_a_405_naming_both(client, method, url, allowed):
    response = getattr(client, method)(url)
    error = only_error(response, 405)
    assert error["loc"] == ["method"] and error["type"] == "method_not_allowed"
    assert method.upper() in error["msg"] and allowed in error["msg"]
    assert response.headers["allow"] == allowed


@pytest.mark.parametrize("url", ["/healthz", "/", "/docs", "/api/v1/presets",
                                 "/static/favicon.svg", "/vendor/plotly.min.js"])
def test_head_answers_as_get_without_a_body(client, url):
    head, get = client.head(url), client.get(url)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers.get("content-length") == get.headers.get("content-length")


def test_an_unexpected_failure_is_a_500_in_the_same_shape():
    app = create_app()

    @app.get("/broken")
    def broken():
        raise RuntimeError("a bug")

    response = TestClient(app, raise_server_exceptions=False).get("/broken")
    error = only_error(response, 500)
    assert error["loc"] == ["server"] and "a bug" not in response.text
