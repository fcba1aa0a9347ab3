"""Gradient checking against engine backward and an independent NumPy central difference."""

from __future__ import annotations

import json
from dataclasses import replace
from itertools import pairwise

import numpy as np
import pytest

from engine.autodiff.graph import backward
from engine.autodiff.primitives import elementwise
from engine.demos import gradcheck
from engine.demos.gradcheck import gradient_check, numerical_gradient
from engine.networks.activations import ACTIVATIONS
from engine.networks.init import init_params
from engine.networks.network import build, loss_value
from engine.networks.spec import NetworkSpec, Params, SpecError
from tests.engine.problems import make_problem
from tests.finite_diff import central_difference

NETWORKS = [
    ((3, 4, 2), ("sigmoid", "linear"), "squared_error"),
    ((2, 5, 1), ("tanh", "sigmoid"), "binary_cross_entropy"),
    ((3, 5, 3), ("relu", "softmax"), "cross_entropy"),
    ((2, 4, 3, 2), ("leaky_relu", "tanh", "linear"), "squared_error"),
    ((3, 3, 2), ("linear", "sigmoid"), "squared_error"),
    ((2, 3, 4, 3), ("tanh", "relu", "softmax"), "cross_entropy"),
    ((2, 3, 2), ("relu", "tanh"), "squared_error"),
    ((2, 4, 2), ("leaky_relu", "sigmoid"), "binary_cross_entropy"),
]


# ------------------------------------------------ an independent forward pass in plain NumPy

NUMPY_ACTIVATIONS = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.maximum(z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda z: z,
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
}


def flatten(params: Params) -> np.ndarray:
    return np.concatenate([a.ravel() for w, b in zip(params.weights, params.biases, strict=True)
                           for a in (w, b)])


