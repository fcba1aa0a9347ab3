"""Backprop through time: gradients against finite differences, per-step parts, limits and depth."""

from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pytest

from engine.demos.rnn import (
    MAX_GRAPH_NODES,
    PARAM_NAMES,
    RnnError,
    RnnParams,
    bptt,
    init_rnn_params,
    sequence_task,
)
from tests.finite_diff import assert_gradient_close, central_difference


def problem(n_in, n_hidden, n_out, steps, loss_at, seed=0, scale=None):
    """Parameters with non-zero biases, inputs and targets of the shape loss_at needs.

    Inputs have std 0.5 so tanh is rarely saturated: no gradient entry is so small that the
    finite-difference rounding error (about 1e-16 |C| / 1e-6) exceeds 1e-6 of it.
    """
    rng = np.random.default_rng(seed + 100)
    params = init_rnn_params(n_in, n_hidden, n_out, seed, scale=scale)
    params = dataclasses.replace(params, b_h=rng.normal(0, 0.3, n_hidden),
                                 b_y=rng.normal(0, 0.3, n_out))
    inputs = rng.normal(0, 0.5, size=(steps, n_in))
    targets = rng.normal(size=(n_out,) if loss_at == "last" else (steps, n_out))
    return params, inputs, targets


def loss_as_function_of(params, name, inputs, targets, loss_at):
    """C as a function of one parameter, the others held fixed."""
    def loss(value):
        changed = dataclasses.replace(params, **{name.lower(): value})
        return bptt(changed, inputs, targets, loss_at, record=False).loss
    return loss


def numpy_forward(params: RnnParams, inputs):
    """h_t = tanh(W_xh x_t + W_hh h_{t-1} + b_h), yhat_t = W_hy h_t + b_y, written out directly."""
    h = np.zeros(params.w_hh.shape[0])
    hidden, outputs = [], []
    for x in inputs:
        h = np.tanh(params.w_xh @ x + params.w_hh @ h + params.b_h)
        hidden.append(h)
        outputs.append(params.w_hy @ h + params.b_y)
    return np.array(hidden), np.array(outputs)


def ratios(norms):
    """||dC/dh_t|| / ||dC/dh_{t+1}|| for t = 1..T-1."""
    norms = np.array(norms)
    return norms[:-1] / norms[1:]


# ---------------------------------------------------------------- values and gradients

@pytest.mark.parametrize("loss_at", ["last", "every"])
@pytest.mark.parametrize("steps", [1, 3, 6])
@pytest.mark.parametrize("sizes", [(1, 1, 1), (2, 3, 2), (3, 4, 2)])
def test_every_gradient_matches_central_differences(sizes, steps, loss_at):
    params, inputs, targets = problem(*sizes, steps, loss_at, seed=steps)
    trace = bptt(params, inputs, targets, loss_at)
    for name, value in params.arrays().items():
        numeric = central_difference(
            loss_as_function_of(params, name, inputs, targets, loss_at), value)
        assert_gradient_close(trace.grads[name], numeric)


