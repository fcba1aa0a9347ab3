"""A small page object for /playground, and the numbers the page should show, read from the API.

The page formats numbers with static/js/core/format.js `formatNumber`; `format_number` below is the
same function in Python (rounding half away from zero, as JavaScript's toPrecision does), so a
text can be compared with an API number. Raw numbers are compared through `data-value`
attributes, which hold `String(value)`: the shortest text that reads back as the same double.
"""

from __future__ import annotations

import time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import httpx

# Slots of the formulas that hold an index or a count (explain/formula-view.js INDEX_SLOTS).
INDEX_SLOTS = {"l", "j", "k", "prev", "next", "n"}
FUSED_LOSSES = {"binary_cross_entropy", "cross_entropy"}


# --- numbers as the page writes them -------------------------------------------------------------

def _round_significant(value: float, digits: int) -> tuple[Decimal, int]:
    """The exact value rounded to `digits` significant digits, half away from zero, and its
    decimal exponent after rounding."""
    exact = Decimal(value)
    exponent = exact.adjusted()
    rounded = exact.quantize(Decimal(1).scaleb(exponent - digits + 1), rounding=ROUND_HALF_UP)
    if rounded.adjusted() > exponent:  # 9.9996 -> 10.00: one more digit before the point
        exponent += 1
        rounded = exact.quantize(Decimal(1).scaleb(exponent - digits + 1), rounding=ROUND_HALF_UP)
    return rounded, exponent


def _js_number_text(value: float) -> str:
    """Number.prototype.toString for a finite double between 1e-7 and 1e21 (fixed notation)."""
    text = repr(float(value))
    if "e" in text:  # repr switches to exponents earlier than JavaScript does
        text = format(Decimal(text), "f")
    return text[:-2] if text.endswith(".0") else text


def format_number(value: Any, digits: int = 4) -> str:
    """static/js/core/format.js formatNumber: 4 significant digits, exponents for tiny and huge."""
    if value is None:
        return "∞"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if value == 0:
        return "0"
    rounded, exponent = _round_significant(float(value), digits)
    if abs(value) >= 1e5 or abs(value) < 1e-4:
        mantissa = format(rounded.scaleb(-exponent), f".{digits - 1}f")
        return f"{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent)}"
    return _js_number_text(float(rounded))


# --- what the page should show, from the API's JSON ----------------------------------------------

def stage_label(stage: dict) -> str:
    if stage["phase"] == "forward":
        return f"Forward, layer {stage['layer']}"
    if stage["phase"] == "backward":
        return f"Backward, layer {stage['layer']}"
    return "Loss" if stage["phase"] == "loss" else "Update"


def find_stage(trace: dict, phase: str, layer: int | None = None) -> dict:
    return next(s for s in trace["stages"]
                if s["phase"] == phase and (layer is None or s.get("layer") == layer))


def depth(trace: dict) -> int:
    return sum(1 for s in trace["stages"] if s["phase"] == "forward")


def layer_sizes(trace: dict) -> list[int]:
    weights = trace["params_before"]["weights"]
    return [len(weights[0][0]), *(len(w) for w in weights)]


def activations_of(trace: dict, layer: int, inputs: list) -> list:
    """a^l for the batch: a forward stage's activation, or the inputs for l = 0."""
    return inputs if layer == 0 else find_stage(trace, "forward", layer)["activation"]


def expected_neuron_texts(trace: dict, stage_index: int, inputs: list, sample: int = 0) -> dict:
    """Each neuron's number in the neuron view at a stage (neuron-model.js neuronQuantity), as
    the 3-digit text the diagram writes, "" for a neuron not computed yet."""
    stages = trace["stages"][:stage_index + 1]
    reached = {(s["phase"], s.get("layer")): s for s in stages}
    sizes = layer_sizes(trace)
    L = len(sizes) - 1
    texts = {}
    for l, n in enumerate(sizes):
        for j in range(n):
            if ("backward", l) in reached:
                value = reached[("backward", l)]["delta"][sample][j]
            elif l == L and ("loss", None) in reached:
                value = reached[("loss", None)]["grad_output"][sample][j]
            elif l == 0:
                value = inputs[sample][j]
            elif ("forward", l) in reached:
                value = reached[("forward", l)]["activation"][sample][j]
            else:
                texts[f"{l}-{j}"] = ""
                continue
            texts[f"{l}-{j}"] = format_number(value, 3)
    return texts


