"""POST /api/v1/exports/*: the exported NumPy script and notebook, run here, print the trace's
numbers to 1e-12, and to the bit with every optimiser (each branch of its rule, from a fresh
start and from a state sent, in both update orders, with an L2 penalty), its quantities and the
state after included; the PyTorch script compiles, has the expected structure, and runs where
torch is installed; refusals name the field."""

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
from engine.learning.optimizers import OPTIMIZERS
from engine.networks.activations import ACTIVATIONS

URL, ITERATIONS = "/api/v1/exports", "/api/v1/iterations"
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
    "adam-no-penalty": {**TINY_EXAMPLE, "optimizer": {"name": "adam"}},
}

# Every optimiser of the engine, through each branch of its rule that the exports write.
OPTIMIZER_CASES = {
    "sgd": {"name": "sgd"},
    "sgd-momentum": {"name": "sgd", "momentum": 0.9, "dampening": 0.2, "weight_decay": 0.01},
    "sgd-nesterov": {"name": "sgd", "momentum": 0.8, "nesterov": True},
    "rmsprop": {"name": "rmsprop"},
    # alpha 0.3: the running mean gbar moves by torch.lerp from its far end.
    "rmsprop-centered": {"name": "rmsprop", "alpha": 0.3, "centered": True, "momentum": 0.5,
                         "weight_decay": 0.02},
    "adam": {"name": "adam"},
    "adam-amsgrad": {"name": "adam", "betas": [0.3, 0.9], "amsgrad": True, "weight_decay": 0.02},
    "adamw": {"name": "adamw"},
    "adamw-amsgrad": {"name": "adamw", "betas": [0.6, 0.95], "weight_decay": 0.1,
                      "amsgrad": True},
}
PENALISED = body([2, 3, 2], ["tanh", "sigmoid"], "squared_error",
                 [[0.5, -1.0], [1.0, 2.0], [0.0, 0.25]], [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]],
                 seed=3, learning_rate=0.1, l2=0.05)


def with_optimizer(client, case: str, start: str, order: str = "after_backward") -> dict:
    """PENALISED with an optimiser, from a fresh start or carrying on ("state") from the
    parameters and the state (t = 1) an iteration before it left."""
    request = {**PENALISED, "optimizer": OPTIMIZER_CASES[case], "update_order": order}
    if start == "state":
        first = client.post(ITERATIONS, json=request).json()
        request |= {"params": first["params_after"],
                    "optimizer_state": first["optimizer_state_after"]}
    return request


def printed_stages(text: str) -> list[tuple[str, dict]]:
    """The stages an exported script printed: ('Forward, layer 1 [F1]', {key: numbers})."""
    stages = []
    for line in text.splitlines():
        if line.startswith("== "):
            stages.append((line[3:], {}))
        elif match := SHOWN.match(line):
            stages[-1][1][match["key"]] = json.loads(match["value"])
    return stages


def flattened(prefix: str, tree: dict) -> dict:
    """Quantities or a state as the scripts print them: `prefix.exp_avg.weights[0]`, one array
    per parameter, and `prefix.step`."""
    out = {}
    for name, value in tree.items():
        if name == "step":
            out[f"{prefix}.step"] = value
            continue
        for part in ("weights", "biases"):
            out.update({f"{prefix}.{name}.{part}[{i}]": v for i, v in enumerate(value[part])})
    return out


def update_numbers(stage: dict, trace: dict) -> dict:
    """The update stage as the scripts print it: the parameters one per layer and, with an
    optimiser, its step count, quantities and the state after."""
    numbers = {"learning_rate": stage["learning_rate"],
               **{f"weights[{i}]": w for i, w in enumerate(stage["weights"])},
               **{f"biases[{i}]": b for i, b in enumerate(stage["biases"])}}
    if "quantities" in stage:
        numbers["step_count"] = stage["step_count"]
        numbers.update(flattened("quantities", stage["quantities"]))
        numbers.update(flattened("optimizer_state_after", trace["optimizer_state_after"]))
    return numbers


def expected_stages(trace: dict) -> list[tuple[str, dict]]:
    """The trace's stages as the scripts print them."""
    stages = []
    for stage in trace["stages"]:
        numbers = {k: v for k, v in stage.items() if k not in NOT_NUMBERS}
        if stage["phase"] == "update":
            numbers = update_numbers(stage, trace)
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