@pytest.mark.parametrize("loss_at", ["last", "every"])
def test_forward_values_match_the_recurrence_written_in_numpy(loss_at):
    params, inputs, targets = problem(2, 3, 2, 5, loss_at)
    trace = bptt(params, inputs, targets, loss_at)
    hidden, outputs = numpy_forward(params, inputs)
    np.testing.assert_allclose(trace.hidden_states, hidden, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(trace.outputs, outputs, rtol=1e-13, atol=1e-15)
    errors = 0.5 * np.sum((outputs - targets) ** 2, axis=-1)
    expected = errors[-1] if loss_at == "last" else errors.mean()
    assert trace.loss == pytest.approx(expected, rel=1e-13)


def test_every_and_last_agree_for_a_single_step():
    params, inputs, targets = problem(2, 3, 2, 1, "every")
    every = bptt(params, inputs, targets, "every")
    last = bptt(params, inputs, targets[0], "last")
    assert every.loss == pytest.approx(last.loss, rel=1e-15)
    for name in PARAM_NAMES:
        np.testing.assert_allclose(every.grads[name], last.grads[name], rtol=1e-15)


# ---------------------------------------------------------------- contributions by step

@pytest.mark.parametrize("record", [True, False])
@pytest.mark.parametrize("loss_at", ["last", "every"])
def test_step_contributions_sum_to_the_total_gradient(loss_at, record):
    params, inputs, targets = problem(2, 4, 3, 7, loss_at)
    trace = bptt(params, inputs, targets, loss_at, record=record)
    for name in PARAM_NAMES:
        parts = trace.step_contributions[name]
        assert len(parts) == 7
        assert all(p.shape == params.arrays()[name].shape for p in parts)
        np.testing.assert_allclose(np.sum(parts, axis=0), trace.grads[name],
                                   rtol=1e-12, atol=1e-15)


def test_recorded_and_recomputed_contributions_agree():
    params, inputs, targets = problem(2, 4, 3, 5, "every")
    recorded = bptt(params, inputs, targets, "every", record=True).step_contributions
    recomputed = bptt(params, inputs, targets, "every", record=False).step_contributions
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(recorded[name], recomputed[name])


@pytest.mark.parametrize("loss_at", ["last", "every"])
def test_a_single_step_contributes_the_whole_gradient(loss_at):
    params, inputs, targets = problem(3, 2, 2, 1, loss_at)
    trace = bptt(params, inputs, targets, loss_at)
    for name in PARAM_NAMES:
        [part] = trace.step_contributions[name]
        np.testing.assert_array_equal(part, trace.grads[name])


def test_each_parameter_receives_once_per_step_from_that_steps_node():
    params, inputs, targets = problem(2, 3, 2, 4, "every")
    trace = bptt(params, inputs, targets, "every")
    for name in PARAM_NAMES:
        [leaf] = [n for n in trace.graph.nodes if n.name == name]
        assert leaf.role == "param" and leaf.layer is None
        layers = [trace.graph.node(child).layer for child, _ in leaf.received]
        assert sorted(layers) == [1, 2, 3, 4]


def test_output_parameters_get_only_the_last_step_when_the_loss_is_at_the_end():
    params, inputs, targets = problem(2, 3, 2, 4, "last")
    trace = bptt(params, inputs, targets, "last")
    for name in ("W_hy", "b_y"):
        *early, final = trace.step_contributions[name]
        assert all(not part.any() for part in early)
        np.testing.assert_array_equal(final, trace.grads[name])
    # W_xh is used at every step, and every step before the end still feeds h_T.
    assert all(part.any() for part in trace.step_contributions["W_xh"])


# ---------------------------------------------------------------- vanishing and exploding

def test_gradient_vanishes_geometrically_for_a_small_recurrent_scale():
    inputs = 1e-6 * np.random.default_rng(0).normal(size=(12, 2))  # tanh stays linear
    params = init_rnn_params(2, 5, 1, seed=3, scale=0.5)
    norms = bptt(params, inputs, [1.0]).grad_norm_by_step
    np.testing.assert_allclose(ratios(norms), 0.5, rtol=1e-6)
    assert norms[0] == pytest.approx(norms[-1] * 0.5 ** 11, rel=1e-5)


def test_gradient_explodes_geometrically_for_a_large_recurrent_scale():
    inputs = 1e-6 * np.random.default_rng(0).normal(size=(12, 2))
    params = init_rnn_params(2, 5, 1, seed=3, scale=2.0)
    norms = bptt(params, inputs, [1.0]).grad_norm_by_step
    np.testing.assert_allclose(ratios(norms), 2.0, rtol=1e-5)
    assert norms[0] > 1000 * norms[-1]


@pytest.mark.parametrize("scale", [0.5, 1.0, 3.0])
def test_each_step_back_multiplies_the_gradient_norm_by_at_most_the_scale(scale):
    # dC/dh_{t-1} = dC/dh_t diag(1 - h_t^2) W_hh, ||W_hh|| = scale and |tanh'| <= 1.
    inputs, targets = sequence_task("mean", 15, seed=1)
    params = init_rnn_params(1, 6, 1, seed=2, scale=scale)
    assert (ratios(bptt(params, inputs, targets).grad_norm_by_step) <= scale * (1 + 1e-12)).all()


def test_a_diverging_run_is_flagged_and_serialises_without_warnings():
    params = init_rnn_params(1, 4, 1, seed=0, scale=100.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trace = bptt(params, np.zeros((200, 1)), [1.0])
        data = trace.to_dict()
    assert trace.diverged and data["diverged"]
    assert data["grads"]["W_hh"][0][0] is None
    assert data["graph"] is None and data["events"] is None
    json.dumps(data, allow_nan=False)


# ---------------------------------------------------------------- depth

def test_a_2500_step_sequence_runs_backward_without_recursion():
    inputs = np.random.default_rng(0).normal(size=(2500, 2))
    params = init_rnn_params(2, 4, 1, seed=0)
    trace = bptt(params, inputs, [0.5], record=False, max_steps=2500)
    assert len(trace.graph.nodes) > 10_000
    assert not trace.diverged
    assert len(trace.grad_norm_by_step) == 2500
    for name in PARAM_NAMES:
        np.testing.assert_allclose(np.sum(trace.step_contributions[name], axis=0),
                                   trace.grads[name], rtol=1e-10, atol=1e-14)
    with pytest.raises(RnnError, match="steps must be an integer from 1 to 200"):
        bptt(params, inputs, [0.5], record=False)


# ---------------------------------------------------------------- limits and shapes

@pytest.mark.parametrize(("sizes", "message"), [
    ((9, 2, 1), "n_in must be an integer from 1 to 8, got 9"),
    ((1, 33, 1), "n_hidden must be an integer from 1 to 32, got 33"),
    ((1, 2, 9), "n_out must be an integer from 1 to 8, got 9"),
    ((0, 2, 1), "n_in must be an integer from 1 to 8, got 0"),
    ((1, 2.5, 1), "n_hidden must be an integer"),
])
def test_sizes_beyond_the_limits_are_refused(sizes, message):
    with pytest.raises(RnnError, match=message):
        init_rnn_params(*sizes, seed=0)


def test_bad_scale_is_refused():
    with pytest.raises(RnnError, match="scale must be a finite number >= 0"):
        init_rnn_params(1, 2, 1, seed=0, scale=float("inf"))


@pytest.mark.parametrize(("inputs", "targets", "loss_at", "message"), [
    (np.zeros((201, 2)), [0.0], "last", r"steps must be an integer from 1 to 200, got 201"),
    (np.zeros((0, 2)), [0.0], "last", r"steps must be an integer from 1 to 200, got 0"),
    (np.zeros((3, 5)), [0.0], "last", r"inputs must have shape \(steps, n_in\) = \(T, 2\)"),
    (np.zeros(3), [0.0], "last", r"inputs must have shape"),
    (np.zeros((3, 2)), np.zeros((3, 1)), "last",
     r"targets for loss_at='last' must have shape \(1,\) \(one target, for the final step"),
    (np.zeros((3, 2)), [0.0], "every",
     r"targets for loss_at='every' must have shape \(3, 1\) \(one target row per time step"),
    (np.zeros((3, 2)), [0.0], "first", r"loss_at must be one of \('last', 'every'\)"),
    (np.full((3, 2), np.nan), [0.0], "last", "inputs must be finite"),
    ([[0.0, 1.0], [2.0]], [0.0], "last", "inputs must be a numeric array"),
])
def test_mismatched_inputs_and_targets_are_explained(inputs, targets, loss_at, message):
    params = init_rnn_params(2, 3, 1, seed=0)
    with pytest.raises(RnnError, match=message):
        bptt(params, inputs, targets, loss_at)


def test_inconsistent_parameter_shapes_are_explained():
    params = dataclasses.replace(init_rnn_params(2, 3, 1, seed=0), w_hh=np.zeros((3, 4)))
    with pytest.raises(RnnError, match=r"W_hh must have shape \(3, 3\)"):
        bptt(params, np.zeros((2, 2)), [0.0])


# ---------------------------------------------------------------- initialisation and data

def test_initialisation_is_determined_by_the_seed():
    first, again = init_rnn_params(3, 5, 2, seed=7), init_rnn_params(3, 5, 2, seed=7)
    other = init_rnn_params(3, 5, 2, seed=8)
    for name in PARAM_NAMES:
        np.testing.assert_array_equal(first.arrays()[name], again.arrays()[name])
    assert not np.array_equal(first.w_xh, other.w_xh)
    assert not first.b_h.any() and not first.b_y.any()


def test_scale_sets_every_singular_value_of_the_recurrent_matrix_and_nothing_else():
    plain = init_rnn_params(2, 6, 3, seed=4)
    scaled = init_rnn_params(2, 6, 3, seed=4, scale=1.7)
    np.testing.assert_allclose(np.linalg.svd(scaled.w_hh, compute_uv=False), 1.7, rtol=1e-12)
    np.testing.assert_array_equal(plain.w_xh, scaled.w_xh)
    np.testing.assert_array_equal(plain.w_hy, scaled.w_hy)


def test_sequence_tasks():
    inputs, targets = sequence_task("mean", 10, seed=0)
    assert inputs.shape == (10, 1) and targets.shape == (1,)
    assert targets[0] == pytest.approx(inputs.mean())
    inputs, targets = sequence_task("echo", 10, seed=0)
    assert set(inputs.ravel()) <= {-1.0, 1.0} and targets[0] == inputs[0, 0]
    np.testing.assert_array_equal(sequence_task("echo", 10, seed=0)[0], inputs)
    with pytest.raises(RnnError, match="task must be one of"):
        sequence_task("reverse", 10, seed=0)
    with pytest.raises(RnnError, match="steps must be an integer from 1 to 200"):
        sequence_task("mean", 500, seed=0)


# ---------------------------------------------------------------- the JSON view

def test_to_dict_of_a_small_run_is_json_with_graph_and_events():
    params, inputs, targets = problem(2, 3, 2, 3, "every")
    trace = bptt(params, inputs, targets, "every")
    data = json.loads(json.dumps(trace.to_dict(), allow_nan=False))
    assert data["steps"] == 3 and data["diverged"] is False
    assert len(data["hidden_states"]) == 3 and len(data["hidden_states"][0]) == 3
    assert set(data["grads"]) == set(PARAM_NAMES)
    assert len(data["step_contributions"]["W_hh"]) == 3
    nodes = {n["name"]: n for n in data["graph"]["nodes"]}
    assert len(nodes) <= MAX_GRAPH_NODES
    assert {"h0", "x1", "z1", "h3", "yhat3", "C"} <= set(nodes)
    assert nodes["z2"]["layer"] == 2 and nodes["W_hh"]["layer"] is None
    assert nodes["C"]["role"] == "loss"
    assert len(data["events"]["backward"]) > 0
