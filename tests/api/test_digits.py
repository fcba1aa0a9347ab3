"""The digits through the API: a 64-32-10 network trained to at least 95% test accuracy, the
evaluation after a run (confusion matrix, misclassified images), the saliency in an iteration,
and the limits of 64 inputs."""

from __future__ import annotations

import numpy as np
import pytest

DIGITS_NETWORK = {"layer_sizes": [64, 32, 10], "activations": ["tanh", "softmax"],
                  "loss": "cross_entropy"}
# About 18 epochs of the 1,438 training images in mini-batches of 64: a second or so.
TRAINING = {"network": DIGITS_NETWORK, "seed": 0, "dataset": {"name": "digits", "seed": 0},
            "learning_rate": 0.5, "batch_size": 64, "iterations": 400, "include_data": False,
            "include_evaluation": True}


@pytest.fixture(scope="module")
def trained(client):
    response = client.post("/api/v1/train", json=TRAINING)
    assert response.status_code == 200, response.text
    return response.json()


def test_64_32_10_reaches_95_percent_on_the_test_images(trained):
    assert trained["dataset"] == {"name": "digits", "samples": 1797, "noise": 0.0, "seed": 0}
    last = trained["snapshots"][-1]
    assert last["iteration"] == 400 and not trained["diverged"]
    assert last["test_accuracy"] >= 0.95
    assert last["test_loss"] < trained["snapshots"][0]["test_loss"] / 5


def test_the_evaluation_is_the_test_sets_confusion_matrix_and_misclassified_images(trained):
    report = trained["evaluation"]
    confusion = np.array(report["confusion"])
    assert report["set"] == "test" and report["rows"] == 359 and report["classes"] == 10
    assert confusion.shape == (10, 10) and confusion.sum() == 359
    assert report["accuracy"] == pytest.approx(np.trace(confusion) / 359)
    assert report["accuracy"] == pytest.approx(trained["snapshots"][-1]["test_accuracy"])
    assert report["misclassified_count"] == 359 - np.trace(confusion)
    assert 0 < len(report["misclassified"]) <= min(24, report["misclassified_count"])
    for wrong in report["misclassified"]:
        assert wrong["predicted"] != wrong["target"]
        assert confusion[wrong["target"], wrong["predicted"]] >= 1
        assert len(wrong["inputs"]) == 64 and sum(wrong["outputs"]) == pytest.approx(1.0)
        assert int(np.argmax(wrong["outputs"])) == wrong["predicted"]


def test_a_subset_and_no_evaluation_unless_asked(client):
    body = {**TRAINING, "dataset": {"name": "digits", "samples": 300, "seed": 2},
            "iterations": 5, "include_evaluation": False}
    result = client.post("/api/v1/train", json=body).json()
    assert "evaluation" not in result and result["dataset"]["samples"] == 300
    regression = {"network": {"layer_sizes": [1, 4, 1], "activations": ["tanh", "linear"],
                              "loss": "squared_error"}, "dataset": {"name": "sine"},
                  "iterations": 5, "include_evaluation": True}
    assert client.post("/api/v1/train", json=regression).json()["evaluation"] is None


@pytest.mark.parametrize(("sizes", "phrase"), [
    ([2, 8, 10], "64-D inputs"), ([64, 8, 3], "10 classes")])
def test_a_network_that_does_not_fit_the_digits_is_told_how(client, sizes, phrase):
    body = {**TRAINING, "network": {**DIGITS_NETWORK, "layer_sizes": sizes}}
    response = client.post("/api/v1/train", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "dataset"] and phrase in error["msg"]


@pytest.mark.parametrize(("sizes", "loc", "limit"), [
    ([65, 8, 10], ["body", "network", "layer_sizes", 0], "64"),
    ([64, 33, 10], ["body", "network", "layer_sizes", 1], "32")])
def test_inputs_stop_at_64_and_hidden_layers_at_32(client, sizes, loc, limit):
    body = {**TRAINING, "network": {**DIGITS_NETWORK, "layer_sizes": sizes}}
    response = client.post("/api/v1/train", json=body)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == loc and limit in error["msg"]


def test_an_iteration_sends_the_saliency_when_asked(client):
    images = client.post("/api/v1/datasets/digits", json={"samples": 4, "seed": 1}).json()
    body = {"network": DIGITS_NETWORK, "seed": 0, "inputs": images["inputs"],
            "targets": images["targets"], "input_gradient": True}
    trace = client.post("/api/v1/iterations", json=body).json()
    first = next(s for s in trace["stages"] if s["phase"] == "backward" and s["layer"] == 1)
    saliency, delta = np.array(first["grad_inputs"]), np.array(first["delta"])
    assert saliency.shape == (4, 64)
    weights = np.array(trace["params_before"]["weights"][0])
    np.testing.assert_allclose(saliency, delta @ weights, rtol=1e-12, atol=1e-15)
    plain = client.post("/api/v1/iterations", json={**body, "input_gradient": False}).json()
    assert all("grad_inputs" not in s or s["grad_inputs"] is None for s in plain["stages"])
