"""GET /api/v1/presets: the required starting points, each a valid network that trains."""

from __future__ import annotations

import numpy as np
import pytest

from app.presets import PRESETS
from app.schemas.presets import Preset
from app.workload import WORK_BUDGET, training_work
from engine.data import datasets
from engine.limits import MAX_BATCH
from engine.networks.spec import NetworkSpec

URL = "/api/v1/presets"
REQUIRED = {"tiny-2-2-2", "logistic-regression", "xor", "spiral", "sine", "softmax-3"}
NAMES = [preset["name"] for preset in PRESETS]


def explicit_data(preset: dict) -> tuple[list, list]:
    """The preset's rows: given, or drawn from its dataset reference as the train endpoint does
    (a binary dataset's 0/1 target becomes one-hot for a softmax output)."""
    data = preset["data"]
    if "inputs" in data:
        return data["inputs"], data["targets"]
    ref = data["dataset"]
    drawn = datasets.generate(ref["name"], ref["samples"], ref["noise"], ref["seed"])
    targets = np.array(drawn.targets)
    if preset["network"]["activations"][-1] == "softmax" and targets.shape[1] == 1:
        targets = np.column_stack([1.0 - targets[:, 0], targets[:, 0]])
    return drawn.inputs.tolist(), targets.tolist()


def test_the_list_has_the_required_presets_and_each_is_well_formed(client):
    response = client.get(URL)
    assert response.status_code == 200
    listed = response.json()
    assert REQUIRED <= {p["name"] for p in listed}
    assert len({p["name"] for p in listed}) == len(listed)
    for preset in listed:
        Preset.model_validate(preset)


def test_the_tiny_preset_is_the_worked_example(client):
    preset = client.get(f"{URL}/tiny-2-2-2").json()
    assert preset["network"] == {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                                 "loss": "squared_error"}
    assert preset["params"] == {"weights": [[[0.15, 0.20], [0.25, 0.30]],
                                            [[0.40, 0.45], [0.50, 0.55]]],
                                "biases": [[0.35, 0.35], [0.60, 0.60]]}
    assert preset["data"] == {"inputs": [[0.05, 0.10]], "targets": [[0.01, 0.99]]}
    assert preset["learning_rate"] == 0.5


@pytest.mark.parametrize("name", NAMES)
def test_each_preset_runs_one_iteration(client, name):
    preset = client.get(f"{URL}/{name}").json()
    inputs, targets = explicit_data(preset)
    inputs, targets = inputs[:MAX_BATCH], targets[:MAX_BATCH]
    body = {"network": preset["network"], "params": preset["params"], "seed": preset["seed"],
            "inputs": inputs, "targets": targets, "learning_rate": preset["learning_rate"],
            "include_events": False}
    response = client.post("/api/v1/iterations", json=body)
    assert response.status_code == 200, response.text
    result = response.json()
    assert np.isfinite(result["loss"]) and not result["diverged"]
    if name == "tiny-2-2-2":
        assert result["loss"] == pytest.approx(0.298371108760003, abs=1e-12)


def train_request(preset: dict, iterations: int) -> dict:
    return {"network": preset["network"], "params": preset["params"], "seed": preset["seed"],
            **preset["data"], "learning_rate": preset["learning_rate"],
            "batch_size": preset["batch_size"], "iterations": iterations}


@pytest.mark.parametrize("name", NAMES)
def test_each_preset_trains_as_given_and_its_loss_falls(client, name):
    preset = client.get(f"{URL}/{name}").json()
    response = client.post("/api/v1/train", json=train_request(preset, 200))
    assert response.status_code == 200, response.text
    result = response.json()
    first, last = result["snapshots"][0]["train_loss"], result["snapshots"][-1]["train_loss"]
    assert not result["diverged"] and last < first


def test_the_spiral_preset_learns_the_spiral_at_its_full_length(client):
    preset = client.get(f"{URL}/spiral").json()
    result = client.post("/api/v1/train", json=train_request(preset, preset["iterations"])).json()
    last = result["snapshots"][-1]
    assert last["accuracy"] > 0.9 and last["test_accuracy"] > 0.9


def test_the_digits_preset_shows_images_and_learns_them_at_its_full_length(client):
    preset = client.get(f"{URL}/digits").json()
    assert preset["view"] == "image" and preset["network"]["layer_sizes"] == [64, 32, 10]
    result = client.post("/api/v1/train", json=train_request(preset, preset["iterations"])).json()
    assert result["snapshots"][-1]["test_accuracy"] > 0.95


def test_presets_fit_the_work_budget_at_their_full_length():
    for preset in PRESETS:
        network = preset["network"]
        spec = NetworkSpec(tuple(network["layer_sizes"]), tuple(network["activations"]),
                           network["loss"])
        inputs, _ = explicit_data(preset)
        rows = len(inputs)
        batch = min(preset["batch_size"] or rows, rows)
        assert training_work(spec, preset["iterations"], batch, rows, 0, None).units < WORK_BUDGET


def test_an_unknown_preset_is_404_naming_the_known_ones(client):
    response = client.get(f"{URL}/mnist")
    assert response.status_code == 404
    (error,) = response.json()["detail"]
    assert error["loc"] == ["path", "name"]
    assert "unknown preset 'mnist'" in error["msg"]
    for name in REQUIRED:
        assert name in error["msg"]
