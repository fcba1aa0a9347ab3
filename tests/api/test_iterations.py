"""POST /api/v1/iterations: the worked example's numbers, agreement with the engine, errors."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from app.schemas.iterations import TINY_EXAMPLE
from engine.learning.iteration import run_iteration
from engine.limits import records_events
from engine.networks.spec import NetworkSpec, Params

URL = "/api/v1/iterations"
TINY_LOSS = 0.298371108760003  # E_total of the classic step-by-step example


def tiny(**changes) -> dict:
    body = copy.deepcopy(TINY_EXAMPLE)
    body.update(changes)
    return body


def stage(body: dict, phase: str, layer: int | None = None) -> dict:
    return next(s for s in body["stages"] if s["phase"] == phase and s.get("layer") == layer)


def only_error(response) -> dict:
    (error,) = response.json()["detail"]
    return error


def test_tiny_example_loss_and_updated_weights(client):
    response = client.post(URL, json=tiny())
    assert response.status_code == 200
    body = response.json()
    assert body["loss"] == pytest.approx(TINY_LOSS, abs=1e-12)
    assert stage(body, "loss")["loss"] == pytest.approx(TINY_LOSS, abs=1e-12)
    assert not body["diverged"]
    # The example's hand-computed weights after one step with learning rate 0.5.
    w1, w2 = body["params_after"]["weights"]
    assert np.allclose(w2, [[0.35891648, 0.408666186], [0.511301270, 0.561370121]], atol=1e-8)
    assert np.allclose(w1, [[0.149780716, 0.19956143], [0.24975114, 0.29950229]], atol=1e-8)
    assert np.allclose(stage(body, "forward", 1)["activation"], [[0.593269992, 0.596884378]],
                       atol=1e-9)
    assert np.allclose(stage(body, "forward", 2)["activation"], [[0.75136507, 0.772928465]],
                       atol=1e-8)


def test_gradients_equal_the_engines(client):
    body = client.post(URL, json=tiny()).json()
    spec = NetworkSpec((2, 2, 2), ("sigmoid", "sigmoid"), "squared_error")
    params = Params.from_lists(spec, TINY_EXAMPLE["params"]["weights"],
                               TINY_EXAMPLE["params"]["biases"])
    trace = run_iteration(spec, params, np.array(TINY_EXAMPLE["inputs"]),
                          np.array(TINY_EXAMPLE["targets"]), 0.5)
    for l in (1, 2):
        expected = trace.stage("backward", l).values
        got = stage(body, "backward", l)
        assert np.array_equal(got["grad_weights"], expected["grad_weights"])
        assert np.array_equal(got["grad_biases"], expected["grad_biases"])
        assert np.array_equal(got["delta"], expected["delta"])


def test_scalar_and_layer_granularity_give_the_same_numbers(client):
    layer = client.post(URL, json=tiny(granularity="layer")).json()
    scalar = client.post(URL, json=tiny(granularity="scalar")).json()
    assert scalar["granularity"] == "scalar"
    assert len(scalar["graph"]["nodes"]) > len(layer["graph"]["nodes"])
    assert scalar["loss"] == pytest.approx(layer["loss"], abs=1e-15)
    for l in (1, 2):
        for key in ("grad_weights", "grad_biases", "delta"):
            assert np.allclose(stage(scalar, "backward", l)[key], stage(layer, "backward", l)[key],
                               rtol=1e-13, atol=1e-16)
    assert np.allclose(scalar["params_after"]["weights"][0], layer["params_after"]["weights"][0],
                       rtol=1e-13)


def test_eager_order_changes_layer_1_but_not_layer_2(client):
    correct = client.post(URL, json=tiny(update_order="after_backward")).json()
    eager = client.post(URL, json=tiny(update_order="eager")).json()
    assert eager["update_order"] == "eager"
    assert np.array_equal(stage(eager, "backward", 2)["grad_weights"],
                          stage(correct, "backward", 2)["grad_weights"])
    difference = np.abs(np.subtract(stage(eager, "backward", 1)["grad_weights"],
                                    stage(correct, "backward", 1)["grad_weights"]))
    assert difference.max() > 1e-6
    assert np.allclose(stage(eager, "backward", 2)["updated_weights"],
                       [[0.35891648, 0.408666186], [0.511301270, 0.561370121]], atol=1e-8)


def test_a_seed_draws_parameters_when_none_are_given(client):
    body = tiny(seed=7)
    del body["params"]
    first = client.post(URL, json=body).json()
    again = client.post(URL, json=body).json()
    assert first["params_before"] == again["params_before"]
    assert first["params_before"]["biases"] == [[0.0, 0.0], [0.0, 0.0]]


def test_wrong_weight_shape_names_the_layer_and_expected_shape(client):
    body = tiny()
    body["params"]["weights"][1] = [[0.4, 0.45, 0.1], [0.5, 0.55, 0.1]]
    response = client.post(URL, json=body)
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "params", "weights", 1]
    assert "W^2" in error["msg"] and "2x2" in error["msg"] and "2x3" in error["msg"]


def test_unknown_activation(client):
    body = tiny()
    body["network"]["activations"] = ["sigmoid", "swish"]
    response = client.post(URL, json=body)
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "network", "activations", 1]
    assert "softmax" in error["msg"] and "sigmoid" in error["msg"]


def test_softmax_is_only_allowed_at_the_output(client):
    body = tiny()
    body["network"]["activations"] = ["softmax", "sigmoid"]
    response = client.post(URL, json=body)
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "network", "activations", 0]
    assert "only allowed on the output layer" in error["msg"]


def test_binary_cross_entropy_needs_a_sigmoid_output(client):
    body = tiny()
    body["network"]["activations"] = ["sigmoid", "tanh"]
    body["network"]["loss"] = "binary_cross_entropy"
    response = client.post(URL, json=body)
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "network", "activations", 1]
    assert "binary_cross_entropy needs a sigmoid output" in error["msg"]


def test_too_many_layers_names_the_limit(client):
    body = tiny(network={"layer_sizes": [2] * 8, "activations": ["sigmoid"] * 7,
                         "loss": "squared_error"})
    del body["params"]
    response = client.post(URL, json=body)
    assert response.status_code == 422
    locs = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert "at most 7 items" in locs[("body", "network", "layer_sizes")]
    assert "at most 6 items" in locs[("body", "network", "activations")]


def test_a_batch_over_the_limit_is_refused(client):
    body = tiny(inputs=[[0.05, 0.10]] * 513, targets=[[0.01, 0.99]] * 513)
    response = client.post(URL, json=body)
    assert response.status_code == 422
    locs = {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}
    assert "at most 512 items" in locs[("body", "inputs")]


@pytest.mark.parametrize("token", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_finite_numbers_in_the_body_are_refused(client, token):
    raw = (b'{"network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"], '
           b'"loss": "squared_error"}, "inputs": [[0.05, ' + token + b']], '
           b'"targets": [[0.01, 0.99]]}')
    response = client.post(URL, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "inputs", 0, 1]
    assert "finite" in error["msg"]


def test_a_body_that_is_not_json(client):
    response = client.post(URL, content=b"layer_sizes=2,2,2",
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "json_invalid"


def test_an_unknown_field_is_refused(client):
    response = client.post(URL, json=tiny(momentum=0.9))
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "momentum"] and error["type"] == "extra_forbidden"


def test_scalar_granularity_above_200_weights_is_refused(client):
    body = {"network": {"layer_sizes": [2, 16, 16, 1], "activations": ["tanh", "tanh", "sigmoid"],
                        "loss": "binary_cross_entropy"},
            "inputs": [[0.0, 1.0]], "targets": [[1.0]], "granularity": "scalar"}
    response = client.post(URL, json=body)
    assert response.status_code == 422
    error = only_error(response)
    assert error["loc"] == ["body", "granularity"]
    assert "200 weights" in error["msg"] and "304" in error["msg"]


def engine_json(body: dict) -> dict:
    """The engine's own plain-list trace for a request body, through the stdlib JSON codec."""
    network = body["network"]
    spec = NetworkSpec(tuple(network["layer_sizes"]), tuple(network["activations"]),
                       network["loss"])
    params = Params.from_lists(spec, body["params"]["weights"], body["params"]["biases"])
    inputs = np.array(body["inputs"])
    trace = run_iteration(spec, params, inputs, np.array(body["targets"]), body["learning_rate"],
                          record=records_events(spec.weight_count, len(inputs), "layer"))
    return json.loads(json.dumps(trace.to_dict(), allow_nan=False))


