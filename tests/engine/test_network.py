"""Networks at both granularities against an independent NumPy network and central differences;
spec and parameter validation; seeded initialisation."""

from __future__ import annotations

import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.autodiff.graph import backward
from engine.learning.iteration import network_graph, run_iteration
from engine.limits import MAX_LAYERS, MAX_NEURONS, MAX_SCALAR_WEIGHTS
from engine.networks.init import init_params, weight_std
from engine.networks.network import build, loss_value, predict
from engine.networks.spec import NetworkSpec, Params, SpecError
from engine.views.serialize import graph_dict
from tests.engine import numpy_net
from tests.finite_diff import assert_gradient_close, central_difference

HIDDEN = ("sigmoid", "tanh", "relu", "leaky_relu", "linear")
OUTPUTS = (  # (loss, output activation)
    ("squared_error", "linear"),
    ("squared_error", "sigmoid"),
    ("squared_error", "tanh"),
    ("squared_error", "softmax"),
    ("binary_cross_entropy", "sigmoid"),
    ("cross_entropy", "softmax"),
)
SHAPES = ((2, 3, 1), (3, 4, 4, 2), (1, 2, 3))


def make_spec(shape, hidden, output, loss) -> NetworkSpec:
    return NetworkSpec(shape, (hidden,) * (len(shape) - 2) + (output,), loss)


CASES = [
    pytest.param(shape, hidden, loss, output, batch,
                 id=f"{'-'.join(map(str, shape))}-{hidden}-{output}-{loss}-N{batch}")
    for shape in SHAPES
    for hidden in HIDDEN
    for loss, output in OUTPUTS
    for batch in (1, 5)
    if not (output == "softmax" and shape[-1] < 2)
]


def backward_built(spec, params, x, y, granularity):
    net = build(spec, params, x, y, granularity)
    backward(net.loss)
    return net


