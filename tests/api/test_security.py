"""Security headers on every response, the body size limit, and CORS only when configured."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.security import security_headers
from app.settings import Settings

ORIGIN = "https://course.example.org"
TINY = {"network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                    "loss": "squared_error"},
        "inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]]}


def assert_security_headers(response) -> None:
    for name, value in security_headers(["'self'"]):
        assert response.headers[name.decode()] == value.decode()
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy
    assert "unsafe" not in policy, "no inline styles, scripts or eval"


@pytest.mark.parametrize("method, url, body, status", [
    ("get", "/healthz", None, 200),
    ("get", "/api/v1/presets", None, 200),
    ("post", "/api/v1/iterations", TINY, 200),
    ("get", "/api/v1/presets/nope", None, 404),
    ("get", "/no/such/page", None, 404),
    ("post", "/api/v1/networks", {"network": {"layer_sizes": [2]}}, 422),
    ("post", "/api/v1/train", {**TINY, "learning_rate": -1}, 422),
])
def test_security_headers_on_every_status(client, method, url, body, status):
    response = getattr(client, method)(url, **({"json": body} if body is not None else {}))
    assert response.status_code == status
    assert_security_headers(response)


def test_an_oversized_body_is_413_with_headers():
    client = TestClient(create_app(Settings(max_body_bytes=2048)))
    body = {**TINY, "inputs": [[0.05, 0.10]] * 200, "targets": [[0.01, 0.99]] * 200}
    response = client.post("/api/v1/iterations", json=body)
    assert response.status_code == 413
    (error,) = response.json()["detail"]
    assert error["type"] == "body_too_large" and "2048 bytes" in error["msg"]
    assert_security_headers(response)
    assert client.post("/api/v1/iterations", json=TINY).status_code == 200


def test_the_default_limit_refuses_a_body_over_two_megabytes(client):
    response = client.post("/api/v1/train", content=b"[" + b"0," * 1_100_000 + b"0]",
                           headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_cors_is_off_by_default(client):
    response = client.post("/api/v1/iterations", json=TINY, headers={"origin": ORIGIN})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/api/v1/iterations", headers={
        "origin": ORIGIN, "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_the_configured_origins_only():
    client = TestClient(create_app(Settings(cors_origins=[ORIGIN])))
    response = client.post("/api/v1/iterations", json=TINY, headers={"origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert_security_headers(response)
    preflight = client.options("/api/v1/train", headers={
        "origin": ORIGIN, "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in preflight.headers["access-control-allow-methods"]
    other = client.post("/api/v1/iterations", json=TINY,
                        headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("origin, method, headers, refused", [
    ("https://elsewhere.example", "POST", "content-type", [["header", "origin"]]),
    (ORIGIN, "DELETE", "x-secret", [["header", "access-control-request-method"],
                                     ["header", "access-control-request-headers"]]),
])
def test_a_refused_preflight_names_what_was_refused_in_the_error_shape(origin, method, headers,
                                                                       refused):
    client = TestClient(create_app(Settings(cors_origins=[ORIGIN])))
    response = client.options("/api/v1/train", headers={
        "origin": origin, "access-control-request-method": method,
        "access-control-request-headers": headers})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    detail = response.json()["detail"]
    assert [error["loc"] for error in detail] == refused
    assert all(error["type"] == "cors_refused" for error in detail)
    assert any(value in detail[0]["msg"] for value in (origin, method))
    assert_security_headers(response)


def test_frame_ancestors_are_configurable_for_lessons_on_another_site():
    settings = Settings(frame_ancestors=["'self'", ORIGIN])
    response = TestClient(create_app(settings)).get("/healthz")
    policy = response.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {ORIGIN}" in policy
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy
    assert "x-frame-options" not in response.headers  # it cannot name another origin
