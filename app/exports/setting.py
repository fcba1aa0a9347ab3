"""What an export writes down: the network, its parameters, the batch and the settings of one
iteration request (the optimiser, its state and the L2 penalty among them), with numbers written
as exact Python literals, and the template renderer."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
import numpy as np

from app.convert import optimizer_from, params_from, spec_from
from app.schemas.iterations import IterationRequest
from engine.learning.optimizers import OptimizerState, Settings
from engine.limits import MAX_PER_SAMPLE
from engine.networks.activations import ACTIVATIONS
from engine.networks.losses import LOSSES, Loss
from engine.networks.spec import NetworkSpec, SpecError, check_data

TEMPLATES = Path(__file__).resolve().parent / "templates"


def literal(array) -> str:
    """Numbers as a Python literal that reads back bit for bit (repr of each float)."""
    return json.dumps(np.asarray(array, dtype=np.float64).tolist())


@dataclass(frozen=True)
class Setting:
    """One iteration as an export sees it: shapes and names, numbers as literals."""

    spec: NetworkSpec
    weights: list[str]
    biases: list[str]
    inputs: str
    targets: str
    batch: int
    learning_rate: float
    eager: bool
    optimizer: Settings | None = None           # None: plain SGD
    optimizer_state: OptimizerState | None = None  # None: a fresh start

    @property
    def depth(self) -> int:
        return self.spec.depth

    @property
    def activations(self) -> tuple[str, ...]:
        return self.spec.activations

    @property
    def l2(self) -> float:
        """λ of the L2 penalty on the weights (0: none)."""
        return self.spec.l2

    @property
    def loss(self) -> Loss:
        return LOSSES[self.spec.loss]

    @property
    def has_derivative(self) -> list[bool]:
        """Whether each layer's activation has an entry-by-entry derivative (not softmax)."""
        return [not ACTIVATIONS[name].output_only for name in self.activations]


def setting_from(request: IterationRequest) -> Setting:
    """The request's network, parameters (given or drawn from the seed), optimiser, state and
    batch, checked as POST /api/v1/iterations checks them."""
    spec = spec_from(request.network, request.l2)
    params = params_from(spec, request.params, request.seed, request.init)
    optimizer, state = optimizer_from(spec, request)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    return Setting(spec, [literal(w) for w in params.weights], [literal(b) for b in params.biases],
                   literal(inputs), literal(targets), len(inputs), request.learning_rate,
                   request.update_order == "eager", optimizer, state)


def refuse_unless(setting: Setting, table: dict, language: str) -> None:
    """A 422 naming the layer whose activation has no code in `language`."""
    for l, name in enumerate(setting.activations):
        if name not in table:
            raise SpecError(f"network.activations[{l}]", f"the activation {name!r} has no "
                                                         f"{language} export yet")


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), trim_blocks=True,
                              lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined, autoescape=False)


def render(template: str, setting: Setting, **extra) -> str:
    """A template filled in with the setting's names and numbers."""
    sizes = setting.spec.layer_sizes
    return environment().get_template(template).render(
        sizes="-".join(map(str, sizes)), sizes_list=list(sizes), depth=setting.depth,
        layers=list(range(1, setting.depth + 1)), activations=list(setting.activations),
        used_activations=sorted(set(setting.activations)), weights=setting.weights,
        biases=setting.biases, inputs=setting.inputs, targets=setting.targets,
        batch=setting.batch, learning_rate=repr(setting.learning_rate), eager=setting.eager,
        has_derivative=setting.has_derivative, per_sample=setting.batch <= MAX_PER_SAMPLE,
        l2=repr(setting.l2) if setting.l2 else None, **extra)