def unflatten(spec: NetworkSpec, flat: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    layers, at = [], 0
    for n_in, n_out in pairwise(spec.layer_sizes):
        w = flat[at:at + n_out * n_in].reshape(n_out, n_in)
        at += n_out * n_in
        layers.append((w, flat[at:at + n_out]))
        at += n_out
    return layers


def numpy_loss(spec: NetworkSpec, flat: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    a = x
    for (w, b), name in zip(unflatten(spec, flat), spec.activations, strict=True):
        z = a @ w.T + b
        a = NUMPY_ACTIVATIONS[name](z)
    if spec.loss == "squared_error":
        return 0.5 * np.mean(np.sum((a - y) ** 2, axis=1))
    if spec.loss == "binary_cross_entropy":
        return -np.mean(np.sum(y * np.log(a) + (1 - y) * np.log(1 - a), axis=1))
    return -np.mean(np.sum(y * np.log(a), axis=1))


# ------------------------------------------------ tests

@pytest.mark.parametrize("sizes, activations, loss", NETWORKS)
def test_gradient_check_passes_and_matches_engine_backward(sizes, activations, loss):
    spec, params, x, y = make_problem(sizes, activations, loss)
    check = gradient_check(spec, params, x, y)
    assert check.max_relative_error < 1e-6
    built = build(spec, params, x, y)
    backward(built.loss)
    for row in check.rows:
        grads = built.grad_weights if row.kind == "weight" else built.grad_biases
        assert row.backprop == grads(row.layer)[row.index]
    assert check.loss == built.loss.value


@pytest.mark.parametrize("sizes, activations, loss", NETWORKS)
def test_numerical_gradient_matches_independent_numpy_reference(sizes, activations, loss):
    spec, params, x, y = make_problem(sizes, activations, loss, seed=1)
    flat = flatten(params)
    assert numpy_loss(spec, flat, x, y) == pytest.approx(loss_value(spec, params, x, y), rel=1e-12)
    reference = central_difference(lambda p: numpy_loss(spec, p, x, y), flat)
    ours = flatten(numerical_gradient(spec, params, x, y))
    np.testing.assert_allclose(ours, reference, rtol=1e-6, atol=1e-8)
    check = gradient_check(spec, params, x, y)
    np.testing.assert_array_equal([row.numerical for row in check.rows], ours)
    np.testing.assert_allclose([row.backprop for row in check.rows], reference,
                               rtol=1e-6, atol=1e-8)


def test_numerical_gradient_leaves_params_untouched():
    spec, params, x, y = make_problem((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    before = params.copy()
    numerical_gradient(spec, params, x, y)
    np.testing.assert_array_equal(flatten(params), flatten(before))


def test_rows_follow_network_naming_and_order():
    spec, params, x, y = make_problem((3, 12, 2), ("tanh", "linear"), "squared_error")
    check = gradient_check(spec, params, x, y)
    scalar = build(spec, params, x, y, granularity="scalar")
    assert [row.name for row in check.rows] == [node.name for node in scalar.param_nodes()]
    first = check.rows[0]
    assert (first.layer, first.kind, first.index, first.name) == (1, "weight", (0, 0), "w1_11")
    bias = next(row for row in check.rows if row.kind == "bias")
    assert (bias.layer, bias.index, bias.name) == (1, (0,), "b1_1")
    assert check.rows[-1].name == "b2_2"
    assert any(row.name == "w2_1,12" for row in check.rows)


def test_scalar_granularity_gives_the_same_backprop_column():
    spec, params, x, y = make_problem((2, 3, 3), ("sigmoid", "softmax"), "cross_entropy")
    layer = gradient_check(spec, params, x, y)
    scalar = gradient_check(spec, params, x, y, granularity="scalar")
    np.testing.assert_allclose([r.backprop for r in scalar.rows],
                               [r.backprop for r in layer.rows], rtol=1e-12, atol=1e-15)
    assert scalar.max_relative_error < 1e-6


def test_passes_and_json():
    spec, params, x, y = make_problem((2, 4, 3), ("relu", "softmax"), "cross_entropy")
    check = gradient_check(spec, params, x, y)
    assert check.passes == 2 * spec.parameter_count == 2 * len(check.rows)
    data = json.loads(json.dumps(check.to_dict(), allow_nan=False))
    assert data["parameter_count"] == spec.parameter_count
    assert data["max_relative_error"] == check.max_relative_error
    assert data["rows"][0]["index"] == [0, 0]
    assert set(data["rows"][0]) == {"layer", "kind", "index", "name", "backprop", "numerical",
                                    "relative_error"}


def test_floor_keeps_zero_and_tiny_gradients_quiet():
    spec, params, x, y = make_problem((2, 3, 1), ("relu", "linear"), "squared_error")
    params.weights[0][1] = 0.0
    params.biases[0][1] = -5.0          # hidden neuron 2 is dead: w2_12 has gradient exactly 0
    check = gradient_check(spec, params, x, y)
    dead = next(row for row in check.rows if row.name == "w2_12")
    assert dead.backprop == 0.0 and dead.numerical == 0.0 and dead.relative_error == 0.0
    assert check.max_relative_error < 1e-6
    floor = gradcheck.error_floor(1.0, 1e-6)
    assert 1e-3 < floor < 1e-2
    assert gradcheck.relative_error(3e-12, 1e-12, floor) < 1e-8
    assert gradcheck.relative_error(2.0, 1.0, floor) == 0.5


def test_a_wrong_derivative_is_caught(monkeypatch):
    wrong = elementwise("tanh", np.tanh, lambda y, x: 1.0 - y)     # should be 1 - y^2
    monkeypatch.setitem(ACTIVATIONS, "tanh", replace(ACTIVATIONS["tanh"], primitive=wrong))
    spec, params, x, y = make_problem((2, 3, 1), ("tanh", "linear"), "squared_error")
    check = gradient_check(spec, params, x, y)
    assert check.max_relative_error > 1e-2
    hidden = [row for row in check.rows if row.layer == 1]
    assert max(row.relative_error for row in hidden) > 1e-2


def test_refuses_large_networks_and_bad_steps():
    spec = NetworkSpec((32, 32, 32, 1), ("tanh", "tanh", "sigmoid"), "binary_cross_entropy")
    assert spec.parameter_count > gradcheck.MAX_GRADCHECK_PARAMETERS
    params = init_params(spec)
    x, y = np.zeros((2, 32)), np.zeros((2, 1))
    for run in (gradient_check, numerical_gradient):
        with pytest.raises(SpecError) as error:
            run(spec, params, x, y)
        assert error.value.field == "network"
    spec, params, x, y = make_problem((2, 2, 1), ("tanh", "linear"), "squared_error")
    for step in (0.0, -1e-6, float("nan"), 1.0):
        with pytest.raises(SpecError) as error:
            gradient_check(spec, params, x, y, step=step)
        assert error.value.field == "step"
