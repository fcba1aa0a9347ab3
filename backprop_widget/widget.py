"""`Playground`, the notebook widget: the page's playground component in a notebook cell, its
requests answered by the engine inside the kernel, its trace and parameters readable from
Python and its stepping driven from Python."""

from __future__ import annotations

import json

import anywidget
import orjson
import traitlets

from backprop_widget.frontend import css, esm
from backprop_widget.requests import answer
from engine.data.datasets import generate
from engine.data.presets import PRESETS_BY_NAME

LINK_BASE = "http://127.0.0.1:8000/playground"  # where `make run` serves the page
# The data and training panels draw with plotly.js, which the widget does not load.
HIDDEN = ("data", "train")


class PlaygroundError(ValueError):
    """A network, data or setting the API would refuse; the message names the field."""


def points_of(data) -> dict:
    """Data as the playground's points: a dataset's name, {name, samples, noise, seed},
    {inputs, targets} or (inputs, targets); arrays become lists."""
    if isinstance(data, str):
        data = {"name": data}
    if isinstance(data, dict) and "name" in data:
        drawn = generate(data["name"], data.get("samples", 100), data.get("noise", 0.1),
                         data.get("seed", 0))
        return {"inputs": drawn.inputs.tolist(), "targets": drawn.targets.tolist()}
    inputs, targets = (data["inputs"], data["targets"]) if isinstance(data, dict) else data
    return {"inputs": [list(map(float, row)) for row in inputs],
            "targets": [list(map(float, row)) for row in targets]}


def starting_options(network, data, params, preset, learning_rate, batch, seed, hide) -> dict:
    """The options the front end starts from: a preset's, with the arguments given on top."""
    if preset is not None and preset not in PRESETS_BY_NAME:
        raise PlaygroundError(f"preset: unknown preset {preset!r}; known: "
                              f"{', '.join(PRESETS_BY_NAME)}")
    base = PRESETS_BY_NAME[preset or "tiny-2-2-2"]
    if network is not None and data is None and preset is None:
        raise PlaygroundError("data: give data for the network (a dataset's name, or inputs "
                              "and targets)")
    own = network is not None and network != base["network"]
    reference = base["data"].get("dataset")
    return {
        "network": network or base["network"],
        "params": params if params is not None else (None if own else base["params"]),
        "points": points_of(data if data is not None else reference or base["data"]),
        "learning_rate": learning_rate if learning_rate is not None else base["learning_rate"],
        "batch": batch,
        "seed": seed if seed is not None else base["seed"],
        "hide": list(hide),
    }


class Playground(anywidget.AnyWidget):
    """The playground in a notebook: `Playground(network=..., data=...)` or
    `Playground(preset="xor")`; read `trace` and `params`, step with `step()`."""

    _esm = traitlets.Unicode().tag(sync=True)
    _css = traitlets.Unicode().tag(sync=True)
    options = traitlets.Dict().tag(sync=True)
    link_base = traitlets.Unicode(LINK_BASE).tag(sync=True)
    stage = traitlets.Int(0).tag(sync=True)  # the stage the front end shows

    def __init__(self, network: dict | None = None, data=None, *, params: dict | None = None,
                 preset: str | None = None, learning_rate: float | None = None, batch: int = 8,
                 seed: int | None = None, hide=HIDDEN, **kwargs):
        options = starting_options(network, data, params, preset, learning_rate, batch, seed,
                                   hide)
        super().__init__(_esm=esm(), _css=css(), options=options, **kwargs)
        self._trace = self._request("POST", "/api/v1/iterations", self.iteration_body())
        self.on_msg(self._on_message)

    def iteration_body(self) -> dict:
        """The POST /api/v1/iterations body the front end starts with (its first batch)."""
        options = self.options
        points = options["points"]
        rows = max(1, min(options["batch"], len(points["inputs"])))
        body = {"network": options["network"], "seed": options["seed"], "init": "auto",
                "learning_rate": options["learning_rate"], "update_order": "after_backward",
                "granularity": "layer", "inputs": points["inputs"][:rows],
                "targets": points["targets"][:rows]}
        if options["params"] is not None:
            body["params"] = options["params"]
        return body

    @property
    def trace(self) -> dict:
        """The iteration the widget shows: its stages, parameters before and after, graph."""
        return self._trace

    @property
    def params(self) -> dict:
        """The network's parameters as they are in the widget: {weights, biases}."""
        return self._trace["params_before"]

    def dispatch(self, action: dict) -> None:
        """Send the front end a stepping action: {type: next | previous | restart | jump | ...}."""
        self.send({"type": "action", "action": action})

    def step(self, count: int = 1) -> None:
        """Step the front end forward `count` stages (or node events, at the node level)."""
        for _ in range(count):
            self.dispatch({"type": "next"})

    def _request(self, method: str, path: str, body) -> dict:
        """A request answered here, its JSON as data; an error as PlaygroundError."""
        status, data = answer(method, path, body)
        if status >= 400:
            (first, *_) = orjson.loads(data)["detail"]
            field = ".".join(str(p) for p in first["loc"] if p != "body")
            raise PlaygroundError(f"{field}: {first['msg']}")
        return json.loads(data)

    def _on_message(self, _widget, content: dict, buffers) -> None:
        """Answer a request from the front end, or keep the trace it now shows."""
        if not isinstance(content, dict):
            return
        if content.get("type") == "trace" and isinstance(content.get("trace"), dict):
            self._trace = content["trace"]
        elif content.get("type") == "request":
            status, data = answer(content.get("method"), content.get("path"), content.get("body"))
            self.send({"type": "response", "id": content.get("id"), "status": status}, [data])