@pytest.mark.parametrize("activations, loss, scale", [
    (["tanh", "relu", "softmax"], "cross_entropy", 1.0),
    (["linear", "linear", "linear"], "squared_error", 1e120),   # overflows to inf and NaN
])
def test_the_response_is_the_engines_trace_digit_for_digit(client, activations, loss, scale):
    # The API hands orjson float64 arrays, the engine's to_dict plain lists: the two must give
    # the same JSON, with null for every non-finite number.
    rng = np.random.default_rng(3)
    body = {"network": {"layer_sizes": [3, 5, 4, 2], "activations": activations, "loss": loss},
            "params": {"weights": [(rng.normal(size=shape) * scale).tolist()
                                   for shape in ((5, 3), (4, 5), (2, 4))],
                       "biases": [[0.1] * 5, [0.0] * 4, [0.0, 0.5]]},
            "inputs": rng.normal(size=(40, 3)).tolist(),
            "targets": np.eye(2)[rng.integers(0, 2, 40)].tolist(), "learning_rate": 0.5}
    response = client.post(URL, json=body)
    assert response.status_code == 200
    assert b"NaN" not in response.content and b"Infinity" not in response.content
    got = response.json()
    assert got == engine_json(body)
    if scale > 1:
        assert got["diverged"] and got["loss"] is None
        assert None in stage(got, "forward", 3)["pre_activation"][0]


