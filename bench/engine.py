"""Engine benchmark: a 2-8-8-1 tanh network on 256 samples, one iteration and whole training runs.

Times, side by side in one run: a hand-written NumPy forward/backward of the same network
(the floor), the engine's unrecorded iteration, its recorded iteration (what the stage API
uses) and the engine's forward and backward passes alone; then training for 2,000 full-batch
iterations with plain SGD and with Adam, the engine's `train` (what POST /api/v1/train runs,
with a snapshot at the start and the end) beside a hand-written NumPy loop that computes what
/train returns per iteration (the loss and each layer's gradient norm) and takes the same step.
Last, the loss surface (what POST /api/v1/loss-surface runs): the cost on a 41 x 41 grid over two
weights of W^1, per grid point, beside a hand-written NumPy forward pass per point and the
engine's own forward pass (a graph) per point.
Times are this process's CPU time, so other processes on a shared machine do not count (wall
time under a load of 6 on two cores made the hand-written loops look 2x slower from one run to
the next). Prints ratios; absolute times depend on the machine.
Run: `.venv/bin/python bench/engine.py`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

# One BLAS thread, as the server runs: threads only contend for two cores on matrices this small.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.autodiff.graph import backward  # noqa: E402
from engine.demos.surface import Axis, loss_surface  # noqa: E402
from engine.learning.iteration import PLAIN_SGD, run_iteration  # noqa: E402
from engine.learning.optimizers import Update, configure, initial_state  # noqa: E402
from engine.learning.training import train  # noqa: E402
from engine.networks.init import init_params  # noqa: E402
from engine.networks.network import build, loss_value  # noqa: E402
from engine.networks.spec import NetworkSpec  # noqa: E402

SPEC = NetworkSpec((2, 8, 8, 1), ("tanh", "tanh", "tanh"), "squared_error")
SAMPLES = 256
LEARNING_RATE = 0.1
ADAM_LEARNING_RATE = 0.01
TRAINING_ITERATIONS = 2000
# Runs this long agree to rounding; longer Adam runs part by up to 1e-3, as an entry whose
# gradient is near zero takes a full-size step whose sign rounding decides.
CHECKED_ITERATIONS = 200
ADAM = configure("adam")
TARGETS = {"engine, unrecorded iteration": 2.0, "engine, recorded iteration": 4.0,
           "engine training, SGD": 2.0, "engine training, Adam": 2.5,
           "engine loss surface": 1.2}
SURFACE_RESOLUTION = 41
SURFACE_AXES = (Axis(1, "weight", (0, 0), -2.0, 2.0), Axis(1, "weight", (3, 1), -2.0, 2.0))
BACKWARD_TARGET = 2.5


def numpy_gradients(weights, biases, x, y):
    """Hand-written forward, loss C = (1/N) sum 1/2 ||a - y||^2 and backward: C, dC/dW, dC/db."""
    activations = [x]
    for w, b in zip(weights, biases, strict=True):
        activations.append(np.tanh(activations[-1] @ w.T + b))
    error = activations[-1] - y
    loss = 0.5 * np.mean(np.sum(error ** 2, axis=1))
    grad_a = error / x.shape[0]
    grad_w, grad_b = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        delta = grad_a * (1.0 - activations[l + 1] ** 2)
        grad_w[l] = delta.T @ activations[l]
        grad_b[l] = delta.sum(axis=0)
        grad_a = delta @ weights[l]
    return loss, grad_w, grad_b


def numpy_iteration(weights, biases, x, y, lr):
    """One hand-written iteration with an SGD step."""
    loss, grad_w, grad_b = numpy_gradients(weights, biases, x, y)
    return ([w - lr * g for w, g in zip(weights, grad_w, strict=True)],
            [b - lr * g for b, g in zip(biases, grad_b, strict=True)], loss)


def numpy_training(weights, biases, x, y, adam: bool, iterations=TRAINING_ITERATIONS):
    """Hand-written full-batch training: each iteration's loss and per-layer gradient norms,
    then an SGD step or an Adam step (torch.optim's rule with its default hyperparameters)."""
    params = [*weights, *biases]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    losses, norms = [], []
    depth = len(weights)
    for t in range(1, iterations + 1):
        loss, grad_w, grad_b = numpy_gradients(params[:depth], params[depth:], x, y)
        losses.append(float(loss))
        norms.append([float(np.sqrt(np.sum(gw ** 2) + np.sum(gb ** 2)))
                      for gw, gb in zip(grad_w, grad_b, strict=True)])
        grads = [*grad_w, *grad_b]
        if not adam:
            params = [p - LEARNING_RATE * g for p, g in zip(params, grads, strict=True)]
            continue
        for i, g in enumerate(grads):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            m_hat, v_hat = m[i] / (1 - 0.9 ** t), v[i] / (1 - 0.999 ** t)
            params[i] = params[i] - ADAM_LEARNING_RATE * m_hat / (np.sqrt(v_hat) + 1e-8)
    return params, losses, norms


def engine_training(params, x, y, adam: bool, iterations=TRAINING_ITERATIONS):
    """POST /api/v1/train's engine call for this run."""
    return train(SPEC, params, x, y, learning_rate=ADAM_LEARNING_RATE if adam else LEARNING_RATE,
                 iterations=iterations, snapshot_every=iterations,
                 optimizer=ADAM if adam else None)


def engine_unrecorded(params, x, y):
    """Build the layer graph, backward, SGD step: the training loop's body."""
    net = build(SPEC, params, x, y)
    backward(net.loss)
    update = Update(PLAIN_SGD, LEARNING_RATE, initial_state(PLAIN_SGD, params), params)
    return update.step_all(params, net.grads())


def best_times(functions: dict, rounds=15, number=100) -> dict:
    """Best mean seconds per call of each function over `rounds` rounds of `number` calls.

    The functions take turns within every round, so a slow spell of the machine (a shared
    virtual machine has many) falls on all of them alike instead of on whichever ran then.
    A function may return its own measured seconds (to time one part of what it does).
    """
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for name, function in functions.items():
            start = time.process_time()
            inner = [function() for _ in range(number)]
            elapsed = time.process_time() - start
            if isinstance(inner[0], float):
                elapsed = sum(inner)
            best[name] = min(best[name], elapsed / number)
    return best


def largest_difference(ours, theirs) -> float:
    return max(float(np.abs(a - b).max()) for a, b in zip(ours, theirs, strict=True))


def print_rows(rows: dict, floor: float) -> None:
    for name, seconds in rows.items():
        target = TARGETS.get(name)
        print(f"{name:34} {seconds * 1e6:10.1f} {seconds / floor:7.2f} "
              f"{'<= ' + format(target, 'g') if target else '':>7}")


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(SAMPLES, 2))
    y = np.tanh(x[:, :1] * x[:, 1:])
    params = init_params(SPEC, seed=0)

    hand_w, hand_b, _ = numpy_iteration(params.weights, params.biases, x, y, LEARNING_RATE)
    engine_after = engine_unrecorded(params, x, y)
    difference = largest_difference(hand_w + hand_b, engine_after.weights + engine_after.biases)
    trained = {adam: (numpy_training(params.weights, params.biases, x, y, adam,
                                     CHECKED_ITERATIONS)[0],
                      engine_training(params, x, y, adam, CHECKED_ITERATIONS).params_after)
               for adam in (False, True)}
    trained_difference = {adam: largest_difference(hand, ours.weights + ours.biases)
                          for adam, (hand, ours) in trained.items()}

    def forward_only():
        return build(SPEC, params, x, y)

    def backward_only():
        net = build(SPEC, params, x, y)
        start = time.process_time()
        backward(net.loss)
        return time.process_time() - start

    times = best_times({
        "hand-written NumPy iteration":
            lambda: numpy_iteration(params.weights, params.biases, x, y, LEARNING_RATE),
        "engine, unrecorded iteration": lambda: engine_unrecorded(params, x, y),
        "engine, recorded iteration": lambda: run_iteration(SPEC, params, x, y, LEARNING_RATE),
        "forward": forward_only,
        "backward": backward_only,
    })
    runs = best_times({
        "hand-written NumPy SGD loop": lambda: numpy_training(params.weights, params.biases,
                                                              x, y, adam=False),
        "engine training, SGD": lambda: engine_training(params, x, y, adam=False),
        "hand-written NumPy Adam loop": lambda: numpy_training(params.weights, params.biases,
                                                               x, y, adam=True),
        "engine training, Adam": lambda: engine_training(params, x, y, adam=True),
    }, rounds=5, number=1)
    per_iteration = {name: seconds / TRAINING_ITERATIONS for name, seconds in runs.items()}

    print(f"2-8-8-1 tanh, squared error, {SAMPLES} samples; "
          f"engine vs NumPy parameters differ by {difference:.1e}\n")
    print(f"{'':34} {'time (us)':>10} {'ratio':>7} {'target':>7}")
    print_rows({name: times[name] for name in ("hand-written NumPy iteration",
                                               "engine, unrecorded iteration",
                                               "engine, recorded iteration")},
               times["hand-written NumPy iteration"])
    forward_time, backward_time = times["forward"], times["backward"]
    print(f"\n{'engine forward pass':34} {forward_time * 1e6:10.1f}")
    print(f"{'engine backward pass':34} {backward_time * 1e6:10.1f} "
          f"{backward_time / forward_time:7.2f} {'<= ' + format(BACKWARD_TARGET, 'g'):>7}"
          "  (ratio to the forward pass)")
    print(f"\nTraining, {TRAINING_ITERATIONS} full-batch iterations, per iteration; after "
          f"{CHECKED_ITERATIONS} the parameters differ by {trained_difference[False]:.1e} (SGD), "
          f"{trained_difference[True]:.1e} (Adam)")
    for optimizer in ("SGD", "Adam"):
        print_rows({name: per_iteration[name] for name in (
            f"hand-written NumPy {optimizer} loop", f"engine training, {optimizer}")},
            per_iteration[f"hand-written NumPy {optimizer} loop"])
    surface_rows(params, x, y)


