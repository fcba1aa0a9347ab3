"""The loss surface over two parameters: the cost C on a grid of values of two chosen entries
(each a weight W^l[j, k] or a bias b^l[j]), every other parameter held where it is.

Each grid point is one forward pass. They are computed a block of points at a time with one more
array axis in front: the layers before the first varied one do not depend on the point and are
computed once, and from there on W^l, b^l, z^l and a^l carry a leading axis of grid points. The
activations and losses are the engine's own (each activation primitive's forward function, each
loss's per-sample function and the mean over the rows), so every number is the cost the engine's
forward pass gives at those parameters, up to the rounding of a differently grouped sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.demos.gradcheck import entry_name
from engine.limits import MAX_SURFACE_RESOLUTION, MAX_SURFACE_WORK
from engine.networks.activations import ACTIVATIONS
from engine.networks.losses import LOSSES
from engine.networks.spec import NetworkSpec, Params, SpecError

# Grid points per block: at most this many numbers in one layer's z^l (points x rows x neurons)
# or in one layer's stacked weights, so a block's arrays stay a few megabytes.
BLOCK_ENTRIES = 1 << 19
# Beside a multiply-add per parameter: the work of one row through one neuron's activation, and
# of one row's loss and the small arrays' fixed costs. Measured single-threaded on the 2-vCPU
# development machine across eight network shapes, a unit then took 0.25 to 0.85 ns of CPU
# time: a surface at the limit (engine/limits.py MAX_SURFACE_WORK) takes 0.05 to 0.17 s.
NEURON_UNITS = 4
ROW_UNITS = 20


@dataclass(frozen=True)
class Axis:
    """One parameter the surface varies, over [low, high]: W^l[index] for a weight (index (j,
    k)), b^l[index] for a bias (index (j,)); 0-based as in the arrays."""

    layer: int
    kind: str
    index: tuple[int, ...]
    low: float
    high: float

    @property
    def name(self) -> str:
        return entry_name(self.layer, self.kind, self.index)

    def check(self, spec: NetworkSpec, field: str) -> None:
        """A SpecError under `field` if the entry is not one of this network's parameters."""
        if not 1 <= self.layer <= spec.depth:
            raise SpecError(f"{field}.layer", f"must be a computing layer from 1 to {spec.depth}, "
                            f"got {self.layer}")
        if self.kind not in ("weight", "bias"):
            raise SpecError(f"{field}.kind", f"must be 'weight' or 'bias', got {self.kind!r}")
        shape = (spec.weight_shape(self.layer) if self.kind == "weight"
                 else (spec.layer_sizes[self.layer],))
        if len(self.index) != len(shape) or not all(0 <= i < n for i, n in
                                                     zip(self.index, shape, strict=True)):
            if self.kind == "weight":
                wanted = (f"W^{self.layer} has shape {shape[0]} x {shape[1]}: the index is "
                          f"[j, k] with 0 <= j < {shape[0]} and 0 <= k < {shape[1]}")
            else:
                wanted = (f"b^{self.layer} has {shape[0]} entries: the index is [j] with "
                          f"0 <= j < {shape[0]}")
            raise SpecError(f"{field}.index", f"{wanted}, got {list(self.index)}")
        if not (np.isfinite(self.high - self.low) and self.low < self.high):
            raise SpecError(f"{field}.high", f"must be above low ({self.low:g}) by a finite "
                            f"amount, got {self.high:g}")

    def value(self, params: Params) -> float:
        """The entry's value in `params`."""
        arrays = params.weights if self.kind == "weight" else params.biases
        return float(arrays[self.layer - 1][self.index])

    def grid(self, resolution: int) -> np.ndarray:
        return np.linspace(self.low, self.high, resolution)


@dataclass
class Surface:
    """cost[i, j] is C at (x[j], y[i]): the first axis's values along a row, the second's down a
    column (as a contour plot takes them)."""

    axes: tuple[Axis, Axis]
    x: np.ndarray
    y: np.ndarray
    cost: np.ndarray
    at: tuple[float, float]   # the two entries' values in the parameters given
    cost_at: float            # C at the parameters given
    work: int


def surface_work(spec: NetworkSpec, rows: int, resolution: int, axes: tuple[Axis, Axis]) -> int:
    """The surface's cost in units of about one multiply-add: every grid point (and the point
    of the parameters given) takes every row through the layers from the first varied one on."""
    first = min(axis.layer for axis in axes)
    sizes = spec.layer_sizes
    per_row = ROW_UNITS + sum(sizes[l] * (sizes[l - 1] + 1 + NEURON_UNITS)
                              for l in range(first, spec.depth + 1))
    return (resolution * resolution + 1) * rows * per_row


