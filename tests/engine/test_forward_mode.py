"""Forward-mode AD against analytic derivatives, reverse mode and central differences."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from engine.autodiff import ops
from engine.autodiff.graph import Graph, backward
from engine.demos.forward_mode import forward_mode_gradient, jvp
from engine.networks.network import build, loss_value
from engine.networks.spec import NetworkSpec, Params
from tests.engine.problems import make_problem
from tests.finite_diff import central_difference

SMALL = ((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
LARGE = ((4, 16, 16, 3), ("relu", "leaky_relu", "softmax"), "cross_entropy")
MIXED = ((3, 4, 2), ("sigmoid", "linear"), "squared_error")


def flatten(params: Params) -> np.ndarray:
    return np.concatenate([a.ravel() for w, b in zip(params.weights, params.biases, strict=True)
                           for a in (w, b)])


def unflatten(spec: NetworkSpec, flat: np.ndarray) -> Params:
    weights, biases, at = [], [], 0
    for n_in, n_out in pairwise(spec.layer_sizes):
        weights.append(flat[at:at + n_out * n_in].reshape(n_out, n_in))
        at += n_out * n_in
        biases.append(flat[at:at + n_out])
        at += n_out
    return Params(weights, biases)


def reverse_gradient(spec, params, x, y) -> Params:
    built = build(spec, params, x, y)
    backward(built.loss)
    layers = range(1, spec.depth + 1)
    return Params([built.grad_weights(k) for k in layers], [built.grad_biases(k) for k in layers])


def test_hand_graph_matches_the_analytic_directional_derivative():
    g = Graph()
    xv, yv = np.array([1.0, 2.0, -0.5]), np.array([0.5, -1.5, 2.0])
    x = g.leaf(xv, "x", "variable")
    y = g.leaf(yv, "y", "variable")
    c = g.leaf(0.7, "c", "variable")
    unrelated = ops.exp(g.leaf(3.0, "k"))
    square = x ** 2
    f = x * y + x / y + c * square - ops.exp(y)
    s = ops.sum(f)
    tx, ty, tc = np.array([0.3, -1.0, 2.0]), np.array([1.0, 0.25, -0.5]), 1.5
    out = jvp(s, {x.id: tx, y.id: ty, c.id: tc})
    df = (yv + 1 / yv + 2 * 0.7 * xv) * tx + (xv - xv / yv ** 2 - np.exp(yv)) * ty + xv ** 2 * tc
    np.testing.assert_allclose(out[f.id], df, rtol=1e-14)
    assert out[s.id] == pytest.approx(df.sum(), rel=1e-14)
    assert out[c.id].shape == ()
    assert unrelated.id not in out
    np.testing.assert_allclose(out[square.id], 2 * xv * tx, rtol=1e-14)
    exponent = square.parents[1]
    assert exponent.name == "2" and exponent.id not in out


def test_graph_argument_visits_every_node_and_seeds_are_kept():
    g = Graph()
    x = g.leaf(np.array([1.0, 2.0]), "x", "variable")
    h = ops.tanh(x)
    z = h * 3.0
    after = ops.sum(z)
    out = jvp(g, {h.id: np.array([1.0, 0.0])})
    assert x.id not in out
    np.testing.assert_array_equal(out[h.id], [1.0, 0.0])
    np.testing.assert_array_equal(out[z.id], [3.0, 0.0])
    assert out[after.id] == 3.0
    assert jvp(z, {h.id: np.ones(2)}).keys() == {h.id, z.id}
    assert jvp(g, {}) == {}


@pytest.mark.parametrize("network", [SMALL, LARGE, MIXED])
def test_forward_mode_gradient_equals_reverse_mode(network):
    spec, params, x, y = make_problem(*network)
    grad, passes = forward_mode_gradient(spec, params, x, y)
    assert passes == spec.parameter_count
    reverse = reverse_gradient(spec, params, x, y)
    for ours, theirs in zip((*grad.weights, *grad.biases), (*reverse.weights, *reverse.biases),
                            strict=True):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("network", [SMALL, MIXED])
def test_forward_mode_gradient_equals_central_differences(network):
    spec, params, x, y = make_problem(*network, seed=3)
    grad, _ = forward_mode_gradient(spec, params, x, y)
    numeric = central_difference(lambda p: loss_value(spec, unflatten(spec, p), x, y),
                                 flatten(params))
    np.testing.assert_allclose(flatten(grad), numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize("network", [SMALL, MIXED, ((2, 3, 3), ("tanh", "softmax"),
                                                    "cross_entropy")])
def test_random_tangent_equals_gradient_dot_tangent(network, granularity):
    spec, params, x, y = make_problem(*network, seed=5)
    built = build(spec, params, x, y, granularity=granularity)
    rng = np.random.default_rng(7)
    nodes = built.param_nodes()
    tangents = {node.id: rng.normal(size=node.value.shape) for node in nodes}
    directional = jvp(built.loss, tangents)[built.loss.id]
    backward(built.loss)
    dot = sum(float(np.sum(node.grad * tangents[node.id])) for node in nodes)
    assert directional == pytest.approx(dot, rel=1e-12, abs=1e-14)


def test_tangent_on_inputs_and_targets_reaches_the_loss():
    spec, params, x, y = make_problem(*MIXED)
    built = build(spec, params, x, y)
    rng = np.random.default_rng(2)
    dx, dy = rng.normal(size=x.shape), rng.normal(size=y.shape)
    directional = jvp(built.loss, {built.inputs.id: dx, built.targets.id: dy})[built.loss.id]
    numeric = central_difference(
        lambda s: loss_value(spec, params, x + s[0] * dx, y + s[0] * dy), np.zeros(1))[0]
    assert directional == pytest.approx(numeric, rel=1e-6)