def numpy_cost(weights, biases, x, y) -> float:
    """Hand-written forward pass and C = (1/N) sum 1/2 ||a - y||^2."""
    a = x
    for w, b in zip(weights, biases, strict=True):
        a = np.tanh(a @ w.T + b)
    return 0.5 * np.mean(np.sum((a - y) ** 2, axis=1))


def point_by_point(params, cost):
    """The surface one forward pass at a time: `cost(params)` at every grid point."""
    first, second = (np.linspace(a.low, a.high, SURFACE_RESOLUTION) for a in SURFACE_AXES)
    moved = params.copy()
    out = np.empty((SURFACE_RESOLUTION, SURFACE_RESOLUTION))
    for i, b in enumerate(second):
        for j, a in enumerate(first):
            moved.weights[0][SURFACE_AXES[0].index] = a
            moved.weights[0][SURFACE_AXES[1].index] = b
            out[i, j] = cost(moved)
    return out


def surface_rows(params, x, y) -> None:
    """The loss surface per grid point: the engine's blocks beside point-by-point passes."""
    def hand(p):
        return numpy_cost(p.weights, p.biases, x, y)

    def graph(p):
        return loss_value(SPEC, p, x, y)

    ours = loss_surface(SPEC, params, x, y, SURFACE_AXES, SURFACE_RESOLUTION).cost
    difference = float(np.abs(ours - point_by_point(params, hand)).max())
    times = best_times({
        "hand-written NumPy, point by point": lambda: point_by_point(params, hand),
        "engine loss surface": lambda: loss_surface(SPEC, params, x, y, SURFACE_AXES,
                                                    SURFACE_RESOLUTION),
        "engine graph, point by point": lambda: point_by_point(params, graph),
    }, rounds=3, number=1)
    points = SURFACE_RESOLUTION ** 2
    print(f"\nLoss surface, {SURFACE_RESOLUTION} x {SURFACE_RESOLUTION} points over two weights of "
          f"W1, per point; the engine's differs from NumPy's by {difference:.1e}")
    print_rows({name: seconds / points for name, seconds in times.items()},
               times["hand-written NumPy, point by point"] / points)


if __name__ == "__main__":
    main()