@pytest.mark.parametrize("rows, events", [(16, True), (17, False)])
def test_events_come_with_small_batches_and_can_be_left_out(client, rows, events):
    body = tiny(inputs=[[0.05, 0.10]] * rows, targets=[[0.01, 0.99]] * rows)
    assert (client.post(URL, json=body).json()["events"] is not None) is events
    left_out = client.post(URL, json={**body, "include_events": False}).json()
    assert left_out["events"] is None
    asked = client.post(URL, json={**body, "include_events": True})
    assert asked.status_code == (200 if events else 422)
    if events:
        backward = asked.json()["events"]["backward"]
        assert {e["node"] for e in backward} >= set(stage(asked.json(), "update")["node_ids"])


@pytest.mark.parametrize("sizes, rows, granularity, over", [
    ([2, 2, 2], 17, "layer", "17 rows"),
    ([2, 2, 2], 512, "scalar", "512 rows"),
    ([32, 32, 32, 1], 2, "layer", "2080 weights on the layer graph"),
])
def test_events_asked_for_past_their_limits_are_refused(client, sizes, rows, granularity, over):
    """The trace's events grow with rows x edges: asking for them must not lift the limit."""
    body = {"network": {"layer_sizes": sizes, "activations": ["tanh"] * (len(sizes) - 1),
                        "loss": "squared_error"},
            "inputs": [[0.5] * sizes[0]] * rows, "targets": [[0.5] * sizes[-1]] * rows,
            "granularity": granularity, "include_events": True}
    response = client.post(URL, json=body)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "include_events"]
    assert "16 rows" in error["msg"] and "200 weights" in error["msg"] and over in error["msg"]
    assert client.post(URL, json={**body, "include_events": None}).json()["events"] is None
