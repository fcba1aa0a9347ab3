"""Neuron maps: the grid's values are the forward pass at its points, and the errors are the
backward pass of a sample placed at a point, checked against central finite differences of an
independent NumPy network (tests/engine/numpy_net.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.autodiff.graph import backward
from engine.learning.maps import (
    MIN_SIZE,
    check_request,
    map_values,
    nearest_points,
    neuron_maps,
)
from engine.learning.training import prediction_points, predictions
from engine.limits import MAX_MAP_SIZE, MAX_MAP_VALUES
from engine.networks.network import build, predict
from engine.networks.spec import NetworkSpec, SpecError
from tests.engine import numpy_net
from tests.engine.problems import make_problem
from tests.finite_diff import central_difference

CASES = [
    ([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy"),
    ([2, 5, 3], ["relu", "softmax"], "cross_entropy"),
    ([2, 3, 3, 2], ["leaky_relu", "tanh", "sigmoid"], "squared_error"),
    ([1, 6, 1], ["tanh", "linear"], "squared_error"),
]


def grid_points(maps) -> np.ndarray:
    """The map's points as rows, in the map's order (row i * size + j at (x[j], y[i]))."""
    if maps.where["kind"] == "line":
        return maps.where["x"][:, None]
    gx, gy = np.meshgrid(maps.where["x"], maps.where["y"])
    return np.column_stack([gx.ravel(), gy.ravel()])


def problem(sizes, activations, loss, seed=0):
    """A spec, parameters and 30 data points whose box the maps cover."""
    return make_problem(sizes, activations, loss, seed=seed, batch=30)


@pytest.mark.parametrize("sizes, activations, loss", CASES, ids=lambda c: str(c))
def test_grid_values_equal_the_forward_pass_at_those_points(sizes, activations, loss):
    spec, params, x, y = problem(sizes, activations, loss)
    maps = neuron_maps(spec, params, x, y, size=9)
    points = grid_points(maps)
    assert len(points) == (81 if sizes[0] == 2 else 9)
    fwd = numpy_net.forward(spec, params.weights, params.biases, points,
                            np.zeros((len(points), sizes[-1])))
    for l in range(1, spec.depth + 1):
        np.testing.assert_allclose(maps.layers[l - 1]["activation"], fwd.activations[l].T,
                                   rtol=1e-12, atol=1e-14)


def test_the_grid_is_the_decision_boundarys_grid_and_the_output_map_its_values():
    spec, params, x, y = problem([2, 4, 1], ["tanh", "sigmoid"], "binary_cross_entropy")
    maps = neuron_maps(spec, params, x, y)
    boundary = predictions(spec, params, prediction_points(x))
    assert maps.size == 40
    np.testing.assert_array_equal(maps.where["x"], boundary["x"])
    np.testing.assert_array_equal(maps.where["y"], boundary["y"])
    np.testing.assert_allclose(maps.layers[-1]["activation"][0],
                               np.ravel(boundary["values"]), rtol=1e-15)


def one_sample_gradient(spec, params, point, label, l, kind):
    """∂C/∂b^l (kind "biases") or ∂C/∂W^l (kind "weights") of the loss of one sample at `point`
    with `label`, by central differences of the independent network."""
    def loss(value):
        arrays = {"weights": list(params.weights), "biases": list(params.biases)}
        arrays[kind][l - 1] = value
        return float(numpy_net.loss_of(spec, arrays["weights"], arrays["biases"],
                                       point[None, :], label[None, :]))
    return central_difference(loss, getattr(params, kind)[l - 1])


@pytest.mark.parametrize("sizes, activations, loss", CASES, ids=lambda c: str(c))
def test_delta_maps_equal_finite_differences_for_a_sample_at_a_grid_point(sizes, activations,
                                                                          loss):
    """z^l_j = ... + b^l_j, so for one sample δ^l_j = ∂C/∂b^l_j: differenced on the biases of
    the independent network, with the point's label the nearest data point's."""
    spec, params, x, y = problem(sizes, activations, loss, seed=3)
    maps = neuron_maps(spec, params, x, y, size=7)
    points = grid_points(maps)
    for p in (0, len(points) // 2, len(points) - 1, 5):
        for l in range(1, spec.depth + 1):
            numeric = one_sample_gradient(spec, params, points[p], y[maps.nearest[p]], l,
                                          "biases")
            np.testing.assert_allclose(maps.layers[l - 1]["delta"][:, p], numeric,
                                       rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("sizes, activations, loss", CASES[:2], ids=lambda c: str(c))
def test_weight_gradient_maps_are_the_size_of_a_samples_row_gradient(sizes, activations, loss):
    spec, params, x, y = problem(sizes, activations, loss, seed=5)
    maps = neuron_maps(spec, params, x, y, size=5)
    points = grid_points(maps)
    for p in (1, 12):
        for l in range(1, spec.depth + 1):
            numeric = one_sample_gradient(spec, params, points[p], y[maps.nearest[p]], l,
                                          "weights")
            np.testing.assert_allclose(maps.layers[l - 1]["weight_gradient"][:, p],
                                       np.linalg.norm(numeric, axis=1), rtol=1e-6, atol=1e-8)


def test_delta_maps_are_the_engines_backward_pass_of_a_batch_of_one():
    spec, params, x, y = problem([2, 3, 3, 2], ["tanh", "tanh", "softmax"], "cross_entropy")
    maps = neuron_maps(spec, params, x, y, size=6)
    points = grid_points(maps)
    for p in (0, 17, 35):
        net = build(spec, params, points[p:p + 1], y[maps.nearest[p]][None, :])
        backward(net.loss)
        for l in range(1, spec.depth + 1):
            np.testing.assert_allclose(maps.layers[l - 1]["delta"][:, p], net.delta(l)[0],
                                       rtol=1e-12, atol=1e-15)
        net.graph.release()


def test_each_point_takes_the_label_of_its_nearest_data_point():
    rng = np.random.default_rng(0)
    data, points = rng.normal(size=(300, 2)), rng.normal(size=(5000, 2))
    brute = np.array([np.argmin(((data - p) ** 2).sum(axis=1)) for p in points])
    np.testing.assert_array_equal(nearest_points(points, data), brute)
    np.testing.assert_array_equal(nearest_points(data, data), np.arange(300))


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=1, max_size=3),
       dim=st.sampled_from([1, 2]), size=st.integers(MIN_SIZE, 12), seed=st.integers(0, 99))
def test_any_network_maps_its_output_as_predict_does(sizes, dim, size, seed):
    spec = NetworkSpec([dim, *sizes], ["tanh"] * (len(sizes) - 1) + ["sigmoid"],
                       "binary_cross_entropy")
    params, x, y = numpy_net.random_problem(spec, seed, 12)
    maps = neuron_maps(spec, params, x, y, size)
    points = grid_points(maps)
    np.testing.assert_allclose(maps.layers[-1]["activation"], predict(spec, params, points).T,
                               rtol=1e-15)
    for layer in maps.layers:
        assert all(np.isfinite(layer[q]).all() for q in layer)
    data = maps.to_data()
    for l, layer in enumerate(data["layers"], 1):
        for q, (low, high) in layer["ranges"].items():
            assert low == layer[q].min() and high == layer[q].max(), (l, q)


def test_requests_that_cannot_be_mapped_name_the_field_and_the_limit():
    three = NetworkSpec([3, 2, 1], ["tanh", "sigmoid"], "binary_cross_entropy")
    with pytest.raises(SpecError) as error:
        check_request(three, 10, ("activation",))
    assert error.value.field == "network.layer_sizes[0]" and "3 inputs" in error.value.message
    small = NetworkSpec([2, 2, 1], ["tanh", "sigmoid"], "binary_cross_entropy")
    for size in (1, MAX_MAP_SIZE + 1):
        with pytest.raises(SpecError, match=f"between {MIN_SIZE} and {MAX_MAP_SIZE}"):
            check_request(small, size, ("activation",))
    with pytest.raises(SpecError) as error:
        check_request(small, 10, ("activation", "activation"))
    assert error.value.field == "quantities"
    largest = NetworkSpec([2] + [32] * 6, ["tanh"] * 5 + ["sigmoid"], "binary_cross_entropy")
    with pytest.raises(SpecError) as error:
        check_request(largest, 40, ("activation", "delta", "weight_gradient"))
    assert error.value.field == "size" and str(MAX_MAP_VALUES) in error.value.message
    fits = int(error.value.message.split("a size of at most ")[1])
    assert map_values(largest, fits, 3) <= MAX_MAP_VALUES < map_values(largest, fits + 1, 3)
    check_request(largest, fits, ("activation", "delta", "weight_gradient"))
