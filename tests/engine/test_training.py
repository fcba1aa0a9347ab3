"""Training loops: the loss falls, runs are seeded, snapshots and prediction grids have the promised
shape, divergence is reported (never raised) and bounds are enforced."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.learning.training import (
    GRID_SIZE,
    LINE_SIZE,
    MAX_ITERATIONS,
    MAX_SNAPSHOTS,
    accuracy,
    grad_norm,
    train,
)
from engine.networks.init import init_params
from engine.networks.network import loss_value, predict
from engine.networks.spec import NetworkSpec, SpecError
from tests.engine import numpy_net

XOR = NetworkSpec((2, 4, 1), ("tanh", "sigmoid"), "binary_cross_entropy")


def xor_data(n=48, seed=0):
    """Four noisy clusters at (+-1, +-1); label 1 where the signs differ."""
    rng = np.random.default_rng(seed)
    corners = np.array([[1.0, 1.0], [-1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]])
    labels = np.array([0.0, 0.0, 1.0, 1.0])
    pick = np.arange(n) % 4
    x = corners[pick] + rng.normal(0.0, 0.2, size=(n, 2))
    return x, labels[pick][:, None]


def test_loss_falls_on_xor():
    x, y = xor_data()
    params = init_params(XOR, seed=0)
    result = train(XOR, params, x, y, learning_rate=1.0, iterations=300)
    assert len(result.loss_curve) == 300 and result.iterations_run == 300
    assert not result.diverged and result.diverged_at is None and not result.stopped_early
    assert result.loss_curve[-1] < result.loss_curve[0] / 2
    # Full batch: the first recorded loss is the initial parameters' loss on all the data.
    assert result.loss_curve[0] == pytest.approx(loss_value(XOR, params, x, y), rel=1e-12)
    last = result.snapshots[-1]
    assert last.accuracy is not None and last.accuracy >= 0.9
    assert last.accuracy == accuracy(XOR, predict(XOR, result.params_after, x), y)
    # The caller's parameters are left alone.
    np.testing.assert_array_equal(params.weights[0], init_params(XOR, seed=0).weights[0])


def test_first_full_batch_step_is_plain_sgd_with_numpy_gradients():
    x, y = xor_data(n=12, seed=3)
    params = init_params(XOR, seed=4)
    result = train(XOR, params, x, y, learning_rate=0.5, iterations=1)
    ref = numpy_net.forward(XOR, params.weights, params.biases, x, y)
    back = numpy_net.backprop(XOR, params.weights, ref, y)
    for l in (1, 2):
        np.testing.assert_allclose(result.params_after.weights[l - 1],
                                   params.weights[l - 1] - 0.5 * back.grad_weights[l],
                                   rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(result.params_after.biases[l - 1],
                                   params.biases[l - 1] - 0.5 * back.grad_biases[l],
                                   rtol=1e-10, atol=1e-13)
        expected_norm = np.sqrt(np.sum(back.grad_weights[l] ** 2)
                                + np.sum(back.grad_biases[l] ** 2))
        assert result.grad_norms[0][l - 1] == pytest.approx(expected_norm, rel=1e-10)
    assert grad_norm(np.array([[3.0]]), np.array([4.0])) == 5.0


def test_seeded_determinism_and_shuffling():
    x, y = xor_data()
    params = init_params(XOR, seed=1)
    kwargs = {"learning_rate": 0.5, "iterations": 60, "batch_size": 8}
    a = train(XOR, params, x, y, seed=5, **kwargs)
    b = train(XOR, params, x, y, seed=5, **kwargs)
    c = train(XOR, params, x, y, seed=6, **kwargs)
    assert a.loss_curve == b.loss_curve
    assert a.grad_norms == b.grad_norms
    for wa, wb in zip(a.params_after.weights, b.params_after.weights, strict=True):
        assert wa.tobytes() == wb.tobytes()
    assert a.loss_curve != c.loss_curve
    # Full-batch training does not depend on the shuffling seed at all.
    full = {"learning_rate": 0.5, "iterations": 20}
    # (only the order of the rows changes, so the sums agree up to rounding).
    np.testing.assert_allclose(train(XOR, params, x, y, seed=5, **full).loss_curve,
                               train(XOR, params, x, y, seed=6, **full).loss_curve, rtol=1e-12)


def test_grad_norms_shape():
    spec = NetworkSpec((2, 5, 3, 1), ("relu", "tanh", "sigmoid"), "binary_cross_entropy")
    x, y = xor_data()
    result = train(spec, init_params(spec, seed=0), x, y, learning_rate=0.2, iterations=37,
                   batch_size=10)
    norms = np.array(result.grad_norms)
    assert norms.shape == (37, spec.depth)
    assert np.isfinite(norms).all() and (norms >= 0).all()


@pytest.mark.parametrize(("iterations", "every", "expected"), [
    (300, 50, [0, 50, 100, 150, 200, 250, 300]),
    (25, 10, [0, 10, 20, 25]),
    (7, 7, [0, 7]),
    (40, None, list(range(0, 41, 2))),  # default: about 20 snapshots
])
def test_snapshot_cadence(iterations, every, expected):
    x, y = xor_data()
    params = init_params(XOR, seed=2)
    result = train(XOR, params, x, y, learning_rate=0.5, iterations=iterations,
                   snapshot_every=every)
    assert [s.iteration for s in result.snapshots] == expected
    first, last = result.snapshots[0], result.snapshots[-1]
    np.testing.assert_array_equal(first.params.weights[0], params.weights[0])
    assert first.train_loss == pytest.approx(loss_value(XOR, params, x, y), rel=1e-12)
    for w, w_after in zip(last.params.weights, result.params_after.weights, strict=True):
        np.testing.assert_array_equal(w, w_after)
    assert last.train_loss == pytest.approx(loss_value(XOR, result.params_after, x, y))


def test_too_many_snapshots_refused():
    x, y = xor_data()
    with pytest.raises(SpecError) as error:
        train(XOR, init_params(XOR), x, y, learning_rate=0.1, iterations=MAX_SNAPSHOTS + 1,
              snapshot_every=1)
    assert error.value.field == "snapshot_every"


def test_prediction_grid_for_2d_inputs():
    x, y = xor_data()
    test_x, test_y = xor_data(n=20, seed=9)
    result = train(XOR, init_params(XOR, seed=3), x, y, learning_rate=0.5, iterations=10,
                   snapshot_every=5, test_inputs=test_x, test_targets=test_y)
    for snap in result.snapshots:
        grid = snap.predictions
        assert grid["kind"] == "grid"
        assert len(grid["x"]) == GRID_SIZE and len(grid["y"]) == GRID_SIZE
        values = np.array(grid["values"])
        assert values.shape == (GRID_SIZE, GRID_SIZE)
        assert ((values > 0) & (values < 1)).all()
        # The grid covers the data with a margin.
        assert grid["x"][0] < x[:, 0].min() and grid["x"][-1] > x[:, 0].max()
        assert grid["y"][0] < x[:, 1].min() and grid["y"][-1] > x[:, 1].max()
        # Row i is y[i], column j is x[j].
        corner = predict(XOR, snap.params, np.array([[grid["x"][-1], grid["y"][0]]]))[0, 0]
        assert values[0, -1] == pytest.approx(corner, rel=1e-12)
        assert snap.test_loss == pytest.approx(loss_value(XOR, snap.params, test_x, test_y))
        assert snap.test_accuracy == accuracy(XOR, predict(XOR, snap.params, test_x), test_y)
    json.dumps(result.to_dict(), allow_nan=False)


def test_prediction_line_for_1d_inputs_and_none_for_3d():
    spec = NetworkSpec((1, 6, 1), ("tanh", "linear"), "squared_error")
    x = np.linspace(-2.0, 2.0, 30)[:, None]
    y = np.sin(x)
    result = train(spec, init_params(spec, seed=0), x, y, learning_rate=0.1, iterations=20)
    line = result.snapshots[-1].predictions
    assert line["kind"] == "line"
    assert len(line["x"]) == LINE_SIZE and len(line["values"]) == LINE_SIZE
    np.testing.assert_allclose(
        line["values"], predict(spec, result.params_after, np.array(line["x"])[:, None])[:, 0],
        rtol=1e-12)
    assert result.snapshots[-1].accuracy is None  # regression has no accuracy

    rng = np.random.default_rng(0)
    x3 = rng.normal(size=(10, 3))
    y3 = (x3[:, :1] > 0).astype(float)
    spec3 = NetworkSpec((3, 1), ("sigmoid",), "binary_cross_entropy")
    result = train(spec3, init_params(spec3), x3, y3, learning_rate=0.1, iterations=3)
    assert result.snapshots[-1].predictions == {"kind": "none"}


def test_softmax_grid_holds_classes():
    spec = NetworkSpec((2, 4, 3), ("tanh", "softmax"), "cross_entropy")
    x, labels = xor_data()
    y = np.eye(3)[(labels[:, 0] + (x[:, 0] > 0)).astype(int)]
    result = train(spec, init_params(spec, seed=0), x, y, learning_rate=0.5, iterations=5)
    values = np.array(result.snapshots[-1].predictions["values"])
    assert values.shape == (GRID_SIZE, GRID_SIZE)
    assert set(np.unique(values)) <= {0.0, 1.0, 2.0}


def test_divergence_is_reported_not_raised():
    spec = NetworkSpec((1, 1), ("linear",), "squared_error")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(20, 1))
    y = 3.0 * x + 1.0
    result = train(spec, init_params(spec, seed=0), x, y, learning_rate=1e6, iterations=500)
    assert result.diverged is True
    assert result.diverged_at is not None and 1 < result.diverged_at < 500
    assert result.iterations_run == result.diverged_at == len(result.loss_curve)
    assert len(result.grad_norms) == result.diverged_at
    # The loss overflows (or the parameters do) at diverged_at, not before.
    assert not (np.isfinite(result.loss_curve[-1]) and result.params_after.is_finite())
    assert np.isfinite(result.loss_curve[:-1]).all()
    out = result.to_dict()
    text = json.dumps(out, allow_nan=False)
    back = json.loads(text)
    assert back["loss_curve"][-1] is None or None in back["params_after"]["weights"][0][0]
    assert back["diverged"] is True and back["diverged_at"] == result.diverged_at
    assert back["snapshots"][0]["iteration"] == 0


def test_stop_loss_stops_early():
    x, y = xor_data()
    params = init_params(XOR, seed=0)
    full = train(XOR, params, x, y, learning_rate=1.0, iterations=300)
    target = 0.5 * (full.loss_curve[0] + full.loss_curve[-1])
    stopped = train(XOR, params, x, y, learning_rate=1.0, iterations=300, stop_loss=target,
                    snapshot_every=100)
    assert stopped.stopped_early is True
    assert stopped.iterations_run < 300
    assert stopped.loss_curve[-1] <= target < stopped.loss_curve[-2]
    assert stopped.loss_curve == full.loss_curve[:stopped.iterations_run]
    assert stopped.snapshots[-1].iteration == stopped.iterations_run


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"iterations": MAX_ITERATIONS + 1}, "iterations"),
    ({"iterations": 0}, "iterations"),
    ({"iterations": 10, "batch_size": 0}, "batch_size"),
])
def test_bounds(kwargs, field):
    x, y = xor_data()
    with pytest.raises(SpecError) as error:
        train(XOR, init_params(XOR), x, y, learning_rate=0.1, **kwargs)
    assert error.value.field == field
