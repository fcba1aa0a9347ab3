"""Neuron maps over the input plane: for a sample anywhere in the data's bounding box (or along
the line of 1-D data), what every hidden and output neuron computes and the error it gets.

The map's points are the training module's prediction grid (the same box as the decision
boundary), taken through the network in one batched pass. Forward gives a^l_j(x). Each point is
given the label of its nearest data point (a one-nearest-neighbour reading of the data: at a
data point it is that point's own label), and backward from the mean loss over the m points,
times m, gives each point's own error δ^l_j(x) = ∂C_x/∂z^l_j, as if it were the only sample in
its batch. The gradient such a sample sends to neuron j's incoming weights is the outer product
δ^l_j(x) a^{l-1}(x), so its size is ‖∂C_x/∂W^l_{j,:}‖ = |δ^l_j(x)| ‖a^{l-1}(x)‖.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.autodiff.graph import backward
from engine.learning import training
from engine.limits import MAX_MAP_SIZE, MAX_MAP_VALUES
from engine.networks.network import build
from engine.networks.spec import NetworkSpec, Params, SpecError
from engine.views.serialize import clean

QUANTITIES = ("activation", "delta", "weight_gradient")
DEFAULT_SIZE = training.GRID_SIZE  # the decision boundary's grid: the output map is that boundary
MIN_SIZE = 2
NEAREST_CHUNK = 1 << 18  # distances computed at once when finding the nearest data points


def map_points(size: int, input_dim: int) -> int:
    """How many points a map of `size` has: size x size over a plane, size along a line."""
    return size * size if input_dim == 2 else size


def map_values(spec: NetworkSpec, size: int, quantities: int) -> int:
    """The numbers an answer holds: one per point, computing neuron and quantity."""
    return map_points(size, spec.layer_sizes[0]) * sum(spec.layer_sizes[1:]) * quantities


def check_request(spec: NetworkSpec, size: int, quantities: tuple[str, ...]) -> None:
    """Raise a SpecError naming the field when maps of this size cannot be made or sent."""
    if spec.layer_sizes[0] not in (1, 2):
        raise SpecError("network.layer_sizes[0]", "neuron maps are drawn over the input plane (2 "
                        "inputs) or along a line (1 input); this network has "
                        f"{spec.layer_sizes[0]} inputs")
    if not MIN_SIZE <= size <= MAX_MAP_SIZE:
        raise SpecError("size", f"must be between {MIN_SIZE} and {MAX_MAP_SIZE}, got {size}")
    unknown = [q for q in quantities if q not in QUANTITIES]
    if unknown or not quantities or len(set(quantities)) != len(quantities):
        raise SpecError("quantities", f"must name each of {', '.join(QUANTITIES)} at most once, "
                        f"and at least one; got {', '.join(quantities) or 'none'}")
    values = map_values(spec, size, len(quantities))
    if values > MAX_MAP_VALUES:
        fits = _largest_size(spec, len(quantities))
        hint = f"a size of at most {fits}" if fits >= MIN_SIZE else "fewer quantities"
        raise SpecError("size", f"maps of size {size} for {sum(spec.layer_sizes[1:])} neurons and "
                        f"{len(quantities)} quantit{'y' if len(quantities) == 1 else 'ies'} hold "
                        f"{values} numbers, over the limit of {MAX_MAP_VALUES}; ask for {hint}")


def _largest_size(spec: NetworkSpec, quantities: int) -> int:
    size = MAX_MAP_SIZE
    while size >= MIN_SIZE and map_values(spec, size, quantities) > MAX_MAP_VALUES:
        size -= 1
    return size


def nearest_points(points: np.ndarray, data: np.ndarray) -> np.ndarray:
    """For each row of `points`, the index of the nearest row of `data` (Euclidean; the first
    of equals), a few thousand distances at a time."""
    rows = max(1, NEAREST_CHUNK // len(data))
    found = []
    for start in range(0, len(points), rows):
        chunk = points[start:start + rows]
        distance = np.zeros((len(chunk), len(data)))
        for k in range(data.shape[1]):  # one input at a time: no (rows, data, inputs) array
            distance += np.square(chunk[:, k, None] - data[None, :, k])
        found.append(np.argmin(distance, axis=1))
    return np.concatenate(found)


def _plane(inputs: np.ndarray, size: int) -> tuple[dict, np.ndarray]:
    """The grid (or line) over the data's box and its points as rows: row i * size + j of a
    grid is at (x[j], y[i]), as the decision boundary's values[i][j]."""
    where = training.prediction_points(inputs, size, size)
    if where["kind"] == "line":
        return where, where["x"][:, None]
    gx, gy = np.meshgrid(where["x"], where["y"])
    return where, np.column_stack([gx.ravel(), gy.ravel()])


def _range(values: np.ndarray) -> list[float | None]:
    """[lowest, highest] of the finite values, or [None, None] when none is."""
    finite = values[np.isfinite(values)]
    return [clean(finite.min()), clean(finite.max())] if finite.size else [None, None]


@dataclass
class NeuronMaps:
    """Every computing layer's maps: layers[l - 1][quantity] has shape (n_l, points)."""

    where: dict                 # the prediction points: kind, x (and y for a grid)
    size: int
    nearest: np.ndarray         # the data point whose label each map point takes
    layers: list[dict[str, np.ndarray]]

    def to_data(self, quantities: tuple[str, ...] = QUANTITIES) -> dict:
        """The maps asked for, as float64 arrays (non-finite entries become null in JSON),
        with each layer's range per quantity for its shared colour scale."""
        return {
            "kind": self.where["kind"], "size": self.size, "x": self.where["x"],
            "y": self.where.get("y"), "nearest": self.nearest,
            "layers": [{"layer": l, **{q: maps[q] for q in quantities},
                        "ranges": {q: _range(maps[q]) for q in quantities}}
                       for l, maps in enumerate(self.layers, 1)],
        }


def neuron_maps(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray,
                size: int = DEFAULT_SIZE) -> NeuronMaps:
    """a^l_j, δ^l_j and ‖∂C/∂W^l_{j,:}‖ for a sample at each point of a size x size grid over the
    data's box (size points along a line for 1-D data), labelled as its nearest data point."""
    check_request(spec, size, QUANTITIES[:1])
    with np.errstate(all="ignore"):  # data near the float limits: the box's edges overflow
        where, points = _plane(inputs, size)
        nearest = nearest_points(points, inputs)
        net = build(spec, params, points, targets[nearest])
        backward(net.data_loss)
        m = len(points)
        layers = []
        for l in range(1, spec.depth + 1):
            delta = m * net.delta(l)
            incoming = np.sqrt(np.square(net.activation(l - 1)).sum(axis=1))
            layers.append({"activation": np.ascontiguousarray(net.activation(l).T),
                           "delta": np.ascontiguousarray(delta.T),
                           "weight_gradient": np.ascontiguousarray(np.abs(delta.T) * incoming)})
        net.graph.release()
    return NeuronMaps(where, size, nearest, layers)