def run_numpy_script(client, tmp_path, request: dict) -> str:
    """What the exported NumPy script printed."""
    export = exported(client, "numpy", request)
    assert export["filename"].endswith(".py") and export["media_type"] == "text/x-python"
    script = tmp_path / export["filename"]
    script.write_text(export["content"])
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          check=True, timeout=60).stdout


@pytest.mark.parametrize("case", CASES)
def test_the_numpy_script_prints_the_traces_numbers(client, tmp_path, case):
    request = CASES[case]
    printed = run_numpy_script(client, tmp_path, request)
    assert_same_numbers(printed_stages(printed), client.post(ITERATIONS, json=request).json())


def test_every_optimiser_of_the_engine_is_exported():
    assert {optimizer["name"] for optimizer in OPTIMIZER_CASES.values()} == set(OPTIMIZERS)


@pytest.mark.parametrize("order", ["after_backward", "eager"])
@pytest.mark.parametrize("start", ["fresh", "state"])
@pytest.mark.parametrize("case", OPTIMIZER_CASES)
def test_the_numpy_script_steps_as_the_optimiser_does(client, tmp_path, case, start, order):
    """The penalty's terms, the step, every quantity it shows and the state after, to the bit."""
    request = with_optimizer(client, case, start, order)
    trace = client.post(ITERATIONS, json=request).json()
    assert trace["stages"][-1]["step_count"] == (2 if start == "state" else 1)
    printed = printed_stages(run_numpy_script(client, tmp_path, request))
    assert_same_numbers(printed, trace, tolerance=0)
    update = printed[-1][1]
    assert update["optimizer_state_after.step"] == trace["optimizer_state_after"]["step"]
    assert {key.split(".")[1] for key in update if key.startswith("optimizer_state_after.")} \
        == set(trace["optimizer_state_after"])


@pytest.mark.parametrize("case, start, order", [
    (None, None, None), ("adam-amsgrad", "state", "after_backward"),
    ("sgd-momentum", "state", "eager")])
def test_the_notebook_has_a_cell_per_stage_and_prints_the_traces_numbers(client, case, start,
                                                                         order):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    request = CASES["relu-bce"] if case is None else with_optimizer(client, case, start, order)
    export = exported(client, "notebook", request)
    assert export["filename"].endswith(".ipynb")
    book = nbformat.reads(export["content"], as_version=4)
    nbformat.validate(book)
    trace = client.post(ITERATIONS, json=request).json()
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    titles = [cell.source.splitlines()[0] for cell in code]
    stage_names = [f"# {stage['name']} [{stage['tag']}]" for stage in trace["stages"]]
    # Setup, the parameters and, with an optimiser, its state and step, then one per stage.
    setup = 2 if case is None else 3
    assert titles[:2] == ["# Setup: NumPy, the activations and a printer",
                          "# Parameters, data and settings"]
    assert case is None or titles[2].startswith("# Optimiser: ")
    assert titles[setup:] == stage_names
    nbclient.NotebookClient(book, timeout=60, kernel_name="python3").execute()
    printed = "".join(output.get("text", "") for cell in code for output in cell.outputs)
    assert_same_numbers(printed_stages(printed), trace, tolerance=1e-12 if case is None else 0)


def test_the_same_request_exports_the_same_notebook(client):
    request = CASES["relu-bce"]
    first, second = (exported(client, "notebook", request)["content"] for _ in range(2))
    assert first == second
    assert '"id": "cell-1"' in first


def test_the_pytorch_script_compiles_and_has_the_expected_structure(client):
    source = exported(client, "pytorch", CASES["softmax-ce"])["content"]
    compile(source, "backprop-iteration-torch.py", "exec")
    for part in ("import torch", "from torch import nn", "nn.Linear(2, 4)", "nn.LeakyReLU(0.01)",
                 "nn.Linear(4, 3)", "nn.Softmax(dim=1)", "torch.optim.SGD(model.parameters()",
                 "nn.CrossEntropyLoss()", "optimizer.zero_grad()", "loss.backward()",
                 "optimizer.step()", "torch.set_default_dtype(torch.float64)"):
        assert part in source, part
    assert source.index("loss.backward()") < source.index("optimizer.step()")


TORCH_CLASSES = {"sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW"}


