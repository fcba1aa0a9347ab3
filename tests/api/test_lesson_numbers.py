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


# Lesson 9, the update: every optimiser's numbers on the worked example and on the line preset.

def widget_lines(text: str, name: str) -> list[dict]:
    """The options of every `::: widget name ...` line, in order."""
    return [dict(re.findall(r'([a-z][a-z0-9_-]*)="([^"]*)"', line))
            for line in re.findall(rf"::: widget {name}((?: [a-z][a-z0-9_-]*=\"[^\"]*\")+)", text)]


def optimizer_field(field: str) -> tuple[dict, float | None]:
    """An optimiser as a link writes it ("sgd,momentum:0.9,lr:0.45") as the API takes it, and
    its own learning rate (None: the preset's)."""
    name, *settings = field.split(",")
    optimizer, rate = {"name": name}, None
    for setting in settings:
        key, value = setting.split(":")
        if key == "lr":
            rate = float(value)
        elif value in ("true", "false"):
            optimizer[key] = value == "true"
        else:
            optimizer[key] = [float(v) for v in value.split("/")] if "/" in value else float(value)
    return optimizer, rate


def at(tree: dict, index=(0, 0, 0), kind: str = "weights") -> float:
    value = tree[kind]
    for i in index:
        value = value[i]
    return value


def entries(tree: dict) -> list[float]:
    """Every weight and bias of a tree shaped like `params`."""
    return [v for w in tree["weights"] for row in w for v in row] + \
        [v for b in tree["biases"] for v in b]


