"""Networks with up to 64 inputs (an 8x8 image): the spec's bounds, every gradient of a 64-input
network against central differences, and the saliency dC/dx against central differences, on
random data and on the shipped digits."""

from __future__ import annotations

import numpy as np
import pytest

from engine.autodiff.graph import backward
from engine.data.datasets import generate
from engine.learning.iteration import run_iteration
from engine.limits import MAX_INPUTS, MAX_NEURONS
from engine.networks.init import init_params
from engine.networks.network import build
from engine.networks.spec import NetworkSpec, SpecError
from tests.engine import numpy_net
from tests.finite_diff import assert_gradient_close, central_difference

DIGITS_NET = ((64, 16, 10), ("tanh", "softmax"), "cross_entropy")


def test_the_input_layer_takes_up_to_64_and_the_others_keep_their_limit():
    assert MAX_INPUTS == 64
    assert NetworkSpec((64, 32, 10), ("relu", "softmax"), "cross_entropy").weight_count == 2368
    for sizes, field in (((65, 4, 10), "layer_sizes[0]"), ((64, 33, 10), "layer_sizes[1]"),
                         ((2, 4, 64), "layer_sizes[2]")):
        with pytest.raises(SpecError) as caught:
            NetworkSpec(sizes, ("tanh", "softmax"), "cross_entropy")
        assert caught.value.field == field
        most = MAX_INPUTS if field.endswith("[0]") else MAX_NEURONS
        assert f"between 1 and {most}" in caught.value.message


@pytest.mark.parametrize("hidden", ["tanh", "relu", "sigmoid"])
def test_every_gradient_of_a_64_input_network_matches_central_differences(hidden):
    spec = NetworkSpec((64, 12, 10), (hidden, "softmax"), "cross_entropy")
    params, x, y = numpy_net.random_problem(spec, seed=64, batch=5)
    net = build(spec, params, x, y)
    backward(net.loss)
    num_w, num_b = numpy_net.numeric_gradients(spec, params.weights, params.biases, x, y,
                                               central_difference)
    for l in (1, 2):
        assert_gradient_close(net.grad_weights(l), num_w[l - 1])
        assert_gradient_close(net.grad_biases(l), num_b[l - 1])


def saliency_by_differences(spec, params, x, y):
    """dC/dx by central differences of the long-double loss of the reference network."""
    c0 = numpy_net.loss_of(spec, params.weights, params.biases, x, y)
    return central_difference(
        lambda changed: float(numpy_net.loss_of(spec, params.weights, params.biases, changed, y)
                              - c0), x)


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
def test_saliency_matches_central_differences(granularity):
    spec = NetworkSpec((64, 2, 3), ("tanh", "softmax"), "cross_entropy")  # 134 weights
    params, x, y = numpy_net.random_problem(spec, seed=8, batch=3)
    net = build(spec, params, x, y, granularity, input_gradient=True)
    backward(net.loss)
    assert net.grad_inputs().shape == (3, 64)
    assert_gradient_close(net.grad_inputs(), saliency_by_differences(spec, params, x, y))


def test_saliency_of_real_digits_matches_central_differences():
    spec = NetworkSpec(*DIGITS_NET)
    data = generate("digits", samples=4, seed=2)
    params = init_params(spec, 3)
    x, y = np.array(data.inputs), np.array(data.targets)
    trace = run_iteration(spec, params, x, y, 0.5, input_gradient=True)
    saliency = np.array(trace.stage("backward", 1).values["grad_inputs"])
    assert_gradient_close(saliency, saliency_by_differences(spec, params, x, y))


def test_the_saliency_is_only_taken_when_asked_and_changes_nothing_else():
    spec = NetworkSpec(*DIGITS_NET)
    data = generate("digits", samples=6, seed=1)
    params = init_params(spec, 0)
    x, y = np.array(data.inputs), np.array(data.targets)
    plain = run_iteration(spec, params, x, y, 0.5).to_dict()
    asked = run_iteration(spec, params, x, y, 0.5, input_gradient=True).to_dict()
    first = asked["stages"][-2]
    assert first["phase"] == "backward" and first["layer"] == 1
    assert np.shape(first.pop("grad_inputs")) == (6, 64)
    assert all("grad_inputs" not in stage for stage in plain["stages"])
    # The recorded events differ only in that x now receives its gradient too.
    assert ({k: v for k, v in asked.items() if k != "events"}
            == {k: v for k, v in plain.items() if k != "events"})