@pytest.mark.parametrize("start", ["fresh", "state"])
@pytest.mark.parametrize("case", OPTIMIZER_CASES)
def test_the_pytorch_script_sets_up_the_optimiser_its_state_and_the_penalty(client, case, start):
    request = with_optimizer(client, case, start)
    source = exported(client, "pytorch", request)["content"]
    compile(source, "backprop-iteration-torch.py", "exec")
    optimizer = request["optimizer"]
    assert (f"torch.optim.{TORCH_CLASSES[optimizer['name']]}(model.parameters(), "
            "lr=learning_rate, ") in source
    assert "l2 = 0.05" in source and "loss = data_loss + penalty" in source
    # SGD's momentum buffer is set to the gradient at t = 1, so only t = 2 reads a state sent.
    loads = start == "state" and (optimizer["name"] != "sgd" or "momentum" in optimizer)
    assert ("optimizer.state[model[0].weight] = {" in source) == loads
    for name in set(request.get("optimizer_state", {})) - {"step"} if loads else ():
        assert f'"{name}": torch.tensor(' in source, name
    assert source.index("loss.backward()") < source.index("optimizer.step()")


TORCH = importlib.util.find_spec("torch") is not None


@pytest.mark.skipif(not TORCH, reason="torch is not installed (it is not a dependency)")
@pytest.mark.parametrize("case", [case for case in CASES if case != "eager"])
def test_the_pytorch_script_prints_the_traces_numbers(client, tmp_path, case):
    request = CASES[case]
    script = tmp_path / "torch_iteration.py"
    script.write_text(exported(client, "pytorch", request)["content"])
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True, timeout=120)
    trace = client.post(ITERATIONS, json=request).json()
    assert_same_numbers(printed_stages(result.stdout), trace, tolerance=1e-10, only_printed=True)


@pytest.mark.skipif(not TORCH, reason="torch is not installed (it is not a dependency)")
@pytest.mark.parametrize("start", ["fresh", "state"])
@pytest.mark.parametrize("case", OPTIMIZER_CASES)
def test_the_pytorch_script_steps_as_the_optimiser_does(client, tmp_path, case, start):
    """torch.optim's step, loaded with the state sent, and the state it keeps after."""
    request = with_optimizer(client, case, start)
    script = tmp_path / "torch_iteration.py"
    script.write_text(exported(client, "pytorch", request)["content"])
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True, timeout=120)
    trace = client.post(ITERATIONS, json=request).json()
    printed = printed_stages(result.stdout)
    assert_same_numbers(printed, trace, tolerance=1e-10, only_printed=True)
    assert {key.split(".")[1] for key in printed[-1][1]
            if key.startswith("optimizer_state_after.")} == set(trace["optimizer_state_after"])


def test_every_activation_of_the_engine_has_numpy_and_pytorch_code():
    assert set(ACTIVATIONS) <= set(ACTIVATION_CODE) and set(ACTIVATIONS) <= set(MODULES)


def test_the_eager_order_has_no_pytorch_export(client):
    response = client.post(f"{URL}/pytorch", json=CASES["eager"])
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "update_order"] and "after_backward" in error["msg"]


def test_the_eager_order_with_an_optimiser_has_no_pytorch_export(client):
    response = client.post(f"{URL}/pytorch", json={**CASES["eager"], "optimizer": {"name": "adam"}})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "update_order"]
    assert "torch.optim.Adam" in error["msg"] and "after_backward" in error["msg"]


@pytest.mark.parametrize("kind", ["numpy", "pytorch", "notebook"])
def test_an_optimiser_with_no_export_is_refused_naming_it(client, sign_sgd, kind):
    response = client.post(f"{URL}/{kind}", json={**TINY_EXAMPLE,
                                                  "optimizer": {"name": "sign_sgd"}})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "optimizer", "name"] and "sign_sgd" in error["msg"]


def test_bad_requests_are_refused_as_by_iterations(client):
    request = body([2, 2], ["tanh"], "squared_error", [[1.0, 2.0, 3.0]], [[1.0, 0.0]])
    response = client.post(f"{URL}/numpy", json=request)
    assert response.status_code == 422
    assert response.json() == client.post(ITERATIONS, json=request).json()
    assert client.post(f"{URL}/matlab", json=TINY_EXAMPLE).status_code in (404, 405)