def iteration(client, preset: dict, rate: float, optimizer: dict | None = None, **extra) -> dict:
    body = {"network": preset["network"], "seed": preset["seed"], "params": preset["params"],
            **preset["data"], "learning_rate": rate, **extra}
    if optimizer is not None:
        body["optimizer"] = optimizer
    response = client.post("/api/v1/iterations", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def update(trace: dict) -> dict:
    stage = trace["stages"][-1]
    assert stage["phase"] == "update"
    return stage


def next_iteration(client, preset: dict, rate: float, optimizer: dict, trace: dict) -> dict:
    """The iteration after `trace`, from its parameters and the optimiser's state."""
    return iteration(client, {**preset, "params": trace["params_after"]}, rate, optimizer,
                     optimizer_state=trace["optimizer_state_after"])


def race_run(client, preset: dict, field: str, iterations: int, **start) -> dict:
    """One optimiser of a race as the race trains it (all the data, the preset's start), asked
    of /train in one request with a snapshot per iteration."""
    optimizer, rate = optimizer_field(field)
    body = {"network": preset["network"], "params": preset["params"], **preset["data"],
            "learning_rate": rate or preset["learning_rate"], "optimizer": optimizer,
            "iterations": iterations, "snapshot_every": 1, "include_data": False,
            "include_predictions": False, **start}
    response = client.post("/api/v1/train", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def significant(value: float, digits: int) -> str:
    """1.9234e-10 as '1.923 \\times 10^{-10}', with `digits` significant figures."""
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"


def final_cost(run: dict) -> float:
    """C over the whole data after the last iteration, as the race's legend shows it."""
    return run["snapshots"][-1]["train_loss"]


@pytest.fixture(scope="module")
def update_lesson() -> str:
    return source("after-the-gradient")


def test_lesson_9_plain_step(client, presets, update_lesson):
    text, tiny = update_lesson, presets["tiny-2-2-2"]
    assert "In the worked example of lesson 4, at $\\eta = 0.5$" in text
    plain = update(iteration(client, tiny, 0.5))
    first = update(iteration(client, tiny, 0.5, {"name": "sgd"}))["quantities"]
    assert entries(first["param_step"]) == pytest.approx(entries(first["gradient_step"]))
    assert entries(first["gradient_step"]) == pytest.approx(
        [-0.5 * g for g in entries(first["grad"])], rel=1e-15)
    small, large = at(first["grad"]), at(first["grad"], (1, 0, 0))
    for value, shown in [(small, "0.0004386"), (-at(first["param_step"]), "0.0002193"),
                         (large, "0.08217"), (-at(first["param_step"], (1, 0, 0)), "0.04108")]:
        quoted(text, "after-the-gradient", value, shown)
    assert round(large / small, -1) == 190 and "almost 190 times as far" in text
    assert plain["weights"][0][0][0] == tiny["params"]["weights"][0][0][0] - 0.5 * small


def line_curvatures(client, line: dict) -> list[float]:
    """The two curvatures of C over (w, b) at the start, from /loss-surface on a 3 x 3 grid: C is
    quadratic in them, so central differences give its second derivatives exactly."""
    (w,), (b,) = line["params"]["weights"][0][0], line["params"]["biases"][0]
    h = 0.5
    surface = client.post("/api/v1/loss-surface", json={
        "network": line["network"], "params": line["params"], **line["data"], "resolution": 3,
        "axes": [{"layer": 1, "kind": "weight", "index": [0, 0], "low": w - h, "high": w + h},
                 {"layer": 1, "kind": "bias", "index": [0], "low": b - h, "high": b + h}]}).json()
    c = surface["cost"]  # c[i][j] at (x[j], y[i]): x the weight, y the bias
    ww = (c[1][2] - 2 * c[1][1] + c[1][0]) / h ** 2
    bb = (c[2][1] - 2 * c[1][1] + c[0][1]) / h ** 2
    wb = (c[2][2] - c[0][2] - c[2][0] + c[0][0]) / (4 * h * h)
    middle, spread = (ww + bb) / 2, math.hypot((ww - bb) / 2, wb)
    return [middle + spread, middle - spread]


def lowest_cost(client, line: dict) -> float:
    """C at the least-squares line through the preset's points, from /loss-surface."""
    x = [row[0] for row in line["data"]["inputs"]]
    y = [row[0] for row in line["data"]["targets"]]
    n, mx, my = len(x), sum(x) / len(x), sum(y) / len(y)
    w = sum((a - mx) * (b - my) for a, b in zip(x, y, strict=True)) / sum((a - mx) ** 2 for a in x)
    params = {"weights": [[[w]]], "biases": [[my - w * mx]]}
    assert n == 7
    return client.post("/api/v1/loss-surface", json={
        "network": line["network"], "params": params, **line["data"], "resolution": 2,
        "axes": [{"layer": 1, "kind": "weight", "index": [0, 0], "low": w - 1, "high": w + 1},
                 {"layer": 1, "kind": "bias", "index": [0], "low": -1, "high": 1}],
    }).json()["cost_at_params"]


def test_lesson_9_the_narrow_valley(client, presets, update_lesson):
    text, line = update_lesson, presets["line"]
    assert "seven points" in text and len(line["data"]["inputs"]) == 7
    assert min(row[0] for row in line["data"]["inputs"]) == 0
    assert "None of the inputs lies left of 0" in text
    across, along = line_curvatures(client, line)
    assert across == pytest.approx(4, rel=1e-9) and along == pytest.approx(0.25, rel=1e-9)
    assert "16 times as sharply across as along" in text
    assert "which is 4 across and 0.25 along" in text
    for rate, factors in [(0.1, "the factors are 0.6 across and 0.975 along"),
                          (0.45, "the factor across is $-0.8$")]:
        shown = re.findall(r"-?\d\.\d+", factors)
        expected = [1 - rate * across, 1 - rate * along][:len(shown)]
        assert [float(s) for s in shown] == pytest.approx(expected, rel=1e-9) and factors in text
    assert across / along == pytest.approx(16, rel=1e-9)
    assert 2 / across == pytest.approx(0.5, rel=1e-9)
    assert "Past $\\eta = 0.5$ it is below $-1$" in text

    (race, *_) = widget_lines(text, "race")
    assert race == {"preset": "line", "opts": "sgd;sgd,lr:0.45;sgd,lr:0.55", "its": "100"}
    slow, good, wild = (race_run(client, line, field, 100) for field in race["opts"].split(";"))
    lowest = lowest_cost(client, line)
    quoted(text, "after-the-gradient", final_cost(slow), "0.02397")
    quoted(text, "after-the-gradient", lowest, "0.01133")
    assert round(final_cost(slow) / lowest) == 2 and "about twice the lowest cost" in text
    assert f"bottom: $C = {final_cost(good):.5f}$" in text
    assert final_cost(good) == pytest.approx(lowest, rel=1e-6)
    assert not wild["diverged"] and final_cost(wild) > 1e16 and "past $10^{16}$" in text
    assert final_cost(wild) < 1e17


def test_lesson_9_momentum(client, presets, update_lesson):
    text, tiny, line = update_lesson, presets["tiny-2-2-2"], presets["line"]
    playground = widget_lines(text, "playground")[0]
    assert (playground["opt"], playground["lr"], playground["stage"]) == ("sgd,momentum:0.9",
                                                                         "0.5", "5")
    momentum, _ = optimizer_field(playground["opt"])
    first = iteration(client, tiny, 0.5, momentum)
    q1 = update(first)["quantities"]
    assert q1["momentum_buffer"] == q1["grad"], "b_1 = g_1"
    assert entries(q1["param_step"]) == pytest.approx(entries(q1["gradient_step"]), rel=1e-12), \
        "so the first step is the plain step"
    second = next_iteration(client, tiny, 0.5, momentum, first)
    q2 = update(second)["quantities"]
    assert update(second)["step_count"] == 2
    g1, g2, b2 = at(q1["grad"]), at(q2["grad"]), at(q2["momentum_buffer"])
    assert b2 == pytest.approx(0.9 * g1 + g2, rel=1e-15)
    for value, shown in [(g2, "0.0003905"), (b2, "0.0007852"), (-at(q2["param_step"]), "0.0003926"),
                         (-at(q2["gradient_step"]), "0.0001953")]:
        quoted(text, "after-the-gradient", value, shown)
    assert "$0.9 \\times 0.0004386 + 0.0003905 = 0.0007852$" in text
    assert round(at(q2["param_step"]) / at(q2["gradient_step"]), 1) == 2.0
    assert round(0.9 ** 10, 2) == 0.35 and "still counts for 0.35 of its size" in text
    assert round(1 / (1 - 0.9)) == 10 and "$g / (1 - \\mu) = 10\\,g$" in text

    race = widget_lines(text, "race")[1]
    fields = race["opts"].split(";")
    assert fields == ["sgd", "sgd,momentum:0.9", "sgd,momentum:0.9,nesterov:true"]
    plain, heavy, nesterov = (final_cost(race_run(client, line, f, int(race["its"])))
                              for f in fields)
    quoted(text, "after-the-gradient", plain, "0.02397")
    assert f"its $C$ is {heavy:.5f}, against {plain:.5f} for plain steps" in text
    assert f"after 100 iterations is {nesterov:.5f}, the lowest cost to four digits" in text
    assert f"{nesterov:.5f}" == f"{lowest_cost(client, line):.5f}"


def test_lesson_9_rmsprop(client, presets, update_lesson):
    text, tiny, line = update_lesson, presets["tiny-2-2-2"], presets["line"]
    playground = widget_lines(text, "playground")[1]
    assert (playground["opt"], playground["lr"], playground["stage"]) == ("rmsprop", "0.01", "5")
    catalog = {o["name"]: o for o in client.get("/api/v1/catalog").json()["optimizers"]}
    defaults = {h["name"]: h["default"] for h in catalog["rmsprop"]["hyperparameters"]}
    assert defaults["alpha"] == 0.99 and defaults["eps"] == 1e-8
    assert "with $\\alpha = 0.99$ and $\\epsilon = 10^{-8}$ by default" in text
    q = update(iteration(client, tiny, 0.01, {"name": "rmsprop"}))["quantities"]
    assert entries(q["square_avg"]) == pytest.approx([0.01 * g * g for g in entries(q["grad"])],
                                                     rel=1e-12)
    steps = entries(q["param_step"])
    assert all(f"{abs(s):.4f}" == "0.1000" for s in steps), steps
    assert "every weight moves by 0.1" in text and "ten times $\\eta$, for every parameter" in text
    # The last race: RMSProp's first step on the line moves both parameters by 1, Adam's by 0.1.
    first = {f: race_run(client, line, f, 1) for f in ("rmsprop", "adam")}
    for field, size in [("rmsprop", "1.0000"), ("adam", "0.1000")]:
        start, after = entries(line["params"]), entries(first[field]["params_after"])
        assert [f"{abs(a - s):.4f}" for a, s in zip(after, start, strict=True)] == [size] * 2
    assert "RMSProp's first step moves both parameters by 1" in text
    assert "Adam's first moves each by 0.1" in text


def test_lesson_9_adam(client, presets, update_lesson):
    text, tiny = update_lesson, presets["tiny-2-2-2"]
    playground = widget_lines(text, "playground")[2]
    assert (playground["opt"], playground["lr"], playground["stage"]) == ("adam", "0.05", "4")
    catalog = {o["name"]: o for o in client.get("/api/v1/catalog").json()["optimizers"]}
    defaults = {h["name"]: h["default"] for h in catalog["adam"]["hyperparameters"]}
    assert defaults["betas"] == [0.9, 0.999]
    assert "with $\\beta_1 = 0.9$ and $\\beta_2 = 0.999$ by default" in text

    adam = {"name": "adam"}
    first = iteration(client, tiny, 0.05, adam)
    stage = update(first)
    assert stage["step_count"] == 1
    q = stage["quantities"]
    g = at(q["grad"])
    assert entries(q["exp_avg_hat"]) == pytest.approx(entries(q["grad"]), rel=1e-14)
    assert entries(q["exp_avg_sq_hat"]) == pytest.approx([x * x for x in entries(q["grad"])],
                                                         rel=1e-12)
    assert all(f"{abs(s):.4f}" == "0.0500" for s in entries(q["param_step"]))
    assert at(q["param_step"]) == pytest.approx(-0.05 * g / (g + 1e-8), rel=1e-12)
    quoted(text, "after-the-gradient", at(q["exp_avg"]), "0.00004386")
    assert f"$v_1 = {significant(at(q['exp_avg_sq']), 4)}$" in text
    quoted(text, "after-the-gradient", at(q["exp_avg_hat"]), "0.0004386")
    assert f"\\hat{{v}}_1 = {significant(at(q['exp_avg_sq_hat']), 4)} = g^2" in text
    assert "$\\hat{m}_1 = 0.0004386 = g$" in text
    # The loss before and after, beside the plain step at ten times the rate.
    after = iteration(client, {**tiny, "params": first["params_after"]}, 0.05)["loss"]
    plain = iteration(client, tiny, 0.5)
    plain_after = iteration(client, {**tiny, "params": plain["params_after"]}, 0.5)["loss"]
    assert f"falls from {first['loss']:.4f} to {after:.4f}" in text
    assert f"(to {plain_after:.4f}) with ten times the learning rate" in text
    assert after < plain_after
    # Without the correction: m_1 / sqrt(v_1) = 0.1 / sqrt(0.001) for every entry.
    ratios = [m / math.sqrt(v) for m, v in zip(entries(q["exp_avg"]), entries(q["exp_avg_sq"]),
                                                strict=True)]
    assert all(f"{abs(r):.1f}" == "3.2" for r in ratios) and "\\approx 3.2\\,\\eta" in text

    second = update(next_iteration(client, tiny, 0.05, adam, first))
    assert second["step_count"] == 2
    q2 = second["quantities"]
    for value, shown in [(at(q2["exp_avg_hat"]), "0.0004087"), (at(q2["grad"]), "0.0003818"),
                         (-at(q2["param_step"]), "0.04970")]:
        quoted(text, "after-the-gradient", value, shown)
    assert at(q2["grad"]) < at(q2["exp_avg_hat"]) < g
    # How fast the correction fades.
    assert 1 - 0.9 ** 44 > 0.99 > 1 - 0.9 ** 43 and "above 0.99 from $t = 44$ on" in text
    assert round(1 - 0.999 ** 1000, 2) == 0.63 and "still only 0.63 at $t = 1000$" in text


def test_lesson_9_weight_decay(client, presets, update_lesson):
    text, tiny = update_lesson, presets["tiny-2-2-2"]
    playground = widget_lines(text, "playground")[3]
    assert (playground["opt"], playground["lr"], playground["l2"]) == ("adam", "0.05", "0.1")
    trace = iteration(client, tiny, 0.05, {"name": "adam"}, l2=0.1)
    loss = next(s for s in trace["stages"] if s["phase"] == "loss")
    assert loss["loss"] == pytest.approx(loss["data_loss"] + loss["penalty"], rel=1e-15)
    squares = sum(w * w for w in entries({"weights": tiny["params"]["weights"], "biases": []}))
    assert loss["penalty"] == pytest.approx(0.1 / 2 * squares, rel=1e-12)
    assert (f"$C = {loss['data_loss']:.4f} + {loss['penalty']:.4f} = {loss['loss']:.4f}$"
            in text)
    q = update(trace)["quantities"]
    data_only = at(update(iteration(client, tiny, 0.05, {"name": "adam"}))["quantities"]["grad"])
    w = tiny["params"]["weights"][0][0][0]
    assert at(q["grad"]) == pytest.approx(data_only + 0.1 * w, rel=1e-14)
    assert (f"${data_only:.7f} + 0.1 \\times {w} = {at(q['grad']):.5f}$" in text)
    assert round(at(q["grad"]) / data_only) == 35 and "35 times what the data alone" in text
    assert f"{-at(q['param_step']):.4f}" == "0.0500" and "yet its step is still 0.05" in text

    adamw = update(iteration(client, tiny, 0.05, {"name": "adamw", "weight_decay": 0.1}))
    decayed = at(adamw["quantities"]["decayed_param"])
    new = w + at(adamw["quantities"]["param_step"])
    assert decayed == pytest.approx(w * (1 - 0.05 * 0.1), rel=1e-15)
    assert f"$0.15 \\times (1 - 0.005) = {decayed:.5f}$" in text
    assert f"{decayed - new:.4f}" == "0.0500" and f"moves by 0.05 to {new:.5f}" in text
    catalog = {o["name"]: o for o in client.get("/api/v1/catalog").json()["optimizers"]}
    decay = {name: next(h["default"] for h in catalog[name]["hyperparameters"]
                        if h["name"] == "weight_decay") for name in ("adam", "adamw")}
    assert decay == {"adam": 0, "adamw": 0.01} and "($\\lambda = 0.01$ by default)" in text


def test_lesson_9_the_state_travels(client, presets, update_lesson):
    text, line = update_lesson, presets["line"]
    trained = race_run(client, line, "adam", 100)
    assert trained["optimizer_state_after"]["step"] == 100
    start = {"params": trained["params_after"]}
    carried = race_run(client, {**line, **start}, "adam", 10,
                       optimizer_state=trained["optimizer_state_after"])
    afresh = race_run(client, {**line, **start}, "adam", 2)
    assert f"bring $C$ to {final_cost(trained):.5f}" in text
    assert f"the next ten steps lower it to {final_cost(carried):.5f}" in text
    costs = [s["train_loss"] for s in afresh["snapshots"]]
    assert costs[0] == pytest.approx(final_cost(trained), rel=1e-12)
    assert f"raises it to {costs[1]:.4f}, and the one after to {costs[2]:.4f}" in text
    assert costs[2] > costs[1] > costs[0]
    assert f"raised $C$ from {costs[0]:.5f} to {costs[2]:.4f} within two steps" in text


def test_lesson_9_all_four(client, presets, update_lesson):
    text, line = update_lesson, presets["line"]
    race = widget_lines(text, "race")[2]
    assert race == {"preset": "line", "opts": "sgd;sgd,momentum:0.9;rmsprop;adam", "its": "100"}
    assert line["learning_rate"] == 0.1 and "each at $\\eta = 0.1$" in text
    costs = [final_cost(race_run(client, line, f, 100)) for f in race["opts"].split(";")]
    shown = ", ".join(f"{c:.5f}" for c in costs)
    assert shown == "0.02397, 0.01146, 0.01133, 0.01154"
    assert ("$C$ is 0.02397 with plain steps, 0.01146 with momentum, 0.01133 with RMSProp and "
            "0.01154 with Adam") in text
