"""POST /api/v1/gradcheck: backprop agrees with finite differences, entry by entry; limits."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from app.schemas.gradcheck import GRADCHECK_EXAMPLE
from engine.learning.iteration import run_iteration
from engine.networks.spec import NetworkSpec, Params

URL = "/api/v1/gradcheck"


def only_error(response) -> dict:
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    return error


def test_tiny_example_agrees_to_1e_6(client):
    response = client.post(URL, json=GRADCHECK_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert body["max_relative_error"] < 1e-6
    assert body["max_relative_error"] == max(row["relative_error"] for row in body["rows"])
    assert body["parameter_count"] == len(body["rows"]) == 12 and body["passes"] == 24
    assert body["loss"] == pytest.approx(0.298371108760003, abs=1e-12)
    assert body["step"] == 1e-6
    names = [row["name"] for row in body["rows"]]
    assert names[:6] == ["w1_11", "w1_12", "w1_21", "w1_22", "b1_1", "b1_2"]


def test_backprop_column_equals_the_iterations_gradients(client):
    body = client.post(URL, json=GRADCHECK_EXAMPLE).json()
    spec = NetworkSpec((2, 2, 2), ("sigmoid", "sigmoid"), "squared_error")
    params = Params.from_lists(spec, GRADCHECK_EXAMPLE["params"]["weights"],
                               GRADCHECK_EXAMPLE["params"]["biases"])
    trace = run_iteration(spec, params, np.array(GRADCHECK_EXAMPLE["inputs"]),
                          np.array(GRADCHECK_EXAMPLE["targets"]), 0.5)
    for row in body["rows"]:
        values = trace.stage("backward", row["layer"]).values
        grad = values["grad_weights" if row["kind"] == "weight" else "grad_biases"]
        assert row["backprop"] == grad[tuple(row["index"])]
        assert row["numerical"] == pytest.approx(row["backprop"], rel=1e-6, abs=1e-9)


def test_a_seeded_network_with_a_batch_agrees_in_both_granularities(client):
    body = {"network": {"layer_sizes": [3, 5, 4, 3], "activations": ["tanh", "relu", "softmax"],
                        "loss": "cross_entropy"},
            "seed": 4, "inputs": [[0.1, -0.4, 0.9], [1.2, 0.3, -0.7], [-0.5, 0.8, 0.2]],
            "targets": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}
    layer = client.post(URL, json=body).json()
    scalar = client.post(URL, json={**body, "granularity": "scalar"}).json()
    assert layer["max_relative_error"] < 1e-6 and scalar["max_relative_error"] < 1e-6
    assert len(layer["rows"]) == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 3 + 3
    assert np.allclose([r["backprop"] for r in layer["rows"]],
                       [r["backprop"] for r in scalar["rows"]], rtol=1e-12, atol=1e-15)


def test_networks_over_2000_parameters_are_refused(client):
    body = copy.deepcopy(GRADCHECK_EXAMPLE)
    del body["params"]
    body["network"] = {"layer_sizes": [32, 32, 32, 2], "activations": ["tanh", "tanh", "sigmoid"],
                       "loss": "squared_error"}
    body["inputs"] = [[0.0] * 32]
    error = only_error(client.post(URL, json=body))
    assert error["loc"] == ["body", "network"]
    assert "2000 parameters" in error["msg"] and "2178" in error["msg"]


@pytest.mark.parametrize("step", [0, -1e-6, 0.5])
def test_step_is_bounded(client, step):
    response = client.post(URL, json={**GRADCHECK_EXAMPLE, "step": step})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "step"]


def test_targets_must_fit_the_output_layer(client):
    error = only_error(client.post(URL, json={**GRADCHECK_EXAMPLE, "targets": [[0.5]]}))
    assert error["loc"] == ["body", "targets"] and "2 numbers each" in error["msg"]


def test_the_l2_penalty_is_in_the_cost_checked(client):
    """With λ, each weight's gradient gains λw (biases none), and finite differences of the
    penalised cost agree with it."""
    plain = client.post(URL, json=GRADCHECK_EXAMPLE).json()
    lam = 0.3
    penalised = client.post(URL, json={**GRADCHECK_EXAMPLE, "l2": lam}).json()
    assert penalised["max_relative_error"] < 1e-6
    weights = GRADCHECK_EXAMPLE["params"]["weights"]
    for before, after in zip(plain["rows"], penalised["rows"], strict=True):
        extra = (lam * weights[after["layer"] - 1][after["index"][0]][after["index"][1]]
                 if after["kind"] == "weight" else 0.0)
        assert after["backprop"] == pytest.approx(before["backprop"] + extra, abs=1e-12)
    assert only_error(client.post(URL, json={**GRADCHECK_EXAMPLE, "l2": -1}))["loc"] == \
        ["body", "l2"]
