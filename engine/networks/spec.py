"""A network's specification and parameters, with the checks that keep them well-formed and small.

Layers are numbered as in the maths: layer 0 is the input, layers 1..L compute
z^l = a^{l-1} (W^l)^T + b^l and a^l = f_l(z^l). W^l has shape (n_l, n_{l-1}): entry (j, k)
connects neuron k of layer l-1 to neuron j of layer l. Batches are rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.limits import MAX_INPUTS, MAX_LAYERS, MAX_NEURONS, MAX_WEIGHT_DECAY
from engine.networks.activations import ACTIVATIONS
from engine.networks.losses import LOSSES
from engine.views.serialize import all_finite, clean, data


class SpecError(ValueError):
    """A spec, parameter set or data array that does not fit; `field` says which part."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class NetworkSpec:
    """Layer sizes (input first), one activation per computing layer, the loss, and the L2
    penalty's strength λ: with λ > 0 the cost is C = C₀ + (λ/2) Σ_l ||W^l||², the loss C₀ over
    the batch plus a penalty on every weight (biases are left out)."""

    layer_sizes: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    l2: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "layer_sizes", tuple(int(n) for n in self.layer_sizes))
        object.__setattr__(self, "activations", tuple(self.activations))
        self._check()

    @property
    def depth(self) -> int:
        """L, the number of computing layers."""
        return len(self.layer_sizes) - 1

    @property
    def weight_count(self) -> int:
        sizes = self.layer_sizes
        return sum(sizes[l] * sizes[l - 1] for l in range(1, len(sizes)))

    @property
    def parameter_count(self) -> int:
        return self.weight_count + sum(self.layer_sizes[1:])

    def weight_shape(self, layer: int) -> tuple[int, int]:
        return (self.layer_sizes[layer], self.layer_sizes[layer - 1])

    def _check(self):
        sizes, acts = self.layer_sizes, self.activations
        if not 2 <= len(sizes) <= MAX_LAYERS + 1:
            raise SpecError("layer_sizes", f"needs between 2 and {MAX_LAYERS + 1} entries "
                            f"(input plus at most {MAX_LAYERS} layers), got {len(sizes)}")
        for i, n in enumerate(sizes):
            most = MAX_INPUTS if i == 0 else MAX_NEURONS
            if not 1 <= n <= most:
                what = "inputs" if i == 0 else "neurons"
                raise SpecError(f"layer_sizes[{i}]",
                                f"must be between 1 and {most} {what}, got {n}")
        if len(acts) != len(sizes) - 1:
            raise SpecError("activations", f"needs one activation per layer after the input: "
                            f"{len(sizes) - 1}, got {len(acts)}")
        for i, name in enumerate(acts):
            if name not in ACTIVATIONS:
                raise SpecError(f"activations[{i}]", f"unknown activation '{name}'; known: "
                                f"{', '.join(sorted(ACTIVATIONS))}")
            if ACTIVATIONS[name].output_only and i != len(acts) - 1:
                raise SpecError(f"activations[{i}]", f"{name} is only allowed on the output layer")
        if self.loss not in LOSSES:
            raise SpecError("loss", f"unknown loss '{self.loss}'; known: "
                            f"{', '.join(sorted(LOSSES))}")
        required = LOSSES[self.loss].output_activation
        if required is not None and acts[-1] != required:
            raise SpecError(f"activations[{len(acts) - 1}]",
                            f"the loss {self.loss} needs a {required} output layer, got {acts[-1]}")
        if not 0 <= self.l2 <= MAX_WEIGHT_DECAY:
            raise SpecError("l2", f"must be between 0 and {MAX_WEIGHT_DECAY:g}, got {self.l2}")
        if acts[-1] == "softmax" and sizes[-1] < 2:
            raise SpecError(f"layer_sizes[{len(sizes) - 1}]",
                            "a softmax output layer needs at least 2 neurons")


@dataclass
class Params:
    """weights[l-1] is W^l with shape (n_l, n_{l-1}); biases[l-1] is b^l with shape (n_l,)."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]

    def copy(self) -> Params:
        return Params([w.copy() for w in self.weights], [b.copy() for b in self.biases])

    def is_finite(self) -> bool:
        return all_finite(*self.weights, *self.biases)

    def to_data(self) -> dict:
        """Weights and biases as float64 arrays (see views.serialize.data)."""
        return {"weights": [data(w) for w in self.weights],
                "biases": [data(b) for b in self.biases]}

    def to_dict(self) -> dict:
        """Weights and biases as nested lists, None where not finite."""
        return {"weights": [clean(w) for w in self.weights],
                "biases": [clean(b) for b in self.biases]}

    @classmethod
    def from_lists(cls, spec: NetworkSpec, weights, biases, field: str = "params") -> Params:
        """Parameters (or arrays shaped like them, under `field`) from nested lists, checked
        against the spec's shapes and for finiteness."""
        if len(weights) != spec.depth:
            raise SpecError(f"{field}.weights", f"needs {spec.depth} matrices, got {len(weights)}")
        if len(biases) != spec.depth:
            raise SpecError(f"{field}.biases", f"needs {spec.depth} vectors, got {len(biases)}")
        out_w, out_b = [], []
        for l in range(1, spec.depth + 1):
            expected = spec.weight_shape(l)
            w = _array(weights[l - 1], f"{field}.weights[{l - 1}]")
            if w.shape != expected:
                raise SpecError(f"{field}.weights[{l - 1}]",
                                f"W^{l} must have shape {expected[0]}x{expected[1]} "
                                f"(n_{l} rows, n_{l - 1} columns), got {_shape_text(w.shape)}")
            b = _array(biases[l - 1], f"{field}.biases[{l - 1}]")
            if b.shape != (expected[0],):
                raise SpecError(f"{field}.biases[{l - 1}]",
                                f"b^{l} must have {expected[0]} entries, "
                                f"got {_shape_text(b.shape)}")
            out_w.append(w)
            out_b.append(b)
        return cls(out_w, out_b)


def _shape_text(shape) -> str:
    return "x".join(str(n) for n in shape) if shape else "a scalar"


def _array(values, field: str) -> np.ndarray:
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise SpecError(field, "must be a rectangular array of numbers") from error
    if not np.isfinite(array).all():
        raise SpecError(field, "must contain only finite numbers")
    return array


def check_data(spec: NetworkSpec, inputs, targets,
               field: str = "") -> tuple[np.ndarray, np.ndarray]:
    """Inputs (N, n_0) and targets (N, n_L) as float64, checked against the spec and the loss."""
    prefix = f"{field}." if field else ""
    x = _array(inputs, f"{prefix}inputs")
    y = _array(targets, f"{prefix}targets")
    n_in, n_out = spec.layer_sizes[0], spec.layer_sizes[-1]
    if x.ndim != 2 or x.shape[1] != n_in or x.shape[0] == 0:
        raise SpecError(f"{prefix}inputs", f"must be a list of rows with {n_in} numbers each "
                        f"(the input layer's size), got {_shape_text(x.shape)}")
    if y.ndim != 2 or y.shape[1] != n_out:
        raise SpecError(f"{prefix}targets", f"must be a list of rows with {n_out} numbers each "
                        f"(the output layer's size), got {_shape_text(y.shape)}")
    if y.shape[0] != x.shape[0]:
        raise SpecError(f"{prefix}targets", f"needs one row per input row: {x.shape[0]}, "
                        f"got {y.shape[0]}")
    if LOSSES[spec.loss].needs_unit_targets and ((y < 0) | (y > 1)).any():
        raise SpecError(f"{prefix}targets", f"the loss {spec.loss} needs targets between 0 and 1")
    return x, y