def expected_active_neurons(trace: dict, stage_index: int) -> set[str]:
    """The neurons a stage highlights: its layer's, the output layer's for the loss, none for
    the update."""
    stage = trace["stages"][stage_index]
    sizes = layer_sizes(trace)
    if stage["phase"] in ("forward", "backward"):
        layer = stage["layer"]
    elif stage["phase"] == "loss":
        layer = len(sizes) - 1
    else:
        return set()
    return {f"{layer}-{j}" for j in range(sizes[layer])}


def expected_active_weight_layers(trace: dict, stage_index: int) -> set[int]:
    stage = trace["stages"][stage_index]
    if stage["phase"] in ("forward", "backward"):
        return {stage["layer"]}
    if stage["phase"] == "update":
        return set(range(1, depth(trace) + 1))
    return set()


def expected_formulas(trace: dict, stage_index: int, inputs: list, sample: int = 0,
                      weight: tuple[int, int] | None = None) -> list[tuple[str, dict]]:
    """The stage panel's formulas and their slots' numbers with no neuron selected (neuron 1,
    weight (1, 1), or `weight` = (j, k) in the stage's layer), as stage-panel.js fills them."""
    stage = trace["stages"][stage_index]
    L = depth(trace)
    loss = find_stage(trace, "loss")
    N = len(trace["stages"][0]["pre_activation"])
    i = sample
    phase = stage["phase"]
    if phase == "forward":
        l = stage["layer"]
        z, a = stage["pre_activation"][i][0], stage["activation"][i][0]
        return [("pre_activation", {"l": l, "j": 1, "prev": l - 1, "z": z}),
                ("activation", {"l": l, "j": 1, "z": z, "a": a})]
    if phase == "loss":
        # With an L2 penalty: C = C0 + penalty first, then the loss on the data alone.
        total = [] if stage.get("penalty") is None else [("loss_penalty", {
            "data": stage["data_loss"], "penalty": stage["penalty"], "loss": stage["loss"]})]
        data = stage["data_loss"] if total else stage["loss"]
        return [*total, (f"loss_{stage['loss_name']}", {"loss": data}),
                ("grad_output", {"l": L, "j": 1, "grad": stage["grad_output"][i][0]})]
    if phase == "backward":
        l = stage["layer"]
        wj, wk = weight or (0, 0)
        forward = find_stage(trace, "forward", l)
        blocks = []
        fprime = (stage["activation_derivative"][i][0]
                  if stage.get("activation_derivative") is not None else None)
        if l == L and loss["loss_name"] in FUSED_LOSSES:
            blocks.append(("delta_output_fused", {"l": l, "j": 1, "a": forward["activation"][i][0],
                                                  "y": loss["targets"][i][0], "n": N,
                                                  "delta": stage["delta"][i][0]}))
        elif l == L:
            blocks.append(("delta_output", {"l": l, "j": 1, "grad": loss["grad_output"][i][0],
                                            "fprime": fprime, "delta": stage["delta"][i][0]}))
        else:
            blocks.append(("delta_hidden", {"l": l, "j": 1, "next": l + 1, "fprime": fprime,
                                            "sum": stage["grad_activation"][i][0],
                                            "delta": stage["delta"][i][0]}))
        if N == 1:
            blocks.append(("grad_weight", {
                "l": l, "j": wj + 1, "k": wk + 1, "prev": l - 1,
                "a": activations_of(trace, l - 1, inputs)[0][wk], "delta": stage["delta"][0][wj],
                "grad": stage["grad_weights"][wj][wk]}))
        else:
            blocks.append(("batch_mean", {"grad": stage["grad_weights"][wj][wk]}))
        blocks.append(("grad_bias", {"l": l, "j": 1, "grad": stage["grad_biases"][0]}))
        return blocks
    backward = find_stage(trace, "backward", 1)
    return [("update", {"w": trace["params_before"]["weights"][0][0][0],
                        "grad": backward["grad_weights"][0][0],
                        "new": stage["weights"][0][0][0], "eta": stage["learning_rate"]})]


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def node_text(node: dict, kinds: list[dict]) -> str:
    """A graph node as the page names it (trace/notation.js nodeText): w¹₁₂, W², x₁, C."""
    kind = next((k for k in kinds if k["kind"] == node["kind"]), None)
    if kind is None or kind["symbol"] is None:
        return node["name"]
    whole = node["index"] is None
    base = kind["whole"] if whole else kind["symbol"]
    layer = str(node["layer"]).translate(SUPERSCRIPT) if kind["layered"] else ""
    parts = [] if whole else [i + 1 for i in node["index"]]
    index = ("," if any(p > 9 for p in parts) else "").join(map(str, parts)).translate(SUBSCRIPT)
    return f"{base}{layer}{index}"


