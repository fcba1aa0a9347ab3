"""One training iteration: stage order, every stage's numbers against an independent NumPy
backprop, the two update orders, JSON safety and the recorded per-node events."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.autodiff import primitives
from engine.learning.iteration import run_iteration
from engine.limits import MAX_PER_SAMPLE, MAX_SCALAR_WEIGHTS
from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec, Params, SpecError
from tests.engine import numpy_net

SPECS = {
    "se-tanh-linear": NetworkSpec((2, 3, 2), ("tanh", "linear"), "squared_error"),
    "se-deep-sigmoid": NetworkSpec((3, 4, 3, 2), ("sigmoid", "leaky_relu", "sigmoid"),
                                   "squared_error"),
    "se-softmax": NetworkSpec((2, 3, 3), ("relu", "softmax"), "squared_error"),
    "bce": NetworkSpec((2, 4, 3, 1), ("tanh", "relu", "sigmoid"), "binary_cross_entropy"),
    "ce": NetworkSpec((3, 4, 3), ("leaky_relu", "softmax"), "cross_entropy"),
    "bce-no-hidden": NetworkSpec((3, 2), ("sigmoid",), "binary_cross_entropy"),
}
LR = 0.3
TIGHT = {"rtol": 1e-10, "atol": 1e-13}


def problem(name, seed=0, batch=5):
    spec = SPECS[name]
    params, x, y = numpy_net.random_problem(spec, seed=seed, batch=batch)
    return spec, params, x, y


def stage_list(trace):
    return [(s.phase, s.layer) for s in trace.stages]


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize("name", list(SPECS))
def test_stage_order(name, granularity):
    spec, params, x, y = problem(name)
    trace = run_iteration(spec, params, x, y, LR, granularity=granularity)
    depth = spec.depth
    assert stage_list(trace) == (
        [("forward", l) for l in range(1, depth + 1)] + [("loss", None)]
        + [("backward", l) for l in range(depth, 0, -1)] + [("update", None)])
    assert trace.stage("loss").values["loss_name"] == spec.loss
    for l in range(1, depth + 1):
        assert trace.stage("forward", l).values["activation_name"] == spec.activations[l - 1]


@pytest.mark.parametrize("batch", [1, 6])
@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize("name", list(SPECS))
def test_stage_numbers_match_numpy_backprop(name, granularity, batch):
    spec, params, x, y = problem(name, seed=3, batch=batch)
    trace = run_iteration(spec, params, x, y, LR, granularity=granularity)
    ref = numpy_net.forward(spec, params.weights, params.biases, x, y)
    back = numpy_net.backprop(spec, params.weights, ref, y)
    depth = spec.depth
    for l in range(1, depth + 1):
        forward = trace.stage("forward", l).values
        np.testing.assert_allclose(forward["pre_activation"], ref.zs[l], **TIGHT)
        np.testing.assert_allclose(forward["activation"], ref.activations[l], **TIGHT)

    loss = trace.stage("loss").values
    assert loss["loss"] == pytest.approx(ref.loss, rel=1e-12)
    assert trace.loss == pytest.approx(ref.loss, rel=1e-12)
    np.testing.assert_allclose(loss["per_sample_loss"], ref.per_sample, **TIGHT)
    assert np.mean(loss["per_sample_loss"]) == pytest.approx(loss["loss"], rel=1e-12)
    np.testing.assert_array_equal(loss["targets"], y)
    np.testing.assert_allclose(loss["grad_output"], back.grad_output, **TIGHT)

    for l in range(depth, 0, -1):
        stage = trace.stage("backward", l).values
        np.testing.assert_allclose(stage["delta"], back.deltas[l], **TIGHT)
        np.testing.assert_allclose(stage["grad_weights"], back.grad_weights[l], **TIGHT)
        np.testing.assert_allclose(stage["grad_biases"], back.grad_biases[l], **TIGHT)
        if l < depth:
            np.testing.assert_allclose(stage["grad_activation"], back.grad_activations[l],
                                       **TIGHT)
        elif spec.loss == "squared_error":
            np.testing.assert_allclose(stage["grad_activation"], back.grad_output, **TIGHT)
        else:  # the loss takes the logits, so a^L sends nothing back in the graph
            np.testing.assert_array_equal(stage["grad_activation"], 0.0)
        # Per-sample contributions: sample i alone would give N delta_i (a_i^{l-1})^T.
        per_w, per_b = stage["per_sample_grad_weights"], stage["per_sample_grad_biases"]
        assert per_w.shape == (batch, *spec.weight_shape(l))
        for i in range(batch):
            np.testing.assert_allclose(
                per_w[i], batch * np.outer(back.deltas[l][i], ref.activations[l - 1][i]), **TIGHT)
        np.testing.assert_allclose(per_w.mean(axis=0), stage["grad_weights"], **TIGHT)
        np.testing.assert_allclose(per_b.mean(axis=0), stage["grad_biases"], **TIGHT)

    update = trace.stage("update").values
    assert update["learning_rate"] == LR
    for l in range(1, depth + 1):
        expected_w = params.weights[l - 1] - LR * back.grad_weights[l]
        expected_b = params.biases[l - 1] - LR * back.grad_biases[l]
        np.testing.assert_allclose(update["weights"][l - 1], expected_w, **TIGHT)
        np.testing.assert_allclose(update["biases"][l - 1], expected_b, **TIGHT)
        np.testing.assert_array_equal(trace.params_after.weights[l - 1],
                                      update["weights"][l - 1])
        np.testing.assert_array_equal(trace.params_before.weights[l - 1], params.weights[l - 1])


@pytest.mark.parametrize("name", ["se-deep-sigmoid", "bce", "ce", "se-softmax"])
def test_delta_recursion_between_backward_stages(name):
    """delta^{l-1} = f'(z^{l-1}) * (delta^l W^l), with f' computed here from the forward stage."""
    spec, params, x, y = problem(name, seed=5, batch=4)
    trace = run_iteration(spec, params, x, y, LR)
    for l in range(spec.depth, 1, -1):
        delta = trace.stage("backward", l).values["delta"]
        earlier = trace.stage("backward", l - 1).values["delta"]
        forward = trace.stage("forward", l - 1).values
        derivative = numpy_net.DERIVATIVES[spec.activations[l - 2]](
            forward["pre_activation"], forward["activation"])
        np.testing.assert_allclose(earlier, derivative * (delta @ params.weights[l - 1]), **TIGHT)
        np.testing.assert_allclose(trace.stage("backward", l - 1).values["grad_activation"],
                                   delta @ params.weights[l - 1], **TIGHT)


def test_per_sample_contributions_only_for_small_batches():
    spec, params, x, y = problem("se-tanh-linear", batch=MAX_PER_SAMPLE + 1)
    stage = run_iteration(spec, params, x, y, LR).stage("backward", 1).values
    assert "per_sample_grad_weights" not in stage and "per_sample_grad_biases" not in stage


# ---------------------------------------------------------------- update orders

def eager_by_hand(spec, params, x, y, lr):
    """Update W^L, b^L first, then send delta back through the NEW W^L, and so on down."""
    ref = numpy_net.forward(spec, params.weights, params.biases, x, y)
    weights = [w.copy() for w in params.weights]
    biases = [b.copy() for b in params.biases]
    delta = numpy_net.output_delta(spec, ref.zs[-1], ref.activations[-1], y)
    grads = {}
    for l in range(spec.depth, 0, -1):
        grads[l] = delta.T @ ref.activations[l - 1]
        weights[l - 1] = weights[l - 1] - lr * grads[l]
        biases[l - 1] = biases[l - 1] - lr * delta.sum(axis=0)
        if l > 1:
            derivative = numpy_net.DERIVATIVES[spec.activations[l - 2]](
                ref.zs[l - 1], ref.activations[l - 1])
            delta = (delta @ weights[l - 1]) * derivative
    return Params(weights, biases), grads


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize("name", ["se-tanh-linear", "se-deep-sigmoid", "bce", "ce"])
def test_eager_differs_from_after_backward_and_matches_hand_computation(name, granularity):
    spec, params, x, y = problem(name, seed=9, batch=5)
    lr = 0.5
    correct = run_iteration(spec, params, x, y, lr, "after_backward", granularity)
    eager = run_iteration(spec, params, x, y, lr, "eager", granularity)
    depth = spec.depth
    # The last layer's update uses only quantities computed before any update.
    np.testing.assert_allclose(eager.params_after.weights[-1], correct.params_after.weights[-1],
                               rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(eager.params_after.biases[-1], correct.params_after.biases[-1],
                               rtol=1e-13, atol=1e-15)
    # The first layer's error came back through weights that had already moved.
    assert np.max(np.abs(eager.params_after.weights[0] - correct.params_after.weights[0])) > 1e-6
    assert not np.allclose(eager.stage("backward", 1).values["grad_weights"],
                           correct.stage("backward", 1).values["grad_weights"])

    expected, grads = eager_by_hand(spec, params, x, y, lr)
    for l in range(1, depth + 1):
        np.testing.assert_allclose(eager.params_after.weights[l - 1], expected.weights[l - 1],
                                   **TIGHT)
        np.testing.assert_allclose(eager.params_after.biases[l - 1], expected.biases[l - 1],
                                   **TIGHT)
        stage = eager.stage("backward", l).values
        np.testing.assert_allclose(stage["grad_weights"], grads[l], **TIGHT)
        np.testing.assert_allclose(stage["updated_weights"], expected.weights[l - 1], **TIGHT)
        np.testing.assert_allclose(stage["updated_biases"], expected.biases[l - 1], **TIGHT)
        assert "updated_weights" not in correct.stage("backward", l).values
    np.testing.assert_array_equal(eager.stage("update").values["weights"][0],
                                  eager.params_after.weights[0])
    # The caller's parameters are not touched by the in-place eager update.
    np.testing.assert_array_equal(eager.params_before.weights[-1], params.weights[-1])
    assert eager.params_before.weights[-1] is not params.weights[-1]


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
def test_eager_equals_after_backward_without_hidden_layer(granularity):
    spec, params, x, y = problem("bce-no-hidden", seed=4, batch=6)
    correct = run_iteration(spec, params, x, y, 0.7, "after_backward", granularity)
    eager = run_iteration(spec, params, x, y, 0.7, "eager", granularity)
    np.testing.assert_allclose(eager.params_after.weights[0], correct.params_after.weights[0],
                               rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(eager.params_after.biases[0], correct.params_after.biases[0],
                               rtol=1e-14, atol=1e-15)


def test_unknown_update_order_is_refused():
    spec, params, x, y = problem("bce-no-hidden")
    with pytest.raises(SpecError) as error:
        run_iteration(spec, params, x, y, LR, "lazy")
    assert error.value.field == "update_order"


# ---------------------------------------------------------------- granularities and JSON

def assert_stage_values_equal(a, b):
    assert a.keys() == b.keys()
    for key, value in a.items():
        if isinstance(value, str):
            assert value == b[key]
        elif isinstance(value, list):
            for u, v in zip(value, b[key], strict=True):
                np.testing.assert_allclose(u, v, rtol=1e-12, atol=1e-12, err_msg=key)
        else:
            np.testing.assert_allclose(value, b[key], rtol=1e-12, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("order", ["after_backward", "eager"])
@pytest.mark.parametrize("name", list(SPECS))
def test_layer_and_scalar_traces_have_equal_numbers(name, order):
    spec, params, x, y = problem(name, seed=2, batch=3)
    layer = run_iteration(spec, params, x, y, LR, order, "layer")
    scalar = run_iteration(spec, params, x, y, LR, order, "scalar")
    assert stage_list(layer) == stage_list(scalar)
    for a, b in zip(layer.stages, scalar.stages, strict=True):
        assert_stage_values_equal(a.values, b.values)
    assert layer.loss == pytest.approx(scalar.loss, rel=1e-12)


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize("name", list(SPECS))
def test_to_dict_is_strict_json(name, granularity):
    spec, params, x, y = problem(name, seed=1, batch=4)
    for order in ("after_backward", "eager"):
        out = run_iteration(spec, params, x, y, LR, order, granularity).to_dict()
        text = json.dumps(out, allow_nan=False)
        back = json.loads(text)
        assert back["diverged"] is False
        assert back["granularity"] == granularity and back["update_order"] == order
        assert [s["phase"] for s in back["stages"]][0] == "forward"
        assert back["events"] is not None
        node_ids = {n["id"] for n in back["graph"]["nodes"]}
        for stage in back["stages"]:
            assert set(stage["node_ids"]) <= node_ids


def test_diverged_run_is_json_safe():
    spec = NetworkSpec((1, 2, 1), ("linear", "linear"), "squared_error")
    params = Params([np.array([[1.0], [0.5]]), np.array([[1.0, -1.0]])],
                    [np.zeros(2), np.zeros(1)])
    x, y = np.array([[10.0], [-3.0]]), np.array([[100.0], [-50.0]])
    first = run_iteration(spec, params, x, y, 1e308)
    assert first.diverged is True
    assert np.isfinite(first.loss)
    assert not first.params_after.is_finite()
    out = first.to_dict()
    json.dumps(out, allow_nan=False)
    assert out["diverged"] is True
    assert None in out["params_after"]["weights"][1][0]
    assert out["loss"] == pytest.approx(first.loss)

    # Carry on from the blown-up parameters: now the loss itself is not finite.
    second = run_iteration(spec, first.params_after, x, y, 1e308)
    assert second.diverged is True and not np.isfinite(second.loss)
    for granularity in ("layer", "scalar"):
        again = run_iteration(spec, first.params_after, x, y, 1e308, granularity=granularity)
        out = again.to_dict()
        json.dumps(out, allow_nan=False)
        assert out["loss"] is None and out["diverged"] is True
        assert out["stages"][spec.depth]["loss"] is None


def test_events_are_kept_for_a_recorded_iteration_of_any_size():
    big = NetworkSpec((16, 16, 1), ("tanh", "linear"), "squared_error")
    assert big.weight_count > MAX_SCALAR_WEIGHTS
    params, x, y = numpy_net.random_problem(big, seed=0, batch=MAX_PER_SAMPLE + 1)
    assert run_iteration(big, params, x, y, LR).to_dict()["events"] is not None
    assert run_iteration(big, params, x, y, LR, record=False).to_dict()["events"] is None


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize("order", ["after_backward", "eager"])
def test_an_unrecorded_iteration_has_the_same_stages_and_no_events(granularity, order):
    spec, params, x, y = problem("se-deep-sigmoid", batch=4)
    recorded = run_iteration(spec, params, x, y, LR, order, granularity, keep_graph=True)
    bare = run_iteration(spec, params, x, y, LR, order, granularity, record=False,
                         keep_graph=True)
    assert recorded.network.graph.backward_events and not bare.network.graph.backward_events
    with_events = recorded.to_dict()
    assert with_events["events"] is not None
    assert bare.to_dict() == {**with_events, "events": None}


def test_the_graph_is_let_go_of_unless_kept():
    spec, params, x, y = problem("bce", batch=2)
    assert run_iteration(spec, params, x, y, LR).network is None
    kept = run_iteration(spec, params, x, y, LR, keep_graph=True)
    assert kept.network.graph.nodes and kept.network.loss.grad is not None


def test_data_has_arrays_and_plain_has_the_same_numbers_as_lists():
    spec, params, x, y = problem("ce", batch=3)
    trace = run_iteration(spec, params, x, y, LR)
    lists, arrays = trace.to_dict(), trace.to_data()
    assert isinstance(arrays["stages"][0]["activation"], np.ndarray)
    assert isinstance(arrays["params_after"]["weights"][0], np.ndarray)
    assert lists["stages"][0]["activation"] == arrays["stages"][0]["activation"].tolist()
    assert lists["params_after"]["weights"][1] == arrays["params_after"]["weights"][1].tolist()
    assert "graph" not in trace.to_data(include_graph=False)


def test_stages_name_what_they_are():
    spec, params, x, y = problem("se-deep-sigmoid", batch=2)
    stages = run_iteration(spec, params, x, y, LR).to_dict()["stages"]
    assert [(s["phase"], s.get("layer"), s["name"], s["tag"]) for s in stages] == [
        ("forward", 1, "Forward, layer 1", "F1"), ("forward", 2, "Forward, layer 2", "F2"),
        ("forward", 3, "Forward, layer 3", "F3"), ("loss", None, "Loss", "C"),
        ("backward", 3, "Backward, layer 3", "B3"), ("backward", 2, "Backward, layer 2", "B2"),
        ("backward", 1, "Backward, layer 1", "B1"), ("update", None, "Update", "U")]


ELEMENTWISE = {primitives.sigmoid, primitives.tanh, primitives.relu, primitives.leaky_relu,
               primitives.identity}


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
@pytest.mark.parametrize("name", ["se-deep-sigmoid", "bce", "ce", "se-tanh-linear"])
def test_backward_events_are_upstream_times_local(name, granularity):
    spec, params, x, y = problem(name, seed=6, batch=3)
    trace = run_iteration(spec, params, x, y, LR, granularity=granularity, keep_graph=True)
    graph = trace.network.graph
    events = {e.node_id: e for e in graph.backward_events}
    assert events, "a small network records its backward events"
    checked = 0
    for event in graph.backward_events:
        node = graph.node(event.node_id)
        if node.id != trace.network.loss.id:
            np.testing.assert_allclose(sum(g for _, g in event.received), event.upstream,
                                       rtol=1e-13, atol=1e-15)
        np.testing.assert_array_equal(event.upstream, node.grad)
        for (parent, grad), (same_parent, _) in zip(event.sent, event.local, strict=True):
            assert parent == same_parent
            assert any(child == node.id and g is grad for child, g in events[parent].received)
        if node.prim in ELEMENTWISE:
            assert len(event.sent) == 1
            (_, sent), (_, local) = event.sent[0], event.local[0]
            np.testing.assert_allclose(sent, event.upstream * local, rtol=1e-15, atol=1e-300)
            checked += 1
    # Every hidden activation node, plus the output's when the loss takes a^L entry by entry.
    widths = spec.layer_sizes[1:] if granularity == "scalar" else [1] * spec.depth
    output_counts = spec.loss == "squared_error" and spec.activations[-1] != "softmax"
    assert checked == sum(widths[:-1]) + (widths[-1] if output_counts else 0)
    # The serialised events carry the same numbers.
    out = trace.to_dict()["events"]
    assert [e["node"] for e in out["backward"]] == [e.node_id for e in graph.backward_events]
    assert len(out["forward"]) == len(graph.nodes)


def test_recording_off_gives_the_same_numbers():
    spec, params, x, y = problem("bce", seed=8, batch=4)
    on = run_iteration(spec, params, x, y, LR, record=True)
    off = run_iteration(spec, params, x, y, LR, record=False, keep_graph=True)
    assert not off.network.graph.backward_events
    for a, b in zip(on.stages, off.stages, strict=True):
        assert_stage_values_equal(a.values, b.values)


@pytest.mark.parametrize("granularity", ["layer", "scalar"])
def test_backward_stage_carries_f_prime_of_z(granularity):
    """activation_derivative is f'(z^l) from the trace's own z, so delta = dC/da * f'(z)."""
    spec = NetworkSpec((2, 3, 2), ("tanh", "sigmoid"), "squared_error")
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(5, 2)), rng.uniform(size=(5, 2))
    trace = run_iteration(spec, init_params(spec, 2), x, y, 0.1, granularity=granularity)
    hidden, output = trace.stage("backward", 1).values, trace.stage("backward", 2).values
    z1 = trace.stage("forward", 1).values["pre_activation"]
    a2 = trace.stage("forward", 2).values["activation"]
    np.testing.assert_allclose(hidden["activation_derivative"], 1 - np.tanh(z1) ** 2, rtol=1e-12)
    np.testing.assert_allclose(output["activation_derivative"], a2 * (1 - a2), rtol=1e-12)
    for stage in (hidden, output):
        np.testing.assert_allclose(stage["delta"],
                                   stage["grad_activation"] * stage["activation_derivative"],
                                   rtol=1e-12, atol=1e-15)


def test_softmax_layer_has_no_elementwise_derivative():
    spec = NetworkSpec((2, 3), ("softmax",), "cross_entropy")
    trace = run_iteration(spec, init_params(spec, 0), np.ones((1, 2)), np.eye(3)[:1], 0.1)
    assert "activation_derivative" not in trace.stage("backward", 1).values
