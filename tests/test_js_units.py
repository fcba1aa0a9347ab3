"""The browser's pure modules under Node's own test runner (tests/js/*.test.js), fed with the
engine's answers: the catalog, the presets, iteration traces and training chunks, fetched here
through the API and written where the JavaScript tests read them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

ROOT = Path(__file__).resolve().parent.parent
TESTS = sorted((ROOT / "tests" / "js").glob("*.test.js"))
TINY = {"network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                    "loss": "squared_error"},
        "params": {"weights": [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
                   "biases": [[0.35, 0.35], [0.6, 0.6]]},
        "inputs": [[0.05, 0.1]], "targets": [[0.01, 0.99]], "learning_rate": 0.5}


def node() -> str:
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js is required in CI (.ci/run installs it)")
        pytest.skip("Node.js is not installed")
    return found


def fixtures(client: TestClient) -> dict[str, object]:
    def post(path: str, body: dict) -> dict:
        response = client.post(path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    xor = post("/api/v1/datasets/xor", {"samples": 100, "noise": 0.1, "seed": 0})
    return {
        "catalog": client.get("/api/v1/catalog").json(),
        "trace-tiny": post("/api/v1/iterations", TINY),
        "trace-tiny-scalar": post("/api/v1/iterations", {**TINY, "granularity": "scalar"}),
        "trace-xor8": post("/api/v1/iterations", {
            "network": {"layer_sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"],
                        "loss": "binary_cross_entropy"}, "seed": 1,
            "inputs": xor["inputs"][:8], "targets": xor["targets"][:8]}),
        "train-chunk": post("/api/v1/train", {
            "network": {"layer_sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"],
                        "loss": "binary_cross_entropy"}, "seed": 1, "iterations": 20,
            "snapshot_every": 10,
            "dataset": {"name": "xor", "samples": 50, "noise": 0.1, "seed": 0},
            "include_data": False}),
        "presets": client.get("/api/v1/presets").json(),
        "race-chunk": post("/api/v1/train", {
            "network": {"layer_sizes": [1, 1], "activations": ["linear"], "loss": "squared_error"},
            "params": {"weights": [[[-1.0]]], "biases": [[4.0]]}, "inputs": [[0.0], [1.0], [2.0]],
            "targets": [[1.0], [3.0], [5.0]], "learning_rate": 0.1, "optimizer": {"name": "adam"},
            "iterations": 5, "snapshot_every": 1, "include_data": False,
            "include_predictions": False}),
    }


def test_javascript_units(tmp_path):
    with TestClient(create_app()) as client:
        for name, data in fixtures(client).items():
            (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    assert TESTS, "no JavaScript tests found"
    result = subprocess.run([node(), "--test", "--test-reporter=spec", *map(str, TESTS)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "BP_FIXTURES": str(tmp_path)})
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert "ℹ fail 0" in result.stdout, result.stdout[-6000:]