def check_against_reference(spec, params, x, y):
    """Both granularities: values against the NumPy network, gradients against central
    differences, and the two granularities against each other to 1e-12."""
    ref = numpy_net.forward(spec, params.weights, params.biases, x, y)
    num_w, num_b = numpy_net.numeric_gradients(spec, params.weights, params.biases, x, y,
                                               central_difference)
    nets = {g: backward_built(spec, params, x, y, g) for g in ("layer", "scalar")}
    for net in nets.values():
        assert float(net.loss.value) == pytest.approx(float(ref.loss), rel=1e-12, abs=1e-14)
        for l in range(1, spec.depth + 1):
            np.testing.assert_allclose(net.pre_activation(l), ref.zs[l], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(net.activation(l), ref.activations[l], rtol=1e-12,
                                       atol=1e-14)
            assert net.grad_weights(l).shape == spec.weight_shape(l)
            assert net.grad_biases(l).shape == (spec.layer_sizes[l],)
            assert_gradient_close(net.grad_weights(l), num_w[l - 1])
            assert_gradient_close(net.grad_biases(l), num_b[l - 1])
    layer, scalar = nets["layer"], nets["scalar"]
    assert float(scalar.loss.value) == pytest.approx(float(layer.loss.value), rel=1e-12)
    for l in range(1, spec.depth + 1):
        for read in ("pre_activation", "activation", "delta", "grad_activation", "grad_weights",
                     "grad_biases"):
            np.testing.assert_allclose(getattr(scalar, read)(l), getattr(layer, read)(l),
                                       rtol=1e-12, atol=1e-12, err_msg=f"{read}({l})")
    return nets


@pytest.mark.parametrize(("shape", "hidden", "loss", "output", "batch"), CASES)
def test_gradients_match_central_differences(shape, hidden, loss, output, batch):
    spec = make_spec(shape, hidden, output, loss)
    seed = zlib.crc32(repr((shape, hidden, loss, output, batch)).encode())
    params, x, y = numpy_net.random_problem(spec, seed=seed, batch=batch)
    check_against_reference(spec, params, x, y)


def test_case_grid_covers_every_pairing():
    seen = {(c.values[1], c.values[2], c.values[3]) for c in CASES}
    assert seen == {(h, loss, out) for h in HIDDEN for loss, out in OUTPUTS}
    assert len(CASES) == 3 * 5 * 6 * 2 - 5 * 2 * 2


def test_deltas_and_hidden_activation_grads_match_the_textbook_recursion():
    spec = NetworkSpec((3, 4, 4, 2), ("tanh", "relu", "softmax"), "cross_entropy")
    params, x, y = numpy_net.random_problem(spec, seed=11, batch=6)
    ref = numpy_net.forward(spec, params.weights, params.biases, x, y)
    back = numpy_net.backprop(spec, params.weights, ref, y)
    for granularity in ("layer", "scalar"):
        net = backward_built(spec, params, x, y, granularity)
        for l in range(1, 4):
            np.testing.assert_allclose(net.delta(l), back.deltas[l], rtol=1e-10, atol=1e-14)
            np.testing.assert_allclose(net.grad_weights(l), back.grad_weights[l], rtol=1e-10,
                                       atol=1e-14)
        for l in (1, 2):
            np.testing.assert_allclose(net.grad_activation(l), back.grad_activations[l],
                                       rtol=1e-10, atol=1e-14)
        # The loss takes the logits: a^L does not reach C in the graph.
        np.testing.assert_array_equal(net.grad_activation(3), np.zeros((6, 2)))


def test_predict_and_loss_value():
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    params, x, y = numpy_net.random_problem(spec, seed=2, batch=7)
    ref = numpy_net.forward(spec, params.weights, params.biases, x, y)
    np.testing.assert_allclose(predict(spec, params, x), ref.activations[-1], rtol=1e-12)
    assert loss_value(spec, params, x, y) == pytest.approx(float(ref.loss), rel=1e-12)


# ---------------------------------------------------------------- the scalar graph's limit

def test_scalar_graph_refused_above_the_limit():
    at_limit = NetworkSpec((2, 20, 8), ("tanh", "linear"), "squared_error")
    above = NetworkSpec((3, 20, 8), ("tanh", "linear"), "squared_error")
    assert at_limit.weight_count == MAX_SCALAR_WEIGHTS < above.weight_count
    for spec in (at_limit, above):
        params, x, y = numpy_net.random_problem(spec, seed=0, batch=2)
        if spec is at_limit:
            assert build(spec, params, x, y, "scalar").granularity == "scalar"
            continue
        with pytest.raises(SpecError) as error:
            build(spec, params, x, y, "scalar")
        assert error.value.field == "granularity"
        assert str(MAX_SCALAR_WEIGHTS) in error.value.message
        with pytest.raises(SpecError) as error:
            run_iteration(spec, params, x, y, 0.1, granularity="scalar")
        assert error.value.field == "granularity"
        build(spec, params, x, y, "layer")  # the layer graph has no such limit
    with pytest.raises(SpecError) as error:
        build(at_limit, *numpy_net.random_problem(at_limit, seed=0, batch=2), "neuron")
    assert error.value.field == "granularity"


# ---------------------------------------------------------------- spec validation

@pytest.mark.parametrize(("sizes", "activations", "loss", "field"), [
    ((2, 3, 1), ("swish", "sigmoid"), "squared_error", "activations[0]"),
    ((2, 3, 1), ("tanh", "gelu"), "squared_error", "activations[1]"),
    ((2, 3, 2), ("softmax", "softmax"), "cross_entropy", "activations[0]"),
    ((2, 3, 3, 2), ("tanh", "softmax", "linear"), "squared_error", "activations[1]"),
    ((2, 3, 1), ("tanh", "tanh"), "binary_cross_entropy", "activations[1]"),
    ((2, 3, 1), ("tanh", "linear"), "binary_cross_entropy", "activations[1]"),
    ((2, 3, 2), ("tanh", "sigmoid"), "cross_entropy", "activations[1]"),
    ((2, 3, 1), ("tanh",), "squared_error", "activations"),
    ((2, 3, 1), ("tanh", "tanh", "tanh"), "squared_error", "activations"),
    ((2, 3, 1), ("tanh", "sigmoid"), "hinge", "loss"),
    ((0, 3, 1), ("tanh", "sigmoid"), "squared_error", "layer_sizes[0]"),
    ((2, MAX_NEURONS + 1, 1), ("tanh", "sigmoid"), "squared_error", "layer_sizes[1]"),
    ((2, 3, -1), ("tanh", "sigmoid"), "squared_error", "layer_sizes[2]"),
    ((2,), (), "squared_error", "layer_sizes"),
    ((2,) * (MAX_LAYERS + 2), ("tanh",) * (MAX_LAYERS + 1), "squared_error", "layer_sizes"),
    ((2, 3, 1), ("tanh", "softmax"), "squared_error", "layer_sizes[2]"),
])
def test_spec_errors_name_the_field(sizes, activations, loss, field):
    with pytest.raises(SpecError) as error:
        NetworkSpec(sizes, activations, loss)
    assert error.value.field == field
    assert isinstance(error.value, ValueError)
    assert str(error.value).startswith(f"{field}: ")


def test_spec_bounds_accept_the_extremes():
    spec = NetworkSpec((MAX_NEURONS,) + (1,) * MAX_LAYERS, ("linear",) * MAX_LAYERS,
                       "squared_error")
    assert spec.depth == MAX_LAYERS
    assert spec.weight_count == MAX_NEURONS + MAX_LAYERS - 1
    assert spec.parameter_count == spec.weight_count + MAX_LAYERS


def test_params_from_lists_checks_shapes():
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    good_w = [np.ones((3, 2)).tolist(), np.ones((1, 3)).tolist()]
    good_b = [[0.0, 0.0, 0.0], [0.0]]
    params = Params.from_lists(spec, good_w, good_b)
    assert [w.shape for w in params.weights] == [(3, 2), (1, 3)]
    assert all(w.dtype == np.float64 for w in params.weights + params.biases)

    with pytest.raises(SpecError) as error:
        Params.from_lists(spec, [good_w[0], np.ones((3, 1)).tolist()], good_b)
    assert error.value.field == "params.weights[1]"
    assert "W^2" in error.value.message and "1x3" in error.value.message
    assert "3x1" in error.value.message  # what it got

    with pytest.raises(SpecError) as error:
        Params.from_lists(spec, [np.ones((2, 3)).tolist(), good_w[1]], good_b)
    assert error.value.field == "params.weights[0]"
    assert "W^1" in error.value.message and "3x2" in error.value.message

    with pytest.raises(SpecError) as error:
        Params.from_lists(spec, good_w, [[0.0, 0.0], [0.0]])
    assert error.value.field == "params.biases[0]"
    assert "b^1" in error.value.message and "3" in error.value.message

    with pytest.raises(SpecError) as error:
        Params.from_lists(spec, good_w[:1], good_b)
    assert error.value.field == "params.weights"
    with pytest.raises(SpecError) as error:
        Params.from_lists(spec, good_w, good_b[:1])
    assert error.value.field == "params.biases"
    with pytest.raises(SpecError) as error:
        Params.from_lists(spec, [good_w[0], [[1.0, float("nan"), 1.0]]], good_b)
    assert error.value.field == "params.weights[1]"
    with pytest.raises(SpecError) as error:
        Params.from_lists(spec, [[[1.0, 2.0], [1.0], [3.0, 4.0]], good_w[1]], good_b)
    assert error.value.field == "params.weights[0]"


# ---------------------------------------------------------------- initialisation

def test_init_params_is_seeded_bit_for_bit():
    spec = NetworkSpec((3, 5, 4, 2), ("relu", "tanh", "softmax"), "cross_entropy")
    a, b, c = init_params(spec, seed=7), init_params(spec, seed=7), init_params(spec, seed=8)
    for wa, wb, wc in zip(a.weights, b.weights, c.weights, strict=True):
        assert wa.tobytes() == wb.tobytes()
        assert not np.array_equal(wa, wc)
    assert [w.shape for w in a.weights] == [(5, 3), (4, 5), (2, 4)]
    for bias, n in zip(a.biases, (5, 4, 2), strict=True):
        np.testing.assert_array_equal(bias, np.zeros(n))


def test_init_std_he_for_relu_xavier_for_tanh():
    n = MAX_NEURONS
    for activation, expected in (("relu", np.sqrt(2.0 / n)), ("leaky_relu", np.sqrt(2.0 / n)),
                                 ("tanh", np.sqrt(2.0 / (2 * n))),
                                 ("sigmoid", np.sqrt(2.0 / (2 * n)))):
        spec = NetworkSpec((n,) * 6, (activation,) * 4 + ("linear",), "squared_error")
        params = init_params(spec, seed=1)
        drawn = np.concatenate([w.ravel() for w in params.weights[:4]])
        assert weight_std("auto", activation, n, n) == pytest.approx(expected)
        assert np.std(drawn) == pytest.approx(expected, rel=0.06), activation
        assert abs(np.mean(drawn)) < 0.1 * expected
    relu = NetworkSpec((n, n, n), ("relu", "linear"), "squared_error")
    assert np.std(init_params(relu, seed=2, scheme="xavier").weights[0]) == pytest.approx(
        np.sqrt(1.0 / n), rel=0.1)
    tanh = NetworkSpec((n, n, n), ("tanh", "linear"), "squared_error")
    assert np.std(init_params(tanh, seed=2, scheme="he").weights[0]) == pytest.approx(
        np.sqrt(2.0 / n), rel=0.1)
    with pytest.raises(SpecError) as error:
        init_params(tanh, scheme="lecun")
    assert error.value.field == "init"


# ---------------------------------------------------------------- property test

@st.composite
def problems(draw):
    depth = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(depth + 1)]
    hidden = [draw(st.sampled_from(HIDDEN)) for _ in range(depth - 1)]
    loss, output = draw(st.sampled_from(OUTPUTS))
    if output == "softmax":
        sizes[-1] = max(sizes[-1], 2)
    spec = NetworkSpec(tuple(sizes), (*hidden, output), loss)
    batch = draw(st.integers(1, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    weight_std = draw(st.sampled_from([0.3, 0.8, 1.5]))
    return spec, numpy_net.random_problem(spec, seed=seed, batch=batch, weight_std=weight_std)


@settings(max_examples=30, deadline=None, derandomize=True)
@given(problems())
def test_property_granularities_agree_and_match_central_differences(problem):
    spec, (params, x, y) = problem
    check_against_reference(spec, params, x, y)


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
def test_network_graph_is_the_graph_of_any_network_of_that_shape(granularity):
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")

    def built(rows, seed):
        rng = np.random.default_rng(seed)
        return build(spec, init_params(spec, seed), rng.normal(size=(rows, 2)),
                     rng.uniform(size=(rows, 1)), granularity)

    for rows, seed in ((4, 0), (4, 1), (5, 0)):
        assert network_graph(spec, granularity, rows) == graph_dict(built(rows, seed).graph)
    assert network_graph(spec, granularity, 4) != network_graph(spec, granularity, 5)


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
def test_every_node_says_what_it_is(granularity):
    spec = NetworkSpec((2, 3, 2), ("tanh", "softmax"), "cross_entropy")
    nodes = network_graph(spec, granularity, 1)["nodes"]
    whole = granularity == "layer"
    by_kind = {}
    for node in nodes:
        by_kind.setdefault(node["kind"], []).append((node["layer"], node["index"]))
    if whole:
        assert by_kind["weight"] == [(1, None), (2, None)]
        assert by_kind["activation"] == [(1, None), (2, None)]
    else:
        assert by_kind["weight"] == [(1, [j, k]) for j in range(3) for k in range(2)] + [
            (2, [j, k]) for j in range(2) for k in range(3)]
        assert by_kind["pre_activation"] == [(1, [j]) for j in range(3)] + [
            (2, [j]) for j in range(2)]
        assert by_kind["input"] == [(0, [0]), (0, [1])]
    assert by_kind["loss"] == [(2, None)]
    assert set(by_kind) == {"input", "target", "weight", "bias", "pre_activation", "activation",
                            "loss"}


def test_drawn_parameters_are_fresh_copies_a_caller_may_change():
    spec = NetworkSpec((2, 3, 1), ("relu", "sigmoid"), "binary_cross_entropy")
    first = init_params(spec, seed=5)
    expected = [w.copy() for w in first.weights]
    first.weights[0][0, 0] += 1.0
    first.biases[0][0] = 7.0
    again = init_params(spec, seed=5)
    assert all(np.array_equal(a, b) for a, b in zip(again.weights, expected, strict=True))
    assert not again.biases[0].any()
    assert not np.array_equal(init_params(spec, seed=6).weights[0], expected[0])


def test_a_released_graph_is_freed_by_reference_counting_alone():
    """Nodes and their graph form a cycle; after release() nothing of it waits for the cycle
    collector, while the values read before (and the built network's own nodes) stay."""
    import gc
    import weakref

    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy")
    inputs, targets = np.array([[0.5, -1.0], [1.0, 2.0]]), np.array([[1.0], [0.0]])
    gc.disable()
    try:
        net = build(spec, init_params(spec, 4), inputs, targets)
        backward(net.loss)
        graph, z1 = weakref.ref(net.graph), weakref.ref(net.layer(1).pre_activation.value)
        output = net.output()
        net.graph.release()
        assert np.array_equal(net.output(), output) and net.loss.grad is not None
        del net
        assert graph() is None and z1() is None
        unreleased = build(spec, init_params(spec, 4), inputs, targets)
        kept = weakref.ref(unreleased.graph)
        del unreleased
        assert kept() is not None   # the cycle: only gc would free it
    finally:
        gc.enable()
    gc.collect()
    assert kept() is None
