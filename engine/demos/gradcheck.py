"""Gradient checking: backprop's dC/dparam beside central finite differences, entry by entry."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from engine.autodiff.graph import backward
from engine.networks.network import build, index_label, loss_value
from engine.networks.spec import NetworkSpec, Params, SpecError, check_data
from engine.views.serialize import clean

MAX_GRADCHECK_PARAMETERS = 2000
MAX_STEP = 1e-2
# The central difference's own rounding error is about eps |C| / h (C is evaluated to a few ulps
# and the difference divided by 2h), near 2e-10 for |C| = 1 and h = 1e-6. Entries smaller than
# FLOOR_FACTOR times that are compared on that scale instead of their own: an entry at the
# rounding level then reads as a relative error near 1e-7 rather than anything up to 1, while a
# real error above ~1e-9 still stands out. For |C| <= 1 and h = 1e-6 the floor is about 2.2e-3.
FLOOR_FACTOR = 1e7


@dataclass(frozen=True)
class GradientRow:
    """One parameter entry: index is 0-based as in the arrays, name 1-based as in the maths."""

    layer: int
    kind: str
    index: tuple[int, ...]
    name: str
    backprop: float
    numerical: float
    relative_error: float

    def to_dict(self) -> dict:
        return {
            "layer": self.layer,
            "kind": self.kind,
            "index": list(self.index),
            "name": self.name,
            "backprop": clean(self.backprop),
            "numerical": clean(self.numerical),
            "relative_error": clean(self.relative_error),
        }


@dataclass(frozen=True)
class GradientCheck:
    """Every parameter entry's two gradients, the worst relative error and the work it took."""

    rows: list[GradientRow]
    backprop: Params
    numerical: Params
    loss: float
    step: float
    floor: float
    passes: int

    @property
    def max_relative_error(self) -> float:
        return max((row.relative_error for row in self.rows), default=0.0)

    def to_dict(self) -> dict:
        return {
            "rows": [row.to_dict() for row in self.rows],
            "max_relative_error": clean(self.max_relative_error),
            "loss": clean(self.loss),
            "step": self.step,
            "floor": clean(self.floor),
            "passes": self.passes,
            "parameter_count": len(self.rows),
        }


def parameter_entries(spec: NetworkSpec) -> Iterator[tuple[int, str, tuple[int, ...]]]:
    """(layer, "weight" or "bias", index) for every entry, in the order W^1, b^1, W^2, b^2, ..."""
    for layer in range(1, spec.depth + 1):
        for index in np.ndindex(spec.weight_shape(layer)):
            yield layer, "weight", index
        for index in np.ndindex(spec.layer_sizes[layer]):
            yield layer, "bias", index


def entry_name(layer: int, kind: str, index: tuple[int, ...]) -> str:
    """The network's node name for one entry: w2_13 is W^2[0, 2], b2_1 is b^2[0]."""
    return f"{'w' if kind == 'weight' else 'b'}{layer}_{index_label(*index)}"


def _array(params: Params, layer: int, kind: str) -> np.ndarray:
    return (params.weights if kind == "weight" else params.biases)[layer - 1]


def _check_size(spec: NetworkSpec) -> None:
    if spec.parameter_count > MAX_GRADCHECK_PARAMETERS:
        raise SpecError("network", f"finite differences need two forward passes per parameter "
                        f"and are limited to {MAX_GRADCHECK_PARAMETERS} parameters; this network "
                        f"has {spec.parameter_count}")


def _check_step(step: float) -> float:
    step = float(step)
    if not (math.isfinite(step) and 0.0 < step <= MAX_STEP):
        raise SpecError("step", f"must be a number in (0, {MAX_STEP:g}], got {step:g}")
    return step


def numerical_gradient(spec: NetworkSpec, params: Params, inputs, targets,
                       step: float = 1e-6) -> Params:
    """dC/dp ~ (C(p + h) - C(p - h)) / 2h for every entry p, two forward passes each."""
    _check_size(spec)
    step = _check_step(step)
    x, y = check_data(spec, inputs, targets)
    shifted = params.copy()
    grad = Params([np.zeros_like(w) for w in params.weights],
                  [np.zeros_like(b) for b in params.biases])
    for layer, kind, index in parameter_entries(spec):
        values = _array(shifted, layer, kind)
        original = values[index]
        values[index] = original + step
        up = loss_value(spec, shifted, x, y)
        values[index] = original - step
        down = loss_value(spec, shifted, x, y)
        values[index] = original
        _array(grad, layer, kind)[index] = (up - down) / (2.0 * step)
    return grad


def backprop_gradient(spec: NetworkSpec, params: Params, inputs, targets,
                      granularity: str = "layer") -> tuple[Params, float]:
    """dC/dp for every entry by one forward pass and one backward pass, with C itself."""
    x, y = check_data(spec, inputs, targets)
    built = build(spec, params, x, y, granularity)
    backward(built.loss)
    layers = range(1, spec.depth + 1)
    grad = Params([built.grad_weights(layer).copy() for layer in layers],
                  [built.grad_biases(layer).copy() for layer in layers])
    return grad, float(built.loss.value)


def error_floor(loss: float, step: float) -> float:
    """The smallest scale an entry is compared on: FLOOR_FACTOR * eps * max(|C|, 1) / h."""
    return FLOOR_FACTOR * float(np.finfo(np.float64).eps) * max(abs(loss), 1.0) / step


def relative_error(analytic: float, numeric: float, floor: float) -> float:
    """|a - n| / max(|a|, |n|, floor)."""
    return abs(analytic - numeric) / max(abs(analytic), abs(numeric), floor)


def gradient_check(spec: NetworkSpec, params: Params, inputs, targets, step: float = 1e-6,
                   granularity: str = "layer") -> GradientCheck:
    """Backprop against central differences for every parameter entry (2P forward passes)."""
    _check_size(spec)
    step = _check_step(step)
    analytic, loss = backprop_gradient(spec, params, inputs, targets, granularity)
    numeric = numerical_gradient(spec, params, inputs, targets, step)
    floor = error_floor(loss, step)
    rows = []
    for layer, kind, index in parameter_entries(spec):
        a = float(_array(analytic, layer, kind)[index])
        n = float(_array(numeric, layer, kind)[index])
        rows.append(GradientRow(layer, kind, tuple(int(i) for i in index),
                                entry_name(layer, kind, index), a, n, relative_error(a, n, floor)))
    return GradientCheck(rows, analytic, numeric, loss, step, floor, 2 * len(rows))