# --- the API, as the page calls it --------------------------------------------------------------

class Api:
    """The JSON API of the live server, called directly."""

    def __init__(self, base_url: str):
        self.client = httpx.Client(base_url=base_url, timeout=30)
        self._presets = None

    def post(self, path: str, body: dict) -> dict:
        response = self.client.post(path, json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def catalog(self) -> dict:
        response = self.client.get("/api/v1/catalog")
        assert response.status_code == 200, response.text
        return response.json()

    def presets(self) -> dict:
        if self._presets is None:
            response = self.client.get("/api/v1/presets")
            assert response.status_code == 200, response.text
            self._presets = {preset["name"]: preset for preset in response.json()}
        return self._presets

    def dataset(self, name: str, samples: int, noise: float, seed: int) -> dict:
        return self.post(f"/api/v1/datasets/{name}",
                         {"samples": samples, "noise": noise, "seed": seed})

    def iteration(self, body: dict) -> dict:
        return self.post("/api/v1/iterations", body)

    def close(self):
        self.client.close()


def iteration_body(network: dict, seed: int, learning_rate: float, inputs: list, targets: list,
                   batch_size: int, params: dict | None = None, init: str = "auto",
                   update_order: str = "after_backward") -> dict:
    """playground.js iterationBody: the first `batch_size` rows, granularity "layer"."""
    size = max(1, min(batch_size, len(inputs)))
    body = {"network": network, "seed": seed, "init": init, "learning_rate": learning_rate,
            "update_order": update_order, "granularity": "layer",
            "inputs": inputs[:size], "targets": targets[:size]}
    if params is not None:
        body["params"] = params
    return body


def open_preset(pg: Playground, api: Api, name: str) -> tuple[dict, dict]:
    """Open the playground on a preset, check that the page got the API's own trace for the
    preset's iteration body, and return that trace and body."""
    pg.open()
    trace = pg.choose_preset(name)
    body, _ = preset_body(api, name)
    assert trace == api.iteration(body)
    return trace, body


def preset_body(api: Api, name: str, **changes) -> tuple[dict, list]:
    """The iteration body the page sends for a preset (and the full dataset's inputs)."""
    preset = api.presets()[name]
    data = preset["data"]
    if "dataset" in data:
        reference = data["dataset"]
        points = api.dataset(reference["name"], reference["samples"], reference["noise"],
                             reference["seed"])
        rows = reference["samples"]
    else:
        points = data
        rows = len(points["inputs"])
    settings = {"network": preset["network"], "seed": preset["seed"],
                "learning_rate": preset["learning_rate"], "params": preset["params"],
                "batch_size": min(preset["batch_size"] or rows, 512)}
    settings.update(changes)
    return iteration_body(inputs=points["inputs"], targets=points["targets"], **settings), points


# --- waiting without fixed sleeps --------------------------------------------------------------

def until(page, read, expected, timeout: float = 5.0, message: str = ""):
    """Read the page until `read()` equals `expected`, then return it; after `timeout` seconds,
    fail showing both. Polls every animation frame or so: the page's own timing decides."""
    deadline = time.monotonic() + timeout
    while True:
        got = read()
        if got == expected:
            return got
        if time.monotonic() > deadline:
            assert got == expected, message or "the page did not show what was expected"
        page.wait_for_timeout(25)


def watch(page):
    """Record console errors, page errors and failed requests in `page.problems`, as the page
    fixture does, for pages a test opens itself."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    page.problems = problems
    return page


def is_iteration(response_or_request) -> bool:
    request = getattr(response_or_request, "request", response_or_request)
    return request.method == "POST" and request.url.endswith("/api/v1/iterations")


class Playground:
    """The playground as a learner uses it: presets, the stepper, the diagram, the panels."""

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url

    # navigation
    def open(self, hash_: str = "") -> Playground:
        """Load /playground (with a state hash) and wait for the first trace to be drawn."""
        with self.page.expect_response(is_iteration) as response:
            self.page.goto(f"{self.base_url}/playground{hash_}")
        self.last_trace = response.value.json()
        self.last_request = response.value.request.post_data_json
        self.page.wait_for_selector("body[data-ready='true']")
        self.page.wait_for_selector("[data-neuron='0-0'], [data-node-id]")
        until(self.page, self.stage_label, stage_label(
            self.last_trace["stages"][min(self.state_stage(), len(self.last_trace["stages"]) - 1)]))
        return self

    def state_stage(self) -> int:
        """The stage index the URL asks for (0 without one)."""
        for part in self.page.url.partition("#")[2].split("&"):
            if part.startswith("stage="):
                return int(part[len("stage="):])
        return 0

    def choose_preset(self, name: str) -> dict:
        """Pick a preset in the top bar; returns the trace the page received for it, once drawn."""
        with self.page.expect_response(is_iteration) as response:
            self.page.get_by_test_id("preset-picker").select_option(name)
        self.last_request = response.value.request.post_data_json
        self.last_trace = response.value.json()
        sizes = layer_sizes(self.last_trace)
        until(self.page, self.neuron_count, sum(sizes))
        return self.last_trace

    def open_settings(self):
        """Slide the network's settings in (they live in a drawer in the wide layout)."""
        toggle = self.page.get_by_test_id("settings-toggle")
        if toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
        self.page.locator("[data-control='network'] [data-testid='hidden-layers']").wait_for()
        self.page.wait_for_function(
            "() => !document.getAnimations().some((a) => a.playState === 'running')")

    def open_data_editing(self):
        """Open the data panel's "Change the data" fields."""
        self.page.locator("details.data-edit").evaluate("d => { d.open = true; }")

    # reading the stepper and the diagram
    def stage_label(self) -> str:
        return self.page.get_by_test_id("stage-label").inner_text()

    def stage_position(self) -> str:
        return self.page.get_by_test_id("stage-position").inner_text()

    def event_position(self) -> str:
        return self.page.get_by_test_id("event-position").inner_text()

    def neuron_count(self) -> int:
        return self.page.locator("[data-neuron]").count()

    def active_neurons(self) -> set[str]:
        return set(self.page.eval_on_selector_all(
            "[data-neuron].active", "els => els.map((e) => e.dataset.neuron)"))

    def active_weight_layers(self) -> set[int]:
        return set(self.page.eval_on_selector_all(
            "[data-weight].active",
            "els => els.map((e) => Number(e.dataset.weight.split('-')[0]))"))

    def neuron_texts(self) -> dict[str, str]:
        """Each neuron's number as drawn (its last <text>; the first is its symbol)."""
        return dict(self.page.eval_on_selector_all("[data-neuron]", """els => els.map((e) => {
            const texts = e.querySelectorAll('text');
            return [e.dataset.neuron, texts.length > 1 ? texts[texts.length - 1].textContent : ''];
        })"""))

    def formulas(self, root: str = "[data-testid='formula']") -> list[tuple[str, dict]]:
        """The formula blocks under `root`: their names and slots, each slot's data-value as a
        number (None for a slot showing a dash)."""
        blocks = self.page.eval_on_selector_all(f"{root} [data-formula]", """els => els.map((b) => [
            b.dataset.formula,
            [...b.querySelectorAll('[data-slot]')].map((s) => [s.dataset.slot,
              s.hasAttribute('data-value') ? s.dataset.value : null, s.textContent]),
        ])""")
        out = []
        for name, slots in blocks:
            values = {}
            for slot, raw, text in slots:
                value = None if raw is None else float(raw)
                if raw is not None:
                    assert text == format_number(value), f"{name}.{slot}: {text!r} for {raw}"
                values[slot] = value
            out.append((name, values))
        return out

    def stage_view(self) -> dict:
        """Everything the stage test compares, in one read."""
        return {"label": self.stage_label(), "position": self.stage_position(),
                "active": self.active_neurons(), "weights": self.active_weight_layers(),
                "neurons": self.neuron_texts(), "formulas": self.formulas()}

    # acting
    def button(self, name: str):
        return self.page.get_by_role("button", name=name, exact=True)

    def blur(self):
        """Move focus off any control, as a click on the page's text would."""
        self.page.get_by_test_id("stage-description").click()

    def settle(self):
        """Wait for the diagram's pulses and colour transitions to finish."""
        self.page.wait_for_function(
            "() => document.getAnimations().every((a) => a.playState !== 'running')",
            timeout=5000)

    def screenshot(self, artifacts, name: str, selector: str | None = None,
                   full_page: bool = False):
        """Save a screenshot under tests/artifacts once the animations have settled."""
        self.settle()
        path = str(artifacts / f"playground-{name}.png")
        if selector:
            self.page.locator(selector).screenshot(path=path)
        else:
            self.page.screenshot(path=path, full_page=full_page)


def expected_stage_view(trace: dict, stage_index: int, inputs: list, sample: int = 0) -> dict:
    """What Playground.stage_view should read at a stage, with nothing selected."""
    stage = trace["stages"][stage_index]
    return {"label": stage_label(stage),
            "position": f"{stage_index + 1} / {len(trace['stages'])}",
            "active": expected_active_neurons(trace, stage_index),
            "weights": expected_active_weight_layers(trace, stage_index),
            "neurons": expected_neuron_texts(trace, stage_index, inputs, sample),
            "formulas": expected_formulas(trace, stage_index, inputs, sample)}


def shape_of(value) -> list[int]:
    shape = []
    while isinstance(value, list):
        shape.append(len(value))
        value = value[0]
    return shape


def entry(value, index):
    for i in index:
        value = value[i]
    return value


def expected_node_event(trace: dict, event: dict) -> list[tuple[str, dict]]:
    """The upstream × local = sent formulas of a backward node event with nothing selected and
    sample 1 (stage-panel.js sentBlock): one per parent where the product is elementwise."""
    nodes = {node["id"]: node for node in trace["graph"]["nodes"]}
    blocks = []
    for sent in event["sent"]:
        local = next(d for d in event["local"] if d["parent"] == sent["parent"])
        up, loc, out = shape_of(event["upstream"]), shape_of(local["value"]), shape_of(sent["grad"])
        elementwise = (not up or up == out) if loc == out else (not loc and up == out)
        if not elementwise:
            continue
        index = [0] * len(nodes[sent["parent"]]["shape"])
        blocks.append(("node_event", {
            "upstream": entry(event["upstream"], index) if up else event["upstream"],
            "local": entry(local["value"], index) if loc else local["value"],
            "sent": entry(sent["grad"], index)}))
    return blocks
