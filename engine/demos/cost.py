"""Why backprop is cheap: passes and wall time of reverse mode, forward mode and finite differences.

Each network is (2, w, ..., w, 1) with `depth` tanh hidden layers of width w and a sigmoid output
under binary cross-entropy. For P parameters, one gradient costs reverse mode 2 passes (forward
and backward), forward mode P + 1 (a forward pass, then one tangent pass per parameter) and
central finite differences 2P forward passes. Times are the best of `repeats` runs, and also
given as a ratio to one forward pass, since absolute times differ between machines.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from engine.demos.forward_mode import forward_mode_gradient
from engine.demos.gradcheck import MAX_GRADCHECK_PARAMETERS, backprop_gradient, numerical_gradient
from engine.networks.init import init_params
from engine.networks.network import loss_value
from engine.networks.spec import NetworkSpec, Params, SpecError
from engine.views.serialize import clean

MAX_COST_WIDTH = 32
MAX_COST_WIDTHS = 6
MAX_COST_DEPTH = 4
MAX_COST_BATCH = 256
MAX_COST_REPEATS = 10
MAX_SEED = 2**32 - 1
# Every pass of every method, row and repeat together: a few seconds at tens of microseconds each.
MAX_COST_PASSES = 60_000


@dataclass(frozen=True)
class MethodCost:
    """One way of computing the gradient: passes over the graph, best time, time / forward pass."""

    passes: int
    seconds: float
    ratio: float

    def to_dict(self) -> dict:
        return {"passes": self.passes, "seconds": clean(self.seconds), "ratio": clean(self.ratio)}


@dataclass(frozen=True)
class CostRow:
    """One network: its size, the three methods' costs and how far apart their gradients are."""

    width: int
    layer_sizes: tuple[int, ...]
    parameters: int
    forward_pass_seconds: float
    reverse: MethodCost
    forward_mode: MethodCost
    finite_differences: MethodCost
    max_abs_difference: float

    def to_dict(self) -> dict:
        return {
            "width": self.width,
            "layer_sizes": list(self.layer_sizes),
            "parameters": self.parameters,
            "forward_pass_seconds": clean(self.forward_pass_seconds),
            "reverse": self.reverse.to_dict(),
            "forward_mode": self.forward_mode.to_dict(),
            "finite_differences": self.finite_differences.to_dict(),
            "max_abs_difference": clean(self.max_abs_difference),
        }


def cost_spec(width: int, depth: int) -> NetworkSpec:
    """(2, width x depth, 1): tanh hidden layers, a sigmoid output, binary cross-entropy."""
    return NetworkSpec((2, *[width] * depth, 1), ("tanh",) * depth + ("sigmoid",),
                       "binary_cross_entropy")


def method_passes(parameters: int) -> dict[str, int]:
    """Passes per gradient: reverse 2, forward mode P + 1, finite differences 2P."""
    return {"reverse": 2, "forward_mode": parameters + 1, "finite_differences": 2 * parameters}


def _integer(value, field: str, low: int, high: int) -> int:
    try:
        number = operator.index(value)
    except TypeError as error:
        raise SpecError(field, f"must be a whole number, got {value!r}") from error
    if not low <= number <= high:
        raise SpecError(field, f"must be between {low} and {high}, got {number}")
    return number


def _check(widths, depth, batch, repeats, seed) -> tuple[list[int], int, int, int, int]:
    """The arguments as ints, sorted distinct widths, within the limits and the pass budget."""
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise SpecError("widths", "must be a list of layer widths")
    if not 1 <= len(widths) <= MAX_COST_WIDTHS:
        raise SpecError("widths", f"needs between 1 and {MAX_COST_WIDTHS} widths, "
                        f"got {len(widths)}")
    checked = sorted({_integer(w, "widths", 1, MAX_COST_WIDTH) for w in widths})
    depth = _integer(depth, "depth", 1, MAX_COST_DEPTH)
    batch = _integer(batch, "batch", 1, MAX_COST_BATCH)
    repeats = _integer(repeats, "repeats", 1, MAX_COST_REPEATS)
    seed = _integer(seed, "seed", 0, MAX_SEED)
    counts = [cost_spec(w, depth).parameter_count for w in checked]
    if counts[-1] > MAX_GRADCHECK_PARAMETERS:
        raise SpecError("widths", f"width {checked[-1]} at depth {depth} has {counts[-1]} "
                        f"parameters; finite differences are limited to "
                        f"{MAX_GRADCHECK_PARAMETERS}")
    total = repeats * sum(1 + sum(method_passes(p).values()) for p in counts)
    if total > MAX_COST_PASSES:
        raise SpecError("widths", f"these widths need {total} passes with {repeats} repeats, "
                        f"more than the limit of {MAX_COST_PASSES}: use fewer or smaller widths, "
                        f"or fewer repeats")
    return checked, depth, batch, repeats, seed


def _best_time(run: Callable, repeats: int):
    """min over repeats of the wall time of run(), with run()'s last result."""
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def _max_abs_difference(*grads: Params) -> float:
    """max |g_a - g_b| over every entry and every pair of gradients."""
    flat = [np.concatenate([a.ravel() for a in (*g.weights, *g.biases)]) for g in grads]
    return max(float(np.max(np.abs(a - b))) for i, a in enumerate(flat) for b in flat[i + 1:])


def _row(width: int, depth: int, x: np.ndarray, y: np.ndarray, seed: int,
         repeats: int) -> CostRow:
    """Time one forward pass and the three gradient methods on one network."""
    spec = cost_spec(width, depth)
    params = init_params(spec, seed)
    forward, _ = _best_time(lambda: loss_value(spec, params, x, y), repeats)
    reverse, (by_reverse, _) = _best_time(lambda: backprop_gradient(spec, params, x, y), repeats)
    tangent, (by_tangents, _) = _best_time(lambda: forward_mode_gradient(spec, params, x, y),
                                           repeats)
    finite, by_differences = _best_time(lambda: numerical_gradient(spec, params, x, y), repeats)
    passes = method_passes(spec.parameter_count)
    seconds = {"reverse": reverse, "forward_mode": tangent, "finite_differences": finite}
    costs = {name: MethodCost(passes[name], seconds[name], seconds[name] / forward)
             for name in passes}
    return CostRow(width, spec.layer_sizes, spec.parameter_count, forward, costs["reverse"],
                   costs["forward_mode"], costs["finite_differences"],
                   _max_abs_difference(by_reverse, by_tangents, by_differences))


def compare_costs(widths=(2, 4, 8, 16), depth: int = 2, batch: int = 16, seed: int = 0,
                  repeats: int = 3) -> list[CostRow]:
    """One row per width, ordered by parameter count P: cost of one gradient three ways."""
    widths, depth, batch, repeats, seed = _check(widths, depth, batch, repeats, seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, 2))
    y = (x[:, :1] * x[:, 1:] > 0).astype(np.float64)
    return [_row(w, depth, x, y, seed, repeats) for w in widths]
