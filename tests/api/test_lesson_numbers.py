"""The numbers the lesson texts quote, recomputed through the API: a change to the engine, a preset
or a widget line that moves one fails here, naming the lesson and the number."""

from __future__ import annotations

import math
import re
from statistics import median

import pytest

from app.lessons import LESSON_DIR


def source(slug: str) -> str:
    """The lesson file's text with every run of white space as one space, so that a number
    can be found however the lines are wrapped."""
    (path,) = LESSON_DIR.glob(f"[0-9]*-{slug}.md")
    return re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))


def quoted(text: str, slug: str, value: float, shown: str) -> None:
    """`shown` is in the lesson and is `value` rounded to the digits it shows."""
    assert shown in text, f"{slug}: {shown} is not in the text"
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    assert abs(value - float(shown)) <= 0.5 * 10 ** -decimals + 1e-15, f"{slug}: {shown} vs {value}"


def one_significant(value: float) -> str:
    """2.31e-07 as '2 \\times 10^{-7}', as the lessons write it."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


@pytest.fixture(scope="module")
def presets(client) -> dict:
    return {preset["name"]: preset for preset in client.get("/api/v1/presets").json()}


def test_lesson_2_sigmoid_example(client):
    text = source("chain-rule")
    assert 'values="x=2,y=3,w=1,b=-2"' in text  # what the widget starts sigmoid(w*x + b) at
    for b, shown in [(-2, "0.25"), (1, "0.04518")]:
        data = client.post("/api/v1/expressions", json={
            "expression": "sigmoid(w*x + b)", "values": {"w": 1, "x": 2, "b": b}}).json()
        sigmoid = data["events"]["backward"][0]
        assert sigmoid["upstream"] == 1.0
        quoted(text, "chain-rule", sigmoid["sent"][0]["grad"], shown)


def test_lesson_3_parameter_counts(client, presets):
    text = source("weights-are-nodes")
    params = presets["tiny-2-2-2"]["params"]
    count = sum(len(row) for w in params["weights"] for row in w) + sum(map(len, params["biases"]))
    assert count == 12 and "$P = 12$" in text and "\\mathbb{R}^{12}" in text
    network = client.post("/api/v1/networks", json={"network": {
        "layer_sizes": [3, 4, 2], "activations": ["sigmoid", "sigmoid"],
        "loss": "squared_error"}, "seed": 0}).json()
    weights, biases = network["params"]["weights"], network["params"]["biases"]
    assert sum(len(row) for w in weights for row in w) + sum(map(len, biases)) == 26
    assert "P = 12 + 4 + 8 + 2 = 26" in text


def test_lesson_4_worked_example(client, presets):
    text = source("layer-by-layer")
    preset = presets["tiny-2-2-2"]
    body = {"network": preset["network"], "seed": preset["seed"], "params": preset["params"],
            **preset["data"], "learning_rate": 0.5}
    trace = client.post("/api/v1/iterations", json=body).json()
    stage = {(s["phase"], s.get("layer")): s for s in trace["stages"]}
    forward1, forward2 = stage["forward", 1], stage["forward", 2]
    loss, back2, back1 = stage["loss", None], stage["backward", 2], stage["backward", 1]
    after = client.post("/api/v1/iterations", json={**body, "params": trace["params_after"]}).json()
    for value, shown in [
        (forward1["pre_activation"][0][0], "0.3775"), (forward1["activation"][0][0], "0.59327"),
        (forward1["activation"][0][1], "0.59688"),
        (forward2["activation"][0][0], "0.75137"), (forward2["activation"][0][1], "0.77293"),
        (loss["loss"], "0.29837"),
        (loss["grad_output"][0][0], "0.74137"), (loss["grad_output"][0][1], "-0.21707"),
        (back2["activation_derivative"][0][0], "0.18682"), (back2["delta"][0][0], "0.13850"),
        (back2["delta"][0][1], "-0.03810"),
        (back2["grad_weights"][0][0], "0.08217"), (back2["grad_weights"][0][1], "0.08267"),
        (back1["activation_derivative"][0][0], "0.24130"), (back1["delta"][0][0], "0.00877"),
        (trace["params_after"]["weights"][1][0][0], "0.35892"), (after["loss"], "0.28047"),
        (forward1["activation"][0][1] + back2["delta"][0][0], "0.73538"),
    ]:
        quoted(text, "layer-by-layer", value, shown)


def train(client, preset: dict, rate: float, iterations: int) -> dict:
    body = {"network": preset["network"], "seed": preset["seed"], **preset["data"],
            "learning_rate": rate, "batch_size": preset["batch_size"],
            "iterations": iterations, "snapshot_every": iterations, "include_data": False}
    result = client.post("/api/v1/train", json=body).json()
    assert not result["diverged"]
    return result


def test_lesson_7_gradient_norms_per_layer(client, presets):
    text = source("gradient-descent-live")
    runs = {}
    for name, rates, iterations in [("xor", (0.05, 0.5, 50), 500),
                                    ("spiral", (0.01, 0.3, 30), 3000)]:
        line = f'::: widget rates preset="{name}" rates="{",".join(map(str, rates))}"'
        assert line in text and f'iterations="{iterations}"' in text
        for rate in rates:
            runs[name, rate] = train(client, presets[name], rate, iterations)

    # A small or good rate: the largest layer's norm under three times the smallest's in more
    # than nine iterations of ten.
    for key in [("xor", 0.05), ("xor", 0.5), ("spiral", 0.01), ("spiral", 0.3)]:
        norms = runs[key]["grad_norms"]
        close = sum(max(row) < 3 * min(row) for row in norms) / len(norms)
        assert close > 0.9, key
    assert "in more than nine iterations out of ten, the largest is less than three times" in text

    # Too large: every hidden layer collapses, the output layer's stays large.
    xor = runs["xor", 50]["grad_norms"]
    quoted(text, "gradient-descent-live", xor[0][0], "0.043")
    assert f"about ${one_significant(median(r[0] for r in xor[10:]))}$" in text
    assert round(median(r[1] for r in xor[10:])) == 1
    spiral = runs["spiral", 30]["grad_norms"]
    quoted(text, "gradient-descent-live", spiral[0][0], "0.17")
    quoted(text, "gradient-descent-live", spiral[0][1], "0.15")
    hidden = [one_significant(median(r[layer] for r in spiral[10:])) for layer in (0, 1)]
    assert f"${hidden[0]}$ and ${hidden[1]}$" in text
    assert round(median(r[2] for r in spiral[10:])) == 2
    assert "stays near 1" in text and "stays near 2" in text

    # The hint for "More iterations": at eta = 30 the spiral's loss ends far above its start.
    curve = runs["spiral", 30]["loss_curve"]
    assert curve[-1] > 10 * curve[0]


def test_lesson_8_geometric_factors():
    text = source("bptt")
    assert math.isclose(0.8 ** 50, 1.4e-5, rel_tol=0.05) and "1.4 \\times 10^{-5}" in text
    assert round(0.8 ** 10, 2) == 0.11 and "0.8^{10} \\approx 0.11" in text


def test_lesson_2_program_example(client):
    text = source("chain-rule")
    program = "a = 2; b = -3; c = a * b; c = c + a; out = c * b"
    assert f'program="{program}"' in text
    data = client.post("/api/v1/expressions", json={
        "expression": program.replace("; ", "\n"), "values": {}}).json()
    quoted(text, "chain-rule", data["output"], "12")
    names = {node["id"]: node["name"] for node in data["graph"]["nodes"]}
    received = {names[e["node"]]: [(names[r["from"]], r["grad"]) for r in e["received"]]
                for e in data["events"]["backward"]}
    assert received["a"] == [("c₂", -3.0), ("c₁", 9.0)]
    assert received["b"] == [("out", -4.0), ("c₁", -6.0)]
    assert data["gradients"] == {"a": 6.0, "b": -10.0}
    for shown in ("receives $-3$ from $c_2$ and $9$", "its gradient is their sum, $6$",
                  "$-4$ from the output and $-6$ from $c_1$", "$-10$ in all"):
        assert shown in text, shown
