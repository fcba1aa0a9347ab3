"""Engine benchmark: one training iteration of a 2-8-8-1 tanh network on 256 samples.

Times, side by side in one run: a hand-written NumPy forward/backward of the same network
(the floor), the engine's unrecorded iteration (what training uses), its recorded iteration
(what the stage API uses) and the engine's forward and backward passes alone. Prints ratios;
absolute times depend on the machine. Run: `.venv/bin/python bench/engine.py`.
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
from engine.learning.iteration import PLAIN_SGD, run_iteration  # noqa: E402
from engine.learning.optimizers import Update, initial_state  # noqa: E402
from engine.networks.init import init_params  # noqa: E402
from engine.networks.network import build  # noqa: E402
from engine.networks.spec import NetworkSpec  # noqa: E402

SPEC = NetworkSpec((2, 8, 8, 1), ("tanh", "tanh", "tanh"), "squared_error")
SAMPLES = 256
LEARNING_RATE = 0.1
TARGETS = {"engine, unrecorded iteration": 2.0, "engine, recorded iteration": 4.0}
BACKWARD_TARGET = 2.5


def numpy_iteration(weights, biases, x, y, lr):
    """Hand-written forward, loss C = (1/N) sum 1/2 ||a - y||^2, backward and SGD step."""
    activations = [x]
    for w, b in zip(weights, biases, strict=True):
        activations.append(np.tanh(activations[-1] @ w.T + b))
    error = activations[-1] - y
    loss = 0.5 * np.mean(np.sum(error ** 2, axis=1))
    grad_a = error / x.shape[0]
    new_w, new_b = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        delta = grad_a * (1.0 - activations[l + 1] ** 2)
        new_w[l] = weights[l] - lr * (delta.T @ activations[l])
        new_b[l] = biases[l] - lr * delta.sum(axis=0)
        grad_a = delta @ weights[l]
    return new_w, new_b, loss


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
            start = time.perf_counter()
            inner = [function() for _ in range(number)]
            elapsed = time.perf_counter() - start
            if isinstance(inner[0], float):
                elapsed = sum(inner)
            best[name] = min(best[name], elapsed / number)
    return best


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, size=(SAMPLES, 2))
    y = np.tanh(x[:, :1] * x[:, 1:])
    params = init_params(SPEC, seed=0)

    hand_w, hand_b, _ = numpy_iteration(params.weights, params.biases, x, y, LEARNING_RATE)
    engine_after = engine_unrecorded(params, x, y)
    difference = max(np.abs(a - b).max() for a, b in zip(hand_w + hand_b,
                                                         engine_after.weights + engine_after.biases,
                                                         strict=True))

    def forward_only():
        return build(SPEC, params, x, y)

    def backward_only():
        net = build(SPEC, params, x, y)
        start = time.perf_counter()
        backward(net.loss)
        return time.perf_counter() - start

    times = best_times({
        "hand-written NumPy iteration":
            lambda: numpy_iteration(params.weights, params.biases, x, y, LEARNING_RATE),
        "engine, unrecorded iteration": lambda: engine_unrecorded(params, x, y),
        "engine, recorded iteration": lambda: run_iteration(SPEC, params, x, y, LEARNING_RATE),
        "forward": forward_only,
        "backward": backward_only,
    })
    floor = times["hand-written NumPy iteration"]
    rows = {name: times[name] for name in ("hand-written NumPy iteration",
                                           "engine, unrecorded iteration",
                                           "engine, recorded iteration")}
    forward_time, backward_time = times["forward"], times["backward"]

    print(f"2-8-8-1 tanh, squared error, {SAMPLES} samples; "
          f"engine vs NumPy parameters differ by {difference:.1e}\n")
    print(f"{'':34} {'time (us)':>10} {'ratio':>7} {'target':>7}")
    for name, seconds in rows.items():
        target = TARGETS.get(name)
        print(f"{name:34} {seconds * 1e6:10.1f} {seconds / floor:7.2f} "
              f"{'<= ' + format(target, 'g') if target else '':>7}")
    print(f"\n{'engine forward pass':34} {forward_time * 1e6:10.1f}")
    print(f"{'engine backward pass':34} {backward_time * 1e6:10.1f} "
          f"{backward_time / forward_time:7.2f} {'<= ' + format(BACKWARD_TARGET, 'g'):>7}"
          "  (ratio to the forward pass)")


if __name__ == "__main__":
    main()
