"""POST /api/v1/networks: initialised or checked parameters, counts, the graph, errors."""

from __future__ import annotations

import numpy as np

from app.schemas.iterations import TINY_EXAMPLE
from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec

URL = "/api/v1/networks"
TINY_NETWORK = TINY_EXAMPLE["network"]
SPIRAL_NETWORK = {"layer_sizes": [2, 16, 16, 1], "activations": ["tanh", "tanh", "relu"],
                  "loss": "squared_error"}


def test_parameters_come_from_the_seed_as_the_engine_draws_them(client):
    response = client.post(URL, json={"network": SPIRAL_NETWORK, "seed": 3})
    assert response.status_code == 200
    body = response.json()
    spec = NetworkSpec((2, 16, 16, 1), ("tanh", "tanh", "relu"), "squared_error")
    expected = init_params(spec, 3)
    for got, want in zip(body["params"]["weights"], expected.weights, strict=True):
        assert np.array_equal(got, want)
    assert body["params"]["biases"] == [[0.0] * 16, [0.0] * 16, [0.0]]
    assert body["parameter_count"] == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 == 337
    assert body["weight_count"] == 2 * 16 + 16 * 16 + 16 == 304
    assert body["depth"] == 3
    assert body["layers"][0] == {"layer": 1, "n_in": 2, "n_out": 16, "activation": "tanh",
                                 "weight_shape": [16, 2]}
    assert body["network"] == SPIRAL_NETWORK


def test_init_schemes_differ_and_seeds_reproduce(client):
    xavier = client.post(URL, json={"network": SPIRAL_NETWORK, "init": "xavier"}).json()
    he = client.post(URL, json={"network": SPIRAL_NETWORK, "init": "he"}).json()
    again = client.post(URL, json={"network": SPIRAL_NETWORK, "init": "he"}).json()
    other_seed = client.post(URL, json={"network": SPIRAL_NETWORK, "init": "he", "seed": 1}).json()
    assert he["params"] == again["params"]
    assert he["params"] != xavier["params"] and he["params"] != other_seed["params"]
    # He std sqrt(2/n_in) over Xavier std sqrt(2/(n_in+n_out)), same draws: layer 1 ratio 3.
    ratio = np.array(he["params"]["weights"][0]) / np.array(xavier["params"]["weights"][0])
    assert np.allclose(ratio, 3.0)


def test_given_parameters_are_checked_and_returned(client):
    response = client.post(URL, json={"network": TINY_NETWORK, "params": TINY_EXAMPLE["params"]})
    assert response.status_code == 200
    assert response.json()["params"] == TINY_EXAMPLE["params"]


def test_layer_graph_has_a_node_per_matrix(client):
    body = client.post(URL, json={"network": TINY_NETWORK}).json()
    assert body["granularity"] == "layer"
    names = [node["name"] for node in body["graph"]["nodes"]]
    assert sorted(names) == sorted(["x", "y", "W1", "b1", "z1", "a1", "W2", "b2", "z2", "a2",
                                    "C"])
    shapes = {node["name"]: node["shape"] for node in body["graph"]["nodes"]}
    assert shapes["x"] == [1, 2] and shapes["W2"] == [2, 2] and shapes["C"] == []
    for node in body["graph"]["nodes"]:
        assert 0.0 <= node["x"] <= 1.0 and 0.0 <= node["y"] <= 1.0
    ids = {node["name"]: node["id"] for node in body["graph"]["nodes"]}
    edges = {(e["source"], e["target"], e["index"]) for e in body["graph"]["edges"]}
    assert (ids["x"], ids["z1"], 0) in edges and (ids["W1"], ids["z1"], 1) in edges


def test_scalar_graph_has_a_node_per_weight_and_neuron(client):
    body = client.post(URL, json={"network": TINY_NETWORK, "granularity": "scalar"}).json()
    assert body["granularity"] == "scalar"
    names = {node["name"] for node in body["graph"]["nodes"]}
    # 2 inputs, 2 targets, per layer 4 weights + 2 biases + 2 z + 2 a, and the loss.
    assert len(body["graph"]["nodes"]) == 2 + 2 + 2 * 10 + 1
    assert {"w1_11", "w1_12", "w2_21", "b2_2", "z1_1", "a2_2", "C"} <= names
    # z2_1 sums w2_11 a1_1 + w2_12 a1_2 + b2_1: five parents.
    ids = {node["name"]: node["id"] for node in body["graph"]["nodes"]}
    into_z = [e for e in body["graph"]["edges"] if e["target"] == ids["z2_1"]]
    assert len(into_z) == 5


def test_wrong_bias_length_names_the_layer(client):
    params = {"weights": TINY_EXAMPLE["params"]["weights"], "biases": [[0.35, 0.35], [0.6]]}
    response = client.post(URL, json={"network": TINY_NETWORK, "params": params})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "params", "biases", 1]
    assert "b^2 must have 2 entries" in error["msg"]


def test_scalar_granularity_above_200_weights_is_refused(client):
    response = client.post(URL, json={"network": SPIRAL_NETWORK, "granularity": "scalar"})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "granularity"]
    assert "limited to 200 weights" in error["msg"] and "304" in error["msg"]


def test_activation_count_must_match_the_layers(client):
    network = {"layer_sizes": [2, 3, 1], "activations": ["tanh"], "loss": "squared_error"}
    response = client.post(URL, json={"network": network})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "network", "activations"]
    assert "one activation per layer" in error["msg"]


def test_softmax_output_needs_cross_entropy_and_two_neurons(client):
    network = {"layer_sizes": [2, 3, 1], "activations": ["tanh", "softmax"],
               "loss": "cross_entropy"}
    response = client.post(URL, json={"network": network})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "network", "layer_sizes", 2]
    assert "at least 2 neurons" in error["msg"]
