"""POST /api/v1/loss-surface: the grid's numbers against an independent NumPy forward pass and
against /train's losses, its layout, null for what is not finite, and every refusal a 422 naming
the field and the limit."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from app.schemas.surface import LINE_EXAMPLE
from engine.limits import MAX_SURFACE_RESOLUTION, MAX_SURFACE_WORK
from engine.networks.spec import NetworkSpec
from tests.api.test_train import only_error, strict_json
from tests.engine import numpy_net

URL = "/api/v1/loss-surface"
XOR_NETWORK = {"layer_sizes": [2, 3, 1], "activations": ["tanh", "sigmoid"],
               "loss": "binary_cross_entropy"}


def numpy_cost(network: dict, l2: float, weights, biases, inputs, targets) -> float:
    spec = NetworkSpec(tuple(network["layer_sizes"]), tuple(network["activations"]),
                       network["loss"], l2)
    weights = [np.array(w) for w in weights]
    x, y = np.array(inputs), np.array(targets)
    data = numpy_net.forward(spec, weights, [np.array(b) for b in biases], x, y).loss
    return float(data + 0.5 * l2 * sum(np.sum(w * w) for w in weights))


def xor_body(client, **changes) -> dict:
    data = client.post("/api/v1/datasets/xor", json={"samples": 24, "noise": 0.1,
                                                      "seed": 0}).json()
    params = client.post("/api/v1/networks", json={"network": XOR_NETWORK, "seed": 3}).json()
    return {"network": XOR_NETWORK, "params": params["params"], "inputs": data["inputs"],
            "targets": data["targets"], "l2": 0.05,
            "axes": [{"layer": 1, "kind": "weight", "index": [2, 0], "low": -3.0, "high": 2.0},
                     {"layer": 2, "kind": "bias", "index": [0], "low": -1.0, "high": 1.5}],
            "resolution": 6, **changes}


def test_every_grid_point_is_the_cost_with_those_two_entries(client):
    body = xor_body(client)
    response = client.post(URL, json=body)
    assert response.status_code == 200, response.text
    found = strict_json(response.text)
    assert found["x"] == pytest.approx(np.linspace(-3.0, 2.0, 6).tolist(), rel=1e-15)
    assert found["y"] == pytest.approx(np.linspace(-1.0, 1.5, 6).tolist(), rel=1e-15)
    assert np.array(found["cost"]).shape == (6, 6)
    for i, b in enumerate(found["y"]):
        for j, w in enumerate(found["x"]):
            params = copy.deepcopy(body["params"])
            params["weights"][0][2][0] = w
            params["biases"][1][0] = b
            expected = numpy_cost(XOR_NETWORK, 0.05, params["weights"], params["biases"],
                                  body["inputs"], body["targets"])
            assert found["cost"][i][j] == pytest.approx(expected, rel=1e-12)
    first, second = found["axes"]
    assert (first["name"], second["name"]) == ("w1_31", "b2_1")
    assert first["value"] == body["params"]["weights"][0][2][0]
    assert found["cost_at_params"] == pytest.approx(numpy_cost(
        XOR_NETWORK, 0.05, body["params"]["weights"], body["params"]["biases"], body["inputs"],
        body["targets"]), rel=1e-12)
    lowest = found["lowest"]
    assert lowest["cost"] == min(min(row) for row in found["cost"])
    assert found["non_finite"] == 0 and found["l2"] == 0.05
    assert found["work"]["limit"] == MAX_SURFACE_WORK and 0 < found["work"]["units"]


def test_the_surface_holds_the_path_that_training_takes(client):
    """Full-batch training's loss at every iteration is the surface's cost at the two entries'
    values then, for a network with just these two parameters."""
    body = copy.deepcopy(LINE_EXAMPLE)
    run = client.post("/api/v1/train", json={
        "network": body["network"], "params": body["params"], "inputs": body["inputs"],
        "targets": body["targets"], "learning_rate": 0.05, "iterations": 5, "snapshot_every": 1,
        "optimizer": {"name": "adam"}}).json()
    for snapshot in run["snapshots"]:
        (w,), (b,) = snapshot["params"]["weights"][0][0], snapshot["params"]["biases"][0]
        axes = [{**body["axes"][0], "low": w, "high": w + 1.0},
                {**body["axes"][1], "low": b, "high": b + 1.0}]
        found = client.post(URL, json={**body, "axes": axes, "resolution": 2}).json()
        assert found["cost"][0][0] == pytest.approx(snapshot["train_loss"], rel=1e-14)


def test_parameters_drawn_from_the_seed_when_none_are_given(client):
    body = xor_body(client)
    drawn = client.post(URL, json={**body, "params": None, "seed": 3}).json()
    given = client.post(URL, json=body).json()
    assert drawn["cost"] == given["cost"]


def test_overflow_is_null_not_nan(client):
    body = copy.deepcopy(LINE_EXAMPLE)
    body["axes"][0].update(low=-1e300, high=1e300)
    response = client.post(URL, json={**body, "resolution": 3})
    assert response.status_code == 200
    found = strict_json(response.text)
    assert found["cost"][1][1] is not None and found["cost"][0][0] is None
    assert found["non_finite"] == 6


def test_the_limits_are_in_the_catalog(client):
    limits = client.get("/api/v1/catalog").json()["limits"]
    assert limits["max_surface_resolution"] == MAX_SURFACE_RESOLUTION
    assert limits["max_surface_work"] == MAX_SURFACE_WORK


def axis_change(which: int, **change):
    def apply(body):
        body["axes"][which].update(change)
    return apply


@pytest.mark.parametrize("change, loc, words", [
    (axis_change(0, layer=2), ["axes", 0, "layer"], "from 1 to 1"),
    (axis_change(1, index=[0, 0]), ["axes", 1, "index"], "0 <= j < 1"),
    (axis_change(0, index=[0, 1]), ["axes", 0, "index"], "0 <= k < 1"),
    (axis_change(0, kind="gain"), ["axes", 0, "kind"], "'weight' or 'bias'"),
    (axis_change(0, low=2.0, high=2.0), ["axes", 0, "high"], "above low"),
    (axis_change(1, kind="weight", index=[0, 0]), ["axes", 1], "w1_11 again"),
    (lambda body: body["axes"].pop(), ["axes"], "at least 2"),
    (lambda body: body.update(resolution=MAX_SURFACE_RESOLUTION + 1), ["resolution"],
     f"less than or equal to {MAX_SURFACE_RESOLUTION}"),
    (lambda body: body.update(resolution=1), ["resolution"], "greater than or equal to 2"),
    (lambda body: body.update(inputs=[[0.0, 1.0]] * 4), ["inputs"], "1 numbers each"),
    (lambda body: body.update(l2=11.0), ["l2"], "less than or equal to 10"),
    (lambda body: body.update(centre=[0, 0]), ["centre"], "Extra inputs"),
])
def test_a_surface_that_cannot_be_drawn_is_a_422_naming_the_field(client, change, loc, words):
    body = copy.deepcopy(LINE_EXAMPLE)
    change(body)
    error = only_error(client.post(URL, json=body))
    assert error["loc"] == ["body", *loc] and words in error["msg"], error


def test_a_surface_over_the_work_limit_says_which_resolution_fits(client):
    body = copy.deepcopy(LINE_EXAMPLE)
    rows = 2000
    body.update(inputs=[[i / rows] for i in range(rows)], targets=[[1.0]] * rows,
                resolution=MAX_SURFACE_RESOLUTION)
    error = only_error(client.post(URL, json=body))
    assert error["loc"] == ["body", "resolution"] and f"{MAX_SURFACE_WORK:.3g}" in error["msg"]
    fits = int(error["msg"].split("at most ")[1].split()[0])
    assert client.post(URL, json={**body, "resolution": fits}).status_code == 200
