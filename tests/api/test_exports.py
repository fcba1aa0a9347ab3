"""POST /api/v1/exports/*: the exported NumPy script and notebook, run here, print the trace's
numbers to 1e-12; the PyTorch script compiles, has the expected structure, and runs where torch
is installed; refusals name the field."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys

import numpy as np
import pytest

from app.exports.numpy_code import ACTIVATION_CODE
from app.exports.pytorch_code import MODULES
from app.schemas.iterations import TINY_EXAMPLE
from engine.networks.activations import ACTIVATIONS

URL = "/api/v1/exports"
SHOWN = re.compile(r"^  (?P<key>\S+) \((?P<symbol>.*)\) = (?P<value>.*)$")
NOT_NUMBERS = {"phase", "layer", "name", "tag", "node_ids", "activation_name", "loss_name"}


def body(sizes, activations, loss, inputs, targets, **extra) -> dict:
    return {"network": {"layer_sizes": sizes, "activations": activations, "loss": loss},
            "inputs": inputs, "targets": targets, **extra}


RNG = np.random.default_rng(5)
CASES = {
    "tiny": TINY_EXAMPLE,
    "relu-bce": body([2, 3, 1], ["relu", "sigmoid"], "binary_cross_entropy",
                     [[0.5, -1.0], [1.0, 2.0], [0.0, 0.25], [-1.5, 0.5], [2.0, -0.5]],
                     [[1.0], [0.0], [1.0], [0.0], [1.0]], seed=3, learning_rate=0.3),
    "softmax-ce": body([2, 4, 3], ["leaky_relu", "softmax"], "cross_entropy",
                       RNG.normal(size=(4, 2)).tolist(), np.eye(3)[[0, 1, 2, 1]].tolist(), seed=1),
    "eager": {**TINY_EXAMPLE, "update_order": "eager"},
    "deep-linear-20": body([3, 4, 4, 2], ["tanh", "sigmoid", "linear"], "squared_error",
                           RNG.normal(size=(20, 3)).tolist(), RNG.normal(size=(20, 2)).tolist(),
                           seed=2, learning_rate=0.05),
    "softmax-squared": body([2, 3], ["softmax"], "squared_error", [[0.3, -0.2], [1.0, 0.5]],
                            [[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]], seed=4),
}


def printed_stages(text: str) -> list[tuple[str, dict]]:
    """The stages an exported script printed: ('Forward, layer 1 [F1]', {key: numbers})."""
    stages = []
    for line in text.splitlines():
        if line.startswith("== "):
            stages.append((line[3:], {}))
        elif match := SHOWN.match(line):
            stages[-1][1][match["key"]] = json.loads(match["value"])
    return stages


def expected_stages(trace: dict) -> list[tuple[str, dict]]:
    """The trace's stages as the scripts print them (the update's parameters one per layer)."""
    stages = []
    for stage in trace["stages"]:
        numbers = {k: v for k, v in stage.items() if k not in NOT_NUMBERS}
        if stage["phase"] == "update":
            numbers = {"learning_rate": stage["learning_rate"],
                       **{f"weights[{i}]": w for i, w in enumerate(stage["weights"])},
                       **{f"biases[{i}]": b for i, b in enumerate(stage["biases"])}}
        stages.append((f"{stage['name']} [{stage['tag']}]", numbers))
    return stages


def assert_same_numbers(printed, trace, tolerance=1e-12, only_printed=False):
    expected = expected_stages(trace)
    assert [name for name, _ in printed] == [name for name, _ in expected]
    for (name, shown), (_, numbers) in zip(printed, expected, strict=True):
        keys = set(shown) if only_printed else set(numbers)
        assert set(shown) <= set(numbers) and keys <= set(shown), (name, set(shown), set(numbers))
        for key in keys:
            np.testing.assert_allclose(shown[key], numbers[key], rtol=tolerance,
                                       atol=tolerance, err_msg=f"{name}: {key}")


def exported(client, kind: str, request: dict) -> dict:
    response = client.post(f"{URL}/{kind}", json=request)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("case", CASES)
def test_the_numpy_script_prints_the_traces_numbers(client, tmp_path, case):
    request = CASES[case]
    export = exported(client, "numpy", request)
    assert export["filename"].endswith(".py") and export["media_type"] == "text/x-python"
    script = tmp_path / export["filename"]
    script.write_text(export["content"])
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True, timeout=60)
    trace = client.post("/api/v1/iterations", json=request).json()
    assert_same_numbers(printed_stages(result.stdout), trace)


def test_the_notebook_has_a_cell_per_stage_and_prints_the_traces_numbers(client):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    request = CASES["relu-bce"]
    export = exported(client, "notebook", request)
    assert export["filename"].endswith(".ipynb")
    book = nbformat.reads(export["content"], as_version=4)
    nbformat.validate(book)
    trace = client.post("/api/v1/iterations", json=request).json()
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    titles = [cell.source.splitlines()[0] for cell in code]
    stage_names = [f"# {name} [{stage['tag']}]" for name, stage in
                   ((s["name"], s) for s in trace["stages"])]
    assert titles[2:] == stage_names
    nbclient.NotebookClient(book, timeout=60, kernel_name="python3").execute()
    printed = "".join(output.get("text", "") for cell in code for output in cell.outputs)
    assert_same_numbers(printed_stages(printed), trace)


def test_the_pytorch_script_compiles_and_has_the_expected_structure(client):
    source = exported(client, "pytorch", CASES["softmax-ce"])["content"]
    compile(source, "backprop-iteration-torch.py", "exec")
    for part in ("import torch", "from torch import nn", "nn.Linear(2, 4)", "nn.LeakyReLU(0.01)",
                 "nn.Linear(4, 3)", "nn.Softmax(dim=1)", "torch.optim.SGD(model.parameters()",
                 "nn.CrossEntropyLoss()", "optimizer.zero_grad()", "loss.backward()",
                 "optimizer.step()", "torch.set_default_dtype(torch.float64)"):
        assert part in source, part
    assert source.index("loss.backward()") < source.index("optimizer.step()")


TORCH = importlib.util.find_spec("torch") is not None


@pytest.mark.skipif(not TORCH, reason="torch is not installed (it is not a dependency)")
@pytest.mark.parametrize("case", ["tiny", "relu-bce", "softmax-ce", "deep-linear-20",
                                  "softmax-squared"])
def test_the_pytorch_script_prints_the_traces_numbers(client, tmp_path, case):
    request = CASES[case]
    script = tmp_path / "torch_iteration.py"
    script.write_text(exported(client, "pytorch", request)["content"])
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True, timeout=120)
    trace = client.post("/api/v1/iterations", json=request).json()
    assert_same_numbers(printed_stages(result.stdout), trace, tolerance=1e-10, only_printed=True)


def test_every_activation_of_the_engine_has_numpy_and_pytorch_code():
    assert set(ACTIVATIONS) <= set(ACTIVATION_CODE) and set(ACTIVATIONS) <= set(MODULES)


def test_the_eager_order_has_no_pytorch_export(client):
    response = client.post(f"{URL}/pytorch", json=CASES["eager"])
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "update_order"] and "after_backward" in error["msg"]


def test_bad_requests_are_refused_as_by_iterations(client):
    request = body([2, 2], ["tanh"], "squared_error", [[1.0, 2.0, 3.0]], [[1.0, 0.0]])
    response = client.post(f"{URL}/numpy", json=request)
    assert response.status_code == 422
    assert response.json() == client.post("/api/v1/iterations", json=request).json()
    assert client.post(f"{URL}/matlab", json=TINY_EXAMPLE).status_code in (404, 405)
