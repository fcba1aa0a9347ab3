"""POST /api/v1/train: training numbers, the data used, divergence, the work budget, errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.workload import WORK_BUDGET, training_work
from engine.data import datasets
from engine.learning.training import GRID_SIZE, LINE_SIZE, train
from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec

URL = "/api/v1/train"
XOR_NETWORK = {"layer_sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"],
               "loss": "binary_cross_entropy"}
SINE_NETWORK = {"layer_sizes": [1, 8, 1], "activations": ["tanh", "linear"],
                "loss": "squared_error"}
XOR = {"network": XOR_NETWORK, "seed": 1,
       "dataset": {"name": "xor", "samples": 200, "noise": 0.05, "seed": 0},
       "learning_rate": 0.5, "batch_size": 32, "iterations": 600, "snapshot_every": 100}


def strict_json(text: str):
    """json.loads that fails on NaN, Infinity and -Infinity."""
    def refuse(token):
        raise ValueError(f"non-finite number {token} in the response")
    return json.loads(text, parse_constant=refuse)


def only_error(response) -> dict:
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    return error


@pytest.fixture(scope="module")
def xor_run(client):
    response = client.post(URL, json=XOR)
    assert response.status_code == 200
    return strict_json(response.text)


def test_loss_falls_on_xor(xor_run):
    body = xor_run
    first, last = body["snapshots"][0], body["snapshots"][-1]
    assert first["iteration"] == 0 and last["iteration"] == 600
    assert first["train_loss"] > 0.65 and last["train_loss"] < 0.2
    assert last["accuracy"] >= 0.9 and last["test_accuracy"] >= 0.8
    assert np.mean(body["loss_curve"][-50:]) < 0.4 * np.mean(body["loss_curve"][:50])
    assert not body["diverged"] and body["diverged_at"] is None
    assert body["iterations_run"] == 600 and not body["stopped_early"]


def test_curves_and_snapshots_have_their_shapes(xor_run):
    body = xor_run
    assert len(body["loss_curve"]) == 600
    assert np.array(body["grad_norms"]).shape == (600, 2)
    assert [s["iteration"] for s in body["snapshots"]] == [0, 100, 200, 300, 400, 500, 600]
    assert body["test_loss_curve"] == [{"iteration": s["iteration"], "loss": s["test_loss"]}
                                       for s in body["snapshots"]]
    assert body["snapshots"][-1]["params"] == body["params_after"]
    assert body["batch_size"] == 32 and body["iterations"] == 600


def test_the_data_used_is_the_dataset_split(xor_run):
    body = xor_run
    data = datasets.generate("xor", 200, 0.05, 0)
    x, y, tx, ty = datasets.split(data.inputs, data.targets, 0.2, 0)
    assert np.array_equal(body["inputs"], x) and np.array_equal(body["targets"], y)
    assert np.array_equal(body["test_inputs"], tx) and np.array_equal(body["test_targets"], ty)
    assert len(body["inputs"]) == 160 and len(body["test_inputs"]) == 40
    assert body["dataset"] == XOR["dataset"] and body["test_fraction"] == 0.2


def test_numbers_equal_the_engines_training(xor_run):
    spec = NetworkSpec((2, 4, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    x, y = np.array(xor_run["inputs"]), np.array(xor_run["targets"])
    tx, ty = np.array(xor_run["test_inputs"]), np.array(xor_run["test_targets"])
    result = train(spec, init_params(spec, 1), x, y, learning_rate=0.5, iterations=600,
                   batch_size=32, seed=1, snapshot_every=100, test_inputs=tx, test_targets=ty)
    assert xor_run["loss_curve"] == result.loss_curve
    assert np.array_equal(xor_run["params_after"]["weights"][0], result.params_after.weights[0])


def test_decision_boundary_is_the_last_snapshots_grid(xor_run):
    boundary = xor_run["decision_boundary"]
    last = xor_run["snapshots"][-1]["predictions"]
    assert last["kind"] == "grid"
    assert boundary == {"x": last["x"], "y": last["y"], "values": last["values"]}
    assert np.array(boundary["values"]).shape == (GRID_SIZE, GRID_SIZE)
    inputs = np.array(xor_run["inputs"])
    assert boundary["x"][0] < inputs[:, 0].min() and boundary["x"][-1] > inputs[:, 0].max()
    assert xor_run["prediction_curve"] is None


def test_regression_on_explicit_data_finds_the_line(client):
    body = {"network": {"layer_sizes": [1, 1], "activations": ["linear"],
                        "loss": "squared_error"},
            "params": {"weights": [[[0.0]]], "biases": [[0.0]]},
            "inputs": [[0.0], [1.0], [2.0], [3.0]], "targets": [[1.0], [3.0], [5.0], [7.0]],
            "test_inputs": [[4.0]], "test_targets": [[9.0]],
            "learning_rate": 0.1, "iterations": 1000}
    response = client.post(URL, json=body)
    assert response.status_code == 200
    result = response.json()
    (w,), (b,) = result["params_after"]["weights"][0][0], result["params_after"]["biases"][0]
    assert w == pytest.approx(2.0, abs=1e-6) and b == pytest.approx(1.0, abs=1e-6)
    # First step by hand: C = (1/4) sum 1/2 (0 - y)^2 = 10.5.
    assert result["loss_curve"][0] == pytest.approx(10.5, abs=1e-12)
    assert result["test_loss_curve"][-1]["loss"] == pytest.approx(0.0, abs=1e-10)
    assert result["snapshots"][-1]["accuracy"] is None
    assert result["dataset"] is None and result["test_inputs"] == [[4.0]]
    curve = result["prediction_curve"]
    assert len(curve["x"]) == LINE_SIZE and result["decision_boundary"] is None
    assert np.allclose(curve["values"], 2.0 * np.array(curve["x"]) + 1.0, atol=1e-5)


def test_stop_loss_ends_the_run_early(client):
    response = client.post(URL, json={**XOR, "iterations": 3000, "snapshot_every": 300,
                                      "stop_loss": 0.3})
    body = response.json()
    assert body["stopped_early"] and body["iterations_run"] < 3000
    assert body["loss_curve"][-1] <= 0.3 < min(body["loss_curve"][:-1])
    assert body["snapshots"][-1]["iteration"] == body["iterations_run"]


def test_a_huge_learning_rate_diverges_without_nan_in_the_json(client):
    body = {"network": SINE_NETWORK, "dataset": {"name": "sine", "samples": 100},
            "learning_rate": 1e6, "iterations": 200}
    response = client.post(URL, json=body)
    assert response.status_code == 200
    assert b"NaN" not in response.content and b"Infinity" not in response.content
    result = strict_json(response.text)
    assert result["diverged"] is True
    assert 1 <= result["diverged_at"] == result["iterations_run"] < 200
    assert len(result["loss_curve"]) == result["diverged_at"]
    assert all(s["iteration"] < result["diverged_at"] for s in result["snapshots"])


def test_a_two_neuron_softmax_gets_one_hot_targets(client):
    network = {"layer_sizes": [2, 4, 2], "activations": ["tanh", "softmax"],
               "loss": "cross_entropy"}
    response = client.post(URL, json={"network": network, "dataset": {"name": "gaussians"},
                                      "iterations": 100})
    assert response.status_code == 200
    body = response.json()
    targets = np.array(body["targets"])
    assert targets.shape[1] == 2 and np.array_equal(targets.sum(axis=1), np.ones(len(targets)))
    assert body["snapshots"][-1]["accuracy"] > 0.9


def test_test_fraction_zero_trains_without_a_test_set(client):
    body = client.post(URL, json={**XOR, "test_fraction": 0, "iterations": 20}).json()
    assert len(body["inputs"]) == 200 and body["test_inputs"] is None
    assert body["test_loss_curve"] == [] and body["snapshots"][-1]["test_loss"] is None


def test_batch_size_larger_than_the_data_is_the_full_batch(client):
    response = client.post(URL, json={**XOR, "batch_size": 2000, "iterations": 10})
    assert response.json()["batch_size"] == 160


def test_work_over_the_budget_is_refused_naming_iterations_and_the_limit(client):
    network = {"layer_sizes": [2, 32, 32, 32, 32, 32, 1],
               "activations": ["tanh"] * 5 + ["sigmoid"], "loss": "binary_cross_entropy"}
    body = {"network": network, "dataset": {"name": "spiral", "samples": 2000},
            "iterations": 5000}
    error = only_error(client.post(URL, json=body))
    assert error["loc"] == ["body", "iterations"]
    assert "budget of 3e+09" in error["msg"] and "at most about" in error["msg"]
    ok = client.post(URL, json={**body, "iterations": 2, "snapshot_every": 1})
    assert ok.status_code == 200
    assert ok.json()["work"]["budget"] == WORK_BUDGET


def test_the_budget_refuses_at_least_what_the_plain_product_refuses():
    spec = NetworkSpec((32,) * 7, ("relu",) * 5 + ("softmax",), "cross_entropy")
    for iterations, batch in [(1, 1), (100, 2000), (5000, 1), (5000, 512)]:
        work = training_work(spec, iterations, batch, 2000, 0, None)
        assert work.units >= iterations * batch * spec.parameter_count


@pytest.mark.parametrize("changes, field", [
    ({"inputs": [[0.0, 0.0]], "targets": [[0.0]]}, "dataset"),
    ({"dataset": None}, "dataset"),
    ({"dataset": None, "inputs": [[0.0, 0.0]]}, "targets"),
    ({"dataset": None, "inputs": [[0.0, 0.0]], "targets": [[0.0]], "test_fraction": 0.5},
     "test_fraction"),
    ({"dataset": None, "inputs": [[0.0, 0.0]], "targets": [[0.0]], "test_inputs": [[1.0, 1.0]]},
     "test_targets"),
    ({"test_inputs": [[1.0, 1.0]], "test_targets": [[1.0]]}, "test_inputs"),
])
def test_exactly_one_source_of_data(client, changes, field):
    error = only_error(client.post(URL, json={**XOR, **changes}))
    assert error["loc"] == ["body", field]


@pytest.mark.parametrize("network, dataset, phrase", [
    ({"layer_sizes": [3, 4, 1], "activations": ["tanh", "sigmoid"],
      "loss": "binary_cross_entropy"}, "spiral", "set layer_sizes[0] to 2"),
    ({"layer_sizes": [2, 4, 3], "activations": ["tanh", "sigmoid"],
      "loss": "binary_cross_entropy"}, "circles", "use 1 output"),
    ({"layer_sizes": [1, 4, 1], "activations": ["tanh", "sigmoid"],
      "loss": "binary_cross_entropy"}, "sine", "is a regression"),
])
def test_a_dataset_that_does_not_fit_the_network_is_explained(client, network, dataset, phrase):
    error = only_error(client.post(URL, json={"network": network, "dataset": {"name": dataset}}))
    assert error["loc"] == ["body", "dataset"] and phrase in error["msg"]


def test_explicit_data_is_checked_against_the_network(client):
    body = {"network": XOR_NETWORK, "inputs": [[0.0, 0.0]], "targets": [[1.0]],
            "test_inputs": [[1.0, 1.0, 1.0]], "test_targets": [[1.0]]}
    error = only_error(client.post(URL, json=body))
    assert error["loc"] == ["body", "test_inputs"] and "2 numbers each" in error["msg"]
    error = only_error(client.post(URL, json={**body, "targets": [[2.0]]}))
    assert error["loc"] == ["body", "targets"] and "between 0 and 1" in error["msg"]


@pytest.mark.parametrize("changes, loc", [
    ({"dataset": {"name": "swirl"}}, ["body", "dataset", "name"]),
    ({"dataset": {"name": "xor", "samples": 2001}}, ["body", "dataset", "samples"]),
    ({"iterations": 5001}, ["body", "iterations"]),
    ({"snapshot_every": 0}, ["body", "snapshot_every"]),
    ({"test_fraction": 0.95}, ["body", "test_fraction"]),
    ({"learning_rate": 0}, ["body", "learning_rate"]),
    ({"iterations": True}, ["body", "iterations"]),
    ({"batch_size": "32"}, ["body", "batch_size"]),
    ({"dataset": {"name": "xor", "noise": "0.1"}}, ["body", "dataset", "noise"]),
])
def test_bounds(client, changes, loc):
    response = client.post(URL, json={**XOR, **changes})
    assert response.status_code == 422
    assert loc in [e["loc"] for e in response.json()["detail"]]


def test_too_many_snapshots_names_the_minimum_interval(client):
    error = only_error(client.post(URL, json={**XOR, "iterations": 500, "snapshot_every": 1}))
    assert error["loc"] == ["body", "snapshot_every"] and "at least 5" in error["msg"]


def test_include_data_false_leaves_the_data_out_but_trains_the_same(client):
    body = {"network": {"layer_sizes": [2, 3, 1], "activations": ["tanh", "sigmoid"],
                        "loss": "binary_cross_entropy"},
            "dataset": {"name": "xor", "samples": 40, "noise": 0.1, "seed": 0},
            "learning_rate": 0.5, "iterations": 5, "seed": 2}
    full = client.post("/api/v1/train", json=body).json()
    lean = client.post("/api/v1/train", json={**body, "include_data": False}).json()
    assert full["inputs"] is not None and lean["inputs"] is None and lean["test_targets"] is None
    assert lean["loss_curve"] == full["loss_curve"]


def test_include_predictions_false_leaves_the_predictions_out_but_trains_the_same(client):
    body = {"network": XOR_NETWORK, "dataset": {"name": "xor", "samples": 40, "noise": 0.1,
                                                "seed": 0},
            "learning_rate": 0.5, "iterations": 30, "snapshot_every": 1, "seed": 2,
            "include_data": False}
    full = client.post(URL, json=body).json()
    lean = client.post(URL, json={**body, "include_predictions": False}).json()
    assert full["decision_boundary"] is not None and lean["decision_boundary"] is None
    assert {s["predictions"]["kind"] for s in lean["snapshots"]} == {"none"}
    for key in ("loss_curve", "grad_norms", "params_after"):
        assert lean[key] == full[key]
    assert [s["params"] for s in lean["snapshots"]] == [s["params"] for s in full["snapshots"]]
    assert lean["work"]["units"] < full["work"]["units"] / 2
