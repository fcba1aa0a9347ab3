"""Logistic regression: hand-derived gradient, backward pass and central differences agree."""

from __future__ import annotations

import numpy as np
import pytest

from engine.demos.logistic import hand_gradient, logistic_spec
from engine.learning.iteration import run_iteration
from engine.networks.spec import Params
from tests.engine import numpy_net
from tests.finite_diff import assert_gradient_close, central_difference


def data(n_inputs, n, seed):
    rng = np.random.default_rng(seed)
    params = Params([rng.normal(0.0, 1.0, size=(1, n_inputs))], [rng.normal(0.0, 0.5, size=1)])
    x = rng.normal(0.0, 1.5, size=(n, n_inputs))
    y = rng.integers(0, 2, size=(n, 1)).astype(np.float64)
    return params, x, y


CASES = [(1, 1, 0), (1, 7, 1), (2, 10, 2), (3, 5, 3), (5, 32, 4), (2, 3, 5)]


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize(("n_inputs", "n", "seed"), CASES)
def test_hand_gradient_equals_backward_and_central_differences(n_inputs, n, seed, granularity):
    spec = logistic_spec(n_inputs)
    assert spec.layer_sizes == (n_inputs, 1)
    assert spec.activations == ("sigmoid",) and spec.loss == "binary_cross_entropy"
    params, x, y = data(n_inputs, n, seed)
    hand = hand_gradient(params, x, y)
    stage = run_iteration(spec, params, x, y, 0.1, granularity=granularity).stage("backward", 1)
    assert hand.grad_weights.shape == (1, n_inputs) and hand.grad_bias.shape == (1,)
    np.testing.assert_allclose(hand.grad_weights, stage.values["grad_weights"], rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(hand.grad_bias, stage.values["grad_biases"], rtol=1e-12,
                               atol=1e-12)
    numeric_w, numeric_b = numpy_net.numeric_gradients(spec, params.weights, params.biases, x, y,
                                                       central_difference)
    assert_gradient_close(hand.grad_weights, numeric_w[0])
    assert_gradient_close(hand.grad_bias, numeric_b[0])
    assert_gradient_close(stage.values["grad_weights"], numeric_w[0])
    assert_gradient_close(stage.values["grad_biases"], numeric_b[0])


@pytest.mark.parametrize(("n_inputs", "n", "seed"), CASES)
def test_probabilities_and_errors(n_inputs, n, seed):
    params, x, y = data(n_inputs, n, seed)
    hand = hand_gradient(params, x, y)
    w, w0 = params.weights[0][0], params.biases[0][0]
    p = 1.0 / (1.0 + np.exp(-(x @ w + w0)))
    assert hand.probabilities.shape == (n,) and hand.errors.shape == (n,)
    np.testing.assert_allclose(hand.probabilities, p, rtol=1e-14)
    np.testing.assert_allclose(hand.errors, p - y[:, 0], rtol=1e-13, atol=1e-16)
    # The errors are delta^1 of the backward pass scaled by N.
    trace = run_iteration(logistic_spec(n_inputs), params, x, y, 0.1)
    np.testing.assert_allclose(trace.stage("backward", 1).values["delta"][:, 0] * n, hand.errors,
                               rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(trace.stage("forward", 1).values["activation"][:, 0],
                               hand.probabilities, rtol=1e-14)


def test_hand_gradient_by_hand():
    """One sample at z = 0: p = 1/2, so dC/dw = (1/2 - y) x and dC/dw0 = 1/2 - y."""
    params = Params([np.array([[0.0, 0.0]])], [np.array([0.0])])
    hand = hand_gradient(params, np.array([[2.0, -4.0]]), np.array([[1.0]]))
    np.testing.assert_array_equal(hand.probabilities, [0.5])
    np.testing.assert_array_equal(hand.grad_weights, [[-1.0, 2.0]])
    np.testing.assert_array_equal(hand.grad_bias, [-0.5])


def test_saturated_logits_stay_finite():
    params = Params([np.array([[1e4]])], [np.array([0.0])])
    x, y = np.array([[1.0], [-1.0]]), np.array([[0.0], [1.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        hand = hand_gradient(params, x, y)
    np.testing.assert_array_equal(hand.probabilities, [1.0, 0.0])
    np.testing.assert_array_equal(hand.grad_weights, [[1.0]])
    np.testing.assert_array_equal(hand.grad_bias, [0.0])
    stage = run_iteration(logistic_spec(1), params, x, y, 0.1).stage("backward", 1)
    np.testing.assert_array_equal(stage.values["grad_weights"], [[1.0]])
