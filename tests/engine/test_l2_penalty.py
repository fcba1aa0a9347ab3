"""The L2 penalty C = C₀ + (λ/2) Σ ||W^l||²: its gradient against central finite differences, its
own terms in the loss and backward stages, and the two granularities alike."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from engine.learning.iteration import run_iteration
from engine.networks.network import loss_value
from engine.networks.spec import NetworkSpec, SpecError
from tests.engine import numpy_net

SPEC = NetworkSpec((3, 4, 2), ("tanh", "sigmoid"), "binary_cross_entropy", l2=0.3)
H = 1e-6


def central_difference(function, params, l, index) -> float:
    """(f(w + h) - f(w - h)) / 2h for one weight w of W^l."""
    values = []
    for sign in (1, -1):
        moved = params.copy()
        moved.weights[l - 1][index] += sign * H
        values.append(function(moved))
    return (values[0] - values[1]) / (2 * H)


def relative_error(a, b) -> float:
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(a)), np.max(np.abs(b))))


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
def test_the_penalty_and_its_gradient_against_finite_differences(granularity):
    params, x, y = numpy_net.random_problem(SPEC, seed=2, batch=5)
    trace = run_iteration(SPEC, params, x, y, 0.1, granularity=granularity)
    plain = replace(SPEC, l2=0.0)

    def cost(p):
        return loss_value(SPEC, p, x, y)

    def penalty(p):
        return loss_value(SPEC, p, x, y) - loss_value(plain, p, x, y)

    for l in (1, 2):
        stage = trace.stage("backward", l).values
        shape = SPEC.weight_shape(l)
        numeric = np.array([central_difference(cost, params, l, i) for i in np.ndindex(shape)])
        assert relative_error(stage["grad_weights"].ravel(), numeric) < 1e-6
        numeric = np.array([central_difference(penalty, params, l, i) for i in np.ndindex(shape)])
        assert relative_error(stage["grad_weights_penalty"].ravel(), numeric) < 1e-6
        np.testing.assert_array_equal(stage["grad_weights_penalty"], 0.3 * params.weights[l - 1])
        np.testing.assert_array_equal(stage["grad_weights"],
                                      stage["grad_weights_data"] + stage["grad_weights_penalty"])
        # The data term is the gradient of the network without a penalty.
        np.testing.assert_allclose(
            stage["grad_weights_data"],
            run_iteration(plain, params, x, y, 0.1).stage("backward", l).values["grad_weights"],
            rtol=1e-12)


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
def test_in_the_eager_order_the_penalty_term_is_what_it_sent_before_the_weights_moved(granularity):
    """The penalty sends λ W^l before any weight moves; the terms shown are those sent."""
    params, x, y = numpy_net.random_problem(SPEC, seed=4, batch=3)
    trace = run_iteration(SPEC, params, x, y, 0.1, "eager", granularity)
    for l in (1, 2):
        stage = trace.stage("backward", l).values
        assert not np.array_equal(trace.params_after.weights[l - 1], params.weights[l - 1])
        np.testing.assert_array_equal(stage["grad_weights_penalty"], 0.3 * params.weights[l - 1])
        np.testing.assert_array_equal(stage["grad_weights"],
                                      stage["grad_weights_data"] + stage["grad_weights_penalty"])


def test_the_loss_stage_shows_both_terms_and_both_granularities_agree():
    params, x, y = numpy_net.random_problem(SPEC, seed=3, batch=4)
    layer = run_iteration(SPEC, params, x, y, 0.1)
    scalar = run_iteration(SPEC, params, x, y, 0.1, granularity="scalar")
    loss = layer.stage("loss").values
    squares = sum(float(np.sum(w * w)) for w in params.weights)
    assert loss["penalty"] == pytest.approx(0.15 * squares, rel=1e-14)
    assert loss["loss"] == loss["data_loss"] + loss["penalty"] == layer.loss
    assert np.mean(loss["per_sample_loss"]) == pytest.approx(loss["data_loss"], rel=1e-14)
    assert loss["l2"] == 0.3 and layer.to_data()["l2"] == 0.3
    assert scalar.stage("loss").values["penalty"] == loss["penalty"]
    assert scalar.loss == layer.loss
    for a, b in zip(scalar.params_after.weights, layer.params_after.weights, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    nodes = {n["name"]: n["kind"] for n in layer.to_data()["graph"]["nodes"]}
    assert nodes["C0"] == "data_loss" and nodes["L2"] == "penalty" and nodes["C"] == "loss"


def test_without_a_penalty_the_stages_are_as_before():
    plain = replace(SPEC, l2=0.0)
    params, x, y = numpy_net.random_problem(plain, seed=3, batch=4)
    trace = run_iteration(plain, params, x, y, 0.1)
    assert "penalty" not in trace.stage("loss").values
    assert "grad_weights_penalty" not in trace.stage("backward", 1).values
    assert "l2" not in trace.to_data()


@pytest.mark.parametrize("l2", [-0.1, 10.5, float("nan")])
def test_the_strength_is_bounded(l2):
    with pytest.raises(SpecError, match="between 0 and 10"):
        replace(SPEC, l2=l2)
