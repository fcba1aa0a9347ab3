"""POST /api/v1/maps: the engine's maps as compact arrays, only the quantities asked for, strict
JSON whatever the numbers, and every refusal naming its field and limit."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.schemas.maps import MAPS_EXAMPLE
from engine.learning.maps import neuron_maps
from engine.limits import MAX_MAP_SIZE, MAX_MAP_VALUES
from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec

URL = "/api/v1/maps"
LARGEST = {"layer_sizes": [2, 32, 32, 32, 32, 32, 1], "activations": ["tanh"] * 5 + ["sigmoid"],
           "loss": "binary_cross_entropy"}


def only_error(response) -> dict:
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    return error


def test_the_example_answers_every_neurons_maps_as_the_engine_computes_them(client):
    response = client.post(URL, json=MAPS_EXAMPLE)
    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["size"], len(body["x"]), len(body["y"])) == ("grid", 8, 8, 8)
    assert len(body["nearest"]) == 64 and set(body["nearest"]) <= {0, 1, 2, 3}
    spec = NetworkSpec([2, 3, 1], ["tanh", "sigmoid"], "binary_cross_entropy")
    maps = neuron_maps(spec, init_params(spec, 1), np.array(MAPS_EXAMPLE["inputs"]),
                       np.array(MAPS_EXAMPLE["targets"]), 8)
    assert [layer["layer"] for layer in body["layers"]] == [1, 2]
    for layer, engine in zip(body["layers"], maps.layers, strict=True):
        assert set(layer) == {"layer", "activation", "delta", "ranges"}
        for quantity in ("activation", "delta"):
            assert np.array(layer[quantity]).shape == engine[quantity].shape
            assert layer[quantity] == engine[quantity].tolist()
            assert layer["ranges"][quantity] == [engine[quantity].min(), engine[quantity].max()]
    assert body["nearest"] == maps.nearest.tolist()


def test_only_the_quantities_asked_for_are_sent(client):
    body = client.post(URL, json={**MAPS_EXAMPLE, "quantities": ["weight_gradient"]}).json()
    for layer in body["layers"]:
        assert set(layer) == {"layer", "weight_gradient", "ranges"}
        assert set(layer["ranges"]) == {"weight_gradient"}
        assert min(min(row) for row in layer["weight_gradient"]) >= 0


def test_one_input_gives_curves_along_a_line(client):
    body = client.post(URL, json={
        "network": {"layer_sizes": [1, 4, 1], "activations": ["tanh", "linear"],
                    "loss": "squared_error"},
        "inputs": [[-1.0], [0.0], [2.0]], "targets": [[0.5], [-0.2], [0.9]], "size": 30}).json()
    assert body["kind"] == "line" and body["y"] is None and len(body["x"]) == 30
    assert body["x"][0] == pytest.approx(-1.3) and body["x"][-1] == pytest.approx(2.3)
    assert [len(row) for row in body["layers"][0]["activation"]] == [30] * 4
    assert body["nearest"][0] == 0 and body["nearest"][-1] == 2


def test_the_largest_network_is_mapped_in_the_thread_pool_within_the_limit(client):
    body = client.post(URL, json={**MAPS_EXAMPLE, "network": LARGEST, "size": 40}).json()
    assert [len(layer["delta"]) for layer in body["layers"]] == [32] * 5 + [1]
    assert all(len(row) == 1600 for layer in body["layers"] for row in layer["activation"])


def test_numbers_past_the_float_range_are_null_and_the_json_strict(client):
    huge = {"weights": [[[1e300, 1e300]] * 3, [[1e300] * 3]], "biases": [[0.0] * 3, [0.0]]}
    network = {"layer_sizes": [2, 3, 1], "activations": ["linear", "linear"],
               "loss": "squared_error"}
    response = client.post(URL, json={**MAPS_EXAMPLE, "network": network, "params": huge,
                                      "quantities": ["activation", "delta", "weight_gradient"]})
    assert response.status_code == 200
    body = json.loads(response.text, parse_constant=lambda c: pytest.fail(f"{c} in the JSON"))
    values = [v for layer in body["layers"] for row in layer["delta"] for v in row]
    assert None in values


@pytest.mark.parametrize("change, loc, words", [
    ({"size": 1}, ["body", "size"], "greater than or equal to 2"),
    ({"size": MAX_MAP_SIZE + 1}, ["body", "size"], f"less than or equal to {MAX_MAP_SIZE}"),
    ({"quantities": []}, ["body", "quantities"], "at least 1"),
    ({"quantities": ["delta", "delta"]}, ["body", "quantities"], "more than once"),
    ({"quantities": ["gradient"]}, ["body", "quantities", 0], "'activation', 'delta'"),
    ({"targets": [[1.0]]}, ["body", "targets"], "one row per input row"),
    ({"inputs": [[0.1, 0.2, 0.3]] * 4}, ["body", "inputs"], "2 numbers each"),
    ({"params": {"weights": [[[1.0, 2.0]]], "biases": [[0.0]]}}, ["body", "params", "weights"],
     "needs 2 matrices"),
    ({"network": {**LARGEST, "layer_sizes": [3, 32, 32, 32, 32, 32, 1]}},
     ["body", "network", "layer_sizes", 0], "this network has 3 inputs"),
    ({"network": LARGEST, "size": 40, "quantities": ["activation", "delta", "weight_gradient"]},
     ["body", "size"], f"over the limit of {MAX_MAP_VALUES}; ask for a size of at most 32"),
])
def test_refusals_name_the_field_and_the_limit(client, change, loc, words):
    error = only_error(client.post(URL, json={**MAPS_EXAMPLE, **change}))
    assert error["loc"] == loc
    assert words in error["msg"], error["msg"]