def check_surface(spec: NetworkSpec, rows: int, resolution: int,
                  axes: tuple[Axis, Axis]) -> int:
    """The work of a surface that fits the limits; a SpecError naming the field if it does not."""
    for i, axis in enumerate(axes):
        axis.check(spec, f"axes[{i}]")
    if (axes[0].layer, axes[0].kind, axes[0].index) == (axes[1].layer, axes[1].kind, axes[1].index):
        raise SpecError("axes[1]", f"is {axes[0].name} again: choose two different parameters")
    if not 2 <= resolution <= MAX_SURFACE_RESOLUTION:
        raise SpecError("resolution", f"must be between 2 and {MAX_SURFACE_RESOLUTION} points "
                        f"per axis, got {resolution}")
    work = surface_work(spec, rows, resolution, axes)
    if work > MAX_SURFACE_WORK:
        fits = next((r for r in range(resolution - 1, 1, -1)
                     if surface_work(spec, rows, r, axes) <= MAX_SURFACE_WORK), None)
        hint = (f"a resolution of at most {fits} fits" if fits else
                "even a 2 x 2 grid is over it: use fewer rows of data")
        raise SpecError("resolution", f"this surface would cost about {work:.3g} work units (a "
                        f"unit is one multiply-add of one row at one grid point), over the "
                        f"limit of {MAX_SURFACE_WORK:.3g}; {hint}")
    return work


def _block_size(spec: NetworkSpec, rows: int, first: int) -> int:
    """Grid points per block: BLOCK_ENTRIES over the largest per-point array (a layer's z for
    every row, or its weights)."""
    sizes = spec.layer_sizes
    widest = max(max(rows, sizes[l - 1]) * sizes[l] for l in range(first, spec.depth + 1))
    return max(1, BLOCK_ENTRIES // widest)


def _layer(a: np.ndarray, weights: np.ndarray, biases: np.ndarray, activation: str):
    """z = a W^T + b and f(z) for a batch of rows; with a leading axis of grid points on a, W or
    b wherever they vary."""
    z = a @ np.swapaxes(weights, -1, -2) + (biases if biases.ndim == 1 else biases[:, None, :])
    return z, ACTIVATIONS[activation].primitive.forward(z)


def activation_before(spec: NetworkSpec, params: Params, inputs: np.ndarray,
                      layer: int) -> np.ndarray:
    """a^{layer-1}: the rows through the layers before `layer`, which no grid point changes."""
    a = inputs
    for l in range(1, layer):
        a = _layer(a, params.weights[l - 1], params.biases[l - 1], spec.activations[l - 1])[1]
    return a


def costs(spec: NetworkSpec, params: Params, a: np.ndarray, targets: np.ndarray,
          axes: tuple[Axis, Axis], xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """C at each point (xs[g], ys[g]), the two axes' entries set to those values; `a` is the
    activation_before the first varied layer."""
    first = min(axis.layer for axis in axes)
    weights, biases = list(params.weights), list(params.biases)
    stacked = set()
    for axis, values in zip(axes, (xs, ys), strict=True):
        arrays = weights if axis.kind == "weight" else biases
        if (axis.kind, axis.layer) not in stacked:  # one copy of the array per grid point
            arrays[axis.layer - 1] = np.repeat(arrays[axis.layer - 1][None], len(values), axis=0)
            stacked.add((axis.kind, axis.layer))
        arrays[axis.layer - 1][(slice(None), *axis.index)] = values
    for l in range(first, spec.depth + 1):
        z, a = _layer(a, weights[l - 1], biases[l - 1], spec.activations[l - 1])
    loss = LOSSES[spec.loss]
    per_sample = loss.per_sample(z if loss.on_logits else a, targets)
    cost = np.add.reduce(per_sample, axis=-1) / per_sample.shape[-1]
    return cost + _penalty(spec, params, axes, xs, ys) if spec.l2 else cost


def _penalty(spec, params, axes, xs, ys) -> np.ndarray:
    """(λ/2) Σ_l ||W^l||² at each point: the held weights' squares plus the varied ones'."""
    varied = [(axis, values) for axis, values in zip(axes, (xs, ys), strict=True)
              if axis.kind == "weight"]
    held = [w.copy() for w in params.weights]
    for axis, _ in varied:
        held[axis.layer - 1][axis.index] = 0.0
    squares = sum(float(np.add.reduce(w * w, axis=None)) for w in held)
    return 0.5 * spec.l2 * (squares + sum(values * values for _, values in varied))


def loss_surface(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray,
                 axes: tuple[Axis, Axis], resolution: int) -> Surface:
    """C over the resolution x resolution grid of the two axes, checked against the limits."""
    work = check_surface(spec, len(inputs), resolution, axes)
    x, y = axes[0].grid(resolution), axes[1].grid(resolution)
    gx, gy = np.meshgrid(x, y)
    xs, ys = gx.ravel(), gy.ravel()
    block = _block_size(spec, len(inputs), min(axis.layer for axis in axes))
    with np.errstate(all="ignore"):
        a = activation_before(spec, params, inputs, min(axis.layer for axis in axes))
        cost = np.concatenate([costs(spec, params, a, targets, axes, xs[s:s + block],
                                     ys[s:s + block]) for s in range(0, len(xs), block)])
        at = (axes[0].value(params), axes[1].value(params))
        cost_at = float(costs(spec, params, a, targets, axes, np.array([at[0]]),
                              np.array([at[1]]))[0])
    return Surface(axes, x, y, cost.reshape(gx.shape), at, cost_at, work)
