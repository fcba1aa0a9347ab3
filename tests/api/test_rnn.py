"""POST /api/v1/rnn/bptt: per-step parts sum to the gradient, norms per step, shapes and limits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.demos.rnn import MAX_STEPS, RnnParams, bptt, init_rnn_params, sequence_task

URL = "/api/v1/rnn/bptt"
NAMES = ("W_xh", "W_hh", "b_h", "W_hy", "b_y")
PARAMS = {"w_xh": [[0.5], [-0.3]], "w_hh": [[0.9, 0.1], [-0.2, 0.8]], "b_h": [0.0, 0.1],
          "w_hy": [[1.0, -1.0]], "b_y": [0.2]}


def strict_json(text: str):
    """json.loads that raises on NaN, Infinity and -Infinity."""
    def refuse(constant):
        raise ValueError(f"non-finite number {constant} in the response")
    return json.loads(text, parse_constant=refuse)


def assert_parts_sum_to_grads(body):
    for name in NAMES:
        parts = np.array(body["step_contributions"][name], dtype=np.float64)
        assert len(parts) == body["steps"]
        np.testing.assert_allclose(parts.sum(axis=0), np.array(body["grads"][name]),
                                   rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss_at", ["last", "every"])
def test_given_params_match_the_engine_and_parts_sum_to_the_gradient(client, loss_at):
    inputs = [[1.0], [-1.0], [0.5]]
    targets = [0.25] if loss_at == "last" else [[0.5], [0.0], [-0.5]]
    response = client.post(URL, json={"inputs": inputs, "targets": targets, "params": PARAMS,
                                      "loss_at": loss_at})
    assert response.status_code == 200
    body = strict_json(response.text)
    params = RnnParams(**{k: np.array(v) for k, v in PARAMS.items()})
    trace = bptt(params, inputs, targets, loss_at)
    assert body["steps"] == 3 and body["loss_at"] == loss_at
    assert body["loss"] == trace.loss
    for name in NAMES:
        np.testing.assert_array_equal(np.array(body["grads"][name]), trace.grads[name])
    np.testing.assert_array_equal(body["hidden_states"], np.array(trace.hidden_states))
    assert body["grad_norm_by_step"] == trace.grad_norm_by_step
    assert len(body["grad_norm_by_step"]) == 3
    assert_parts_sum_to_grads(body)
    assert body["params"] == PARAMS and body["inputs"] == inputs and body["targets"] == targets
    assert body["diverged"] is False
    assert body["graph"]["nodes"] and body["events"]["backward"]


def test_one_step_by_hand(client):
    # h = tanh(w x), yhat = v h, C = 1/2 (yhat - y)^2: dC/dv = (yhat - y) h,
    # dC/dw = (yhat - y) v (1 - h^2) x, dC/dh_1 = (yhat - y) v.
    w, v, x, y = 0.5, 2.0, 1.0, 0.25
    params = {"w_xh": [[w]], "w_hh": [[0.0]], "b_h": [0.0], "w_hy": [[v]], "b_y": [0.0]}
    body = client.post(URL, json={"inputs": [[x]], "targets": [y], "params": params}).json()
    h = np.tanh(w * x)
    error = v * h - y
    assert body["loss"] == pytest.approx(0.5 * error**2, rel=1e-15)
    assert body["grads"]["W_hy"] == [[pytest.approx(error * h, rel=1e-15)]]
    assert body["grads"]["W_xh"] == [[pytest.approx(error * v * (1 - h**2) * x, rel=1e-15)]]
    assert body["grad_norm_by_step"] == [pytest.approx(abs(error * v), rel=1e-15)]


def test_a_task_with_drawn_params_equals_the_engine(client):
    body = client.post(URL, json={"task": "mean", "steps": 12, "n_hidden": 5, "scale": 0.9,
                                  "seed": 4}).json()
    inputs, targets = sequence_task("mean", 12, 4)
    trace = bptt(init_rnn_params(1, 5, 1, 4, 0.9), inputs, targets)
    assert body["loss"] == trace.loss
    assert body["inputs"] == inputs.tolist() and body["targets"] == targets.tolist()
    assert len(body["grad_norm_by_step"]) == 12
    assert len(body["hidden_states"]) == 12 and len(body["hidden_states"][0]) == 5
    assert_parts_sum_to_grads(body)


def test_the_gradient_norm_doubles_per_step_back_for_scale_two(client):
    inputs = (1e-6 * np.random.default_rng(0).normal(size=(12, 2))).tolist()
    body = client.post(URL, json={"inputs": inputs, "targets": [1.0], "n_hidden": 5,
                                  "seed": 3, "scale": 2.0}).json()
    norms = np.array(body["grad_norm_by_step"])
    np.testing.assert_allclose(norms[:-1] / norms[1:], 2.0, rtol=1e-5)


@pytest.mark.parametrize("body", [
    {"inputs": [[0.0]] * MAX_STEPS, "targets": [1.0], "n_hidden": 4, "scale": 100.0},
    {"task": "echo", "steps": MAX_STEPS, "n_hidden": 32, "scale": 100.0},
    {"inputs": [[1.0]], "targets": [1.0],
     "params": {"w_xh": [[1e300]], "w_hh": [[1e300]], "b_h": [0.0], "w_hy": [[1e300]],
                "b_y": [0.0]}},
])
def test_exploding_and_overflowing_runs_are_200_without_nan(client, body):
    response = client.post(URL, json=body)
    assert response.status_code == 200
    data = strict_json(response.text)
    assert len(data["grad_norm_by_step"]) == data["steps"]


def test_a_diverged_run_says_so_with_nulls(client):
    response = client.post(URL, json={"inputs": [[0.0]] * MAX_STEPS, "targets": [1.0],
                                      "n_hidden": 4, "scale": 100.0})
    data = strict_json(response.text)
    assert data["diverged"] is True
    assert data["grads"]["W_hh"][0][0] is None
    assert data["graph"] is None and data["events"] is None


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("w_xh", [[0.5, 0.1], [-0.3, 0.2]], "(2, 1)"),
    ("w_hh", [[0.9, 0.1, 0.0], [-0.2, 0.8, 0.0]], "(2, 2)"),
    ("w_hh", [[0.9, 0.1], [-0.2]], "(2, 2)"),
    ("b_h", [0.0, 0.1, 0.2], "(2,)"),
    ("w_hy", [[1.0, -1.0], [1.0, 1.0]], "(1, 2)"),
    ("b_y", [0.0, 0.0], "(1,)"),
])
def test_a_wrong_param_shape_is_422_naming_the_param_and_shape(client, name, value, expected):
    response = client.post(URL, json={"inputs": [[1.0], [0.0]], "targets": [0.5],
                                      "params": {**PARAMS, name: value}})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "params", name]
    assert name in error["msg"] and expected in error["msg"]


def test_n_hidden_that_disagrees_with_params_is_422(client):
    response = client.post(URL, json={"inputs": [[1.0]], "targets": [0.5], "params": PARAMS,
                                      "n_hidden": 3})
    assert response.status_code == 422
    assert "(3, 1)" in response.json()["detail"][0]["msg"]


@pytest.mark.parametrize("body", [
    {"inputs": [[0.0]] * (MAX_STEPS + 1), "targets": [1.0]},
    {"task": "echo", "steps": MAX_STEPS + 1},
])
def test_more_steps_than_the_limit_is_422_naming_the_limit(client, body):
    response = client.post(URL, json=body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][1] in ("inputs", "steps")
    assert str(MAX_STEPS) in error["msg"]


@pytest.mark.parametrize(("body", "field", "words"), [
    ({}, "inputs", "either"),
    ({"inputs": [[1.0]], "targets": [1.0], "task": "echo"}, "task", "not both"),
    ({"task": "echo", "targets": [1.0]}, "targets", "omit"),
    ({"task": "echo", "loss_at": "every"}, "loss_at", "last"),
    ({"inputs": [[1.0]], "targets": [1.0], "steps": 3}, "steps", "task"),
    ({"inputs": [[1.0]]}, "targets", "need"),
    ({"inputs": [[1.0], [2.0, 3.0]], "targets": [1.0]}, "inputs", "n_in"),
    ({"inputs": [[1.0], [2.0]], "targets": [[1.0]]}, "targets", "'last'"),
    ({"inputs": [[1.0], [2.0]], "targets": [1.0], "loss_at": "every"}, "targets", "2 rows"),
    ({"inputs": [[1.0], [2.0]], "targets": [[1.0], [1.0, 2.0]], "loss_at": "every"},
     "targets", "n_out"),
    ({"inputs": [[1.0]], "targets": [1.0], "params": PARAMS, "scale": 2.0}, "scale", "omit"),
])
def test_inconsistent_requests_are_422_on_the_right_field(client, body, field, words):
    response = client.post(URL, json=body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"][1] == field and words in error["msg"]


@pytest.mark.parametrize("body", [
    {"task": "count"}, {"task": "echo", "scale": -1.0}, {"task": "echo", "n_hidden": 33},
    {"inputs": [[1.0] * 9], "targets": [1.0]}, {"inputs": [["x"]], "targets": [1.0]},
    {"inputs": [[1.0]], "targets": ["NaN"]}, {"task": "echo", "bogus": 1},
])
def test_out_of_bounds_fields_are_422(client, body):
    assert client.post(URL, json=body).status_code == 422
