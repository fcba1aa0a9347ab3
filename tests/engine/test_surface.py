"""The loss surface: every grid point's cost against an independent NumPy forward pass and
against the engine's own iteration loss at those parameters; blocks, bounds and overflow."""

from __future__ import annotations

import numpy as np
import pytest

from engine.demos import surface as surface_module
from engine.demos.surface import Axis, check_surface, loss_surface, surface_work
from engine.learning.iteration import run_iteration
from engine.limits import MAX_SURFACE_RESOLUTION, MAX_SURFACE_WORK
from engine.networks.spec import NetworkSpec, SpecError
from tests.engine import numpy_net

CASES = [
    # sizes, activations, loss, l2, the two axes (layer, kind, index)
    ((1, 1), ("linear",), "squared_error", 0.0, ((1, "weight", (0, 0)), (1, "bias", (0,)))),
    ((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy", 0.0,
     ((1, "weight", (2, 1)), (2, "weight", (0, 1)))),
    ((2, 4, 3), ("relu", "softmax"), "cross_entropy", 0.2,
     ((2, "weight", (1, 3)), (2, "weight", (2, 0)))),
    ((3, 4, 4, 2), ("leaky_relu", "sigmoid", "linear"), "squared_error", 0.5,
     ((1, "bias", (3,)), (3, "weight", (1, 2)))),
    ((2, 3, 2), ("tanh", "softmax"), "cross_entropy", 0.1,
     ((2, "bias", (1,)), (1, "weight", (0, 0)))),
]


def numpy_cost(spec: NetworkSpec, weights, biases, x, y) -> float:
    """C = C₀ + (λ/2) Σ ||W^l||², written from the maths (tests/engine/numpy_net.py)."""
    data = numpy_net.forward(spec, weights, biases, x, y).loss
    return float(data + 0.5 * spec.l2 * sum(np.sum(w * w) for w in weights))


def with_entries(params, axes, values):
    moved = params.copy()
    for axis, value in zip(axes, values, strict=True):
        arrays = moved.weights if axis.kind == "weight" else moved.biases
        arrays[axis.layer - 1][axis.index] = value
    return moved


def axes_around(params, chosen, span=1.5):
    """Axes centred a little off each entry's value, so the grid does not sit on it."""
    axes = []
    for layer, kind, index in chosen:
        value = (params.weights if kind == "weight" else params.biases)[layer - 1][index]
        axes.append(Axis(layer, kind, index, value - span, value + 0.7 * span))
    return tuple(axes)


@pytest.mark.parametrize("sizes, activations, loss, l2, chosen", CASES)
def test_every_grid_point_is_the_cost_at_those_parameters(sizes, activations, loss, l2, chosen):
    spec = NetworkSpec(sizes, activations, loss, l2)
    params, x, y = numpy_net.random_problem(spec, seed=len(sizes), batch=9)
    axes = axes_around(params, chosen)
    found = loss_surface(spec, params, x, y, axes, 7)
    assert found.cost.shape == (7, 7)
    assert np.array_equal(found.x, np.linspace(axes[0].low, axes[0].high, 7))
    for i, b in enumerate(found.y):
        for j, a in enumerate(found.x):
            moved = with_entries(params, axes, (a, b))
            expected = numpy_cost(spec, moved.weights, moved.biases, x, y)
            assert found.cost[i, j] == pytest.approx(expected, rel=1e-12, abs=1e-14)
            engine = run_iteration(spec, moved, x, y, 0.1).loss
            assert found.cost[i, j] == pytest.approx(engine, rel=1e-13, abs=1e-15)
    assert found.at == (axes[0].value(params), axes[1].value(params))
    assert found.cost_at == pytest.approx(numpy_cost(spec, params.weights, params.biases, x, y),
                                          rel=1e-12)


def test_the_other_parameters_are_left_as_they_are():
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    params, x, y = numpy_net.random_problem(spec, seed=4, batch=5)
    before = params.copy()
    loss_surface(spec, params, x, y, axes_around(params, CASES[1][4]), 5)
    for now, then in zip(params.weights + params.biases, before.weights + before.biases,
                         strict=True):
        assert np.array_equal(now, then)


def test_blocks_of_grid_points_give_the_same_numbers(monkeypatch):
    spec = NetworkSpec((2, 4, 3), ("relu", "softmax"), "cross_entropy", 0.2)
    params, x, y = numpy_net.random_problem(spec, seed=1, batch=6)
    axes = axes_around(params, CASES[2][4])
    whole = loss_surface(spec, params, x, y, axes, 9).cost
    monkeypatch.setattr(surface_module, "BLOCK_ENTRIES", 40)  # a few points per block
    assert np.array_equal(loss_surface(spec, params, x, y, axes, 9).cost, whole)


def test_overflow_is_not_finite_rather_than_an_error():
    spec = NetworkSpec((1, 1), ("linear",), "squared_error")
    params, x, y = numpy_net.random_problem(spec, seed=0, batch=4)
    axes = (Axis(1, "weight", (0, 0), -1e200, 1e200), Axis(1, "bias", (0,), -1.0, 1.0))
    found = loss_surface(spec, params, x, y, axes, 5)
    assert np.isinf(found.cost[:, 0]).all() and np.isfinite(found.cost[:, 2]).all()


@pytest.mark.parametrize("axis, field, words", [
    (Axis(3, "weight", (0, 0), 0, 1), "axes[0].layer", "from 1 to 2"),
    (Axis(0, "bias", (0,), 0, 1), "axes[0].layer", "from 1 to 2"),
    (Axis(1, "weight", (3, 0), 0, 1), "axes[0].index", "0 <= j < 3"),
    (Axis(1, "weight", (0,), 0, 1), "axes[0].index", "[j, k]"),
    (Axis(2, "bias", (1,), 0, 1), "axes[0].index", "0 <= j < 1"),
    (Axis(1, "gain", (0,), 0, 1), "axes[0].kind", "'weight' or 'bias'"),
    (Axis(1, "bias", (0,), 1, 1), "axes[0].high", "above low"),
    (Axis(1, "bias", (0,), -1e308, 1e308), "axes[0].high", "finite"),
])
def test_an_axis_that_is_not_the_networks_is_refused(axis, field, words):
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    other = Axis(1, "bias", (2,), 0, 1)
    with pytest.raises(SpecError) as error:
        check_surface(spec, 10, 11, (axis, other))
    assert error.value.field == field and words in error.value.message


def test_the_same_parameter_twice_the_resolution_and_the_work_are_bounded():
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    w = Axis(1, "weight", (0, 1), -1, 1)
    with pytest.raises(SpecError) as error:
        check_surface(spec, 10, 11, (w, Axis(1, "weight", (0, 1), 0, 2)))
    assert error.value.field == "axes[1]" and "w1_12" in error.value.message
    b = Axis(2, "bias", (0,), -1, 1)
    for resolution in (1, MAX_SURFACE_RESOLUTION + 1):
        with pytest.raises(SpecError) as error:
            check_surface(spec, 10, resolution, (w, b))
        assert error.value.field == "resolution"
    rows = MAX_SURFACE_WORK // surface_work(spec, 1, MAX_SURFACE_RESOLUTION, (w, b)) + 1
    with pytest.raises(SpecError) as error:
        check_surface(spec, rows, MAX_SURFACE_RESOLUTION, (w, b))
    fits = int(error.value.message.split("at most ")[1].split()[0])
    assert surface_work(spec, rows, fits, (w, b)) <= MAX_SURFACE_WORK
    assert surface_work(spec, rows, fits + 1, (w, b)) > MAX_SURFACE_WORK


def test_layers_before_the_first_varied_one_cost_nothing_per_point():
    spec = NetworkSpec((2, 8, 8, 1), ("tanh", "tanh", "sigmoid"), "binary_cross_entropy")
    last = (Axis(3, "weight", (0, 0), -1, 1), Axis(3, "bias", (0,), -1, 1))
    first = (Axis(1, "weight", (0, 0), -1, 1), Axis(3, "bias", (0,), -1, 1))
    assert surface_work(spec, 100, 21, last) < surface_work(spec, 100, 21, first) / 5
