"""POST /api/v1/logistic: the hand formula's gradient beside the backward pass's, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from app.schemas.logistic import LOGISTIC_EXAMPLE

URL = "/api/v1/logistic"


def only_error(response) -> dict:
    (error,) = response.json()["detail"]
    return error


def test_hand_formula_equals_backward_pass(client):
    response = client.post(URL, json=LOGISTIC_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    x = np.array(LOGISTIC_EXAMPLE["inputs"])
    y = np.array(LOGISTIC_EXAMPLE["targets"])[:, 0]
    w = np.array(LOGISTIC_EXAMPLE["params"]["weights"][0][0])
    w0 = LOGISTIC_EXAMPLE["params"]["biases"][0][0]
    p = 1 / (1 + np.exp(-(x @ w + w0)))
    hand, backward = body["hand"], body["backward"]
    np.testing.assert_allclose(hand["probabilities"], p, rtol=1e-14)
    np.testing.assert_allclose(hand["errors"], p - y, rtol=1e-13)
    np.testing.assert_allclose(hand["grad_weights"], [(p - y) @ x / len(y)], rtol=1e-13)
    np.testing.assert_allclose(hand["grad_bias"], [np.mean(p - y)], rtol=1e-13)
    np.testing.assert_allclose(backward["grad_weights"], hand["grad_weights"], rtol=1e-12)
    np.testing.assert_allclose(backward["grad_biases"], hand["grad_bias"], rtol=1e-12)
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert body["loss"] == pytest.approx(loss, rel=1e-12)
    assert body["params"] == LOGISTIC_EXAMPLE["params"]


def test_matches_the_iterations_endpoint_for_the_same_seed(client):
    body = {key: LOGISTIC_EXAMPLE[key] for key in ("inputs", "targets")}
    logistic = client.post(URL, json={**body, "seed": 3}).json()
    trace = client.post("/api/v1/iterations", json={
        **body, "seed": 3, "network": {"layer_sizes": [2, 1], "activations": ["sigmoid"],
                                       "loss": "binary_cross_entropy"}}).json()
    backward = next(s for s in trace["stages"] if s["phase"] == "backward")
    assert logistic["params"] == trace["params_before"]
    assert logistic["backward"]["grad_weights"] == backward["grad_weights"]
    assert logistic["backward"]["grad_biases"] == backward["grad_biases"]
    assert logistic["loss"] == trace["loss"]


def test_saturated_unit_stays_finite(client):
    response = client.post(URL, json={"params": {"weights": [[[1e4]]], "biases": [[0.0]]},
                                      "inputs": [[1.0], [-1.0]], "targets": [[0.0], [1.0]]})
    assert response.status_code == 200
    hand = response.json()["hand"]
    assert hand["probabilities"] == [1.0, 0.0]
    assert hand["grad_weights"] == [[1.0]] and hand["grad_bias"] == [0.0]


@pytest.mark.parametrize(("change", "loc", "words"), [
    ({"targets": [[1.0, 0.0]] * 4}, ["body", "targets"], "1 numbers each"),
    ({"targets": [[2.0]] * 4}, ["body", "targets"], "between 0 and 1"),
    ({"targets": [[1.0]] * 3}, ["body", "targets"], "one row per input row"),
    ({"params": {"weights": [[[0.5]]], "biases": [[0.1]]}}, ["body", "params", "weights", 0],
     "shape"),
    ({"inputs": [[0.3, 0.3], [0.9]] * 2}, ["body", "inputs"], "rectangular"),
])
def test_errors_name_the_field(client, change, loc, words):
    response = client.post(URL, json={**LOGISTIC_EXAMPLE, **change})
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == loc
    assert words in error["msg"]
