"""Training for many iterations with recording off: mini-batches on the same graph code, and the
same optimisers as a stepped iteration.

Each iteration builds the layer graph for one mini-batch, runs backward, and takes an optimiser
step (plain SGD unless one is named), carrying the optimiser's state to the next.
Mini-batches come from a seeded shuffle per epoch. A non-finite loss or parameter stops the run
and is reported in `diverged` / `diverged_at`, never raised.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from engine.autodiff.graph import backward
from engine.learning.iteration import PLAIN_SGD
from engine.learning.optimizers import OptimizerState, Settings, Update, initial_state
from engine.limits import MAX_ITERATIONS, MAX_SNAPSHOTS
from engine.networks.network import build, predict
from engine.networks.spec import NetworkSpec, Params, SpecError
from engine.views.serialize import clean

GRID_SIZE = 40        # predictions on a GRID_SIZE x GRID_SIZE grid for 2-D inputs
LINE_SIZE = 100       # predictions on LINE_SIZE points for 1-D inputs
MARGIN = 0.1          # the grid extends the data's range by this fraction on each side


@dataclass
class Snapshot:
    """The state of training after `iteration` updates."""

    iteration: int
    params: Params
    train_loss: float
    test_loss: float | None
    accuracy: float | None
    test_accuracy: float | None
    predictions: dict

    def to_dict(self) -> dict:
        return {"iteration": self.iteration, "params": self.params.to_dict(),
                "train_loss": clean(self.train_loss), "test_loss": clean(self.test_loss)
                if self.test_loss is not None else None,
                "accuracy": self.accuracy, "test_accuracy": self.test_accuracy,
                "predictions": self.predictions}


@dataclass
class TrainResult:
    """Per iteration: the mini-batch loss and the gradient norm per layer; plus snapshots."""

    loss_curve: list[float] = field(default_factory=list)
    grad_norms: list[list[float]] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)
    params_after: Params | None = None
    diverged: bool = False
    diverged_at: int | None = None
    iterations_run: int = 0
    stopped_early: bool = False
    optimizer_state_after: OptimizerState | None = None  # kept when an optimiser was named

    def to_dict(self) -> dict:
        out = {
            "loss_curve": [clean(v) for v in self.loss_curve],
            "grad_norms": [[clean(v) for v in row] for row in self.grad_norms],
            "snapshots": [s.to_dict() for s in self.snapshots],
            "params_after": self.params_after.to_dict(),
            "diverged": self.diverged,
            "diverged_at": self.diverged_at,
            "iterations_run": self.iterations_run,
            "stopped_early": self.stopped_early,
        }
        if self.optimizer_state_after is not None:
            out["optimizer_state_after"] = self.optimizer_state_after.to_dict()
        return out


def grad_norm(grad_weights: np.ndarray, grad_biases: np.ndarray) -> float:
    """||(dC/dW^l, dC/db^l)||_2 over all entries of the layer's parameters (np.add.reduce is
    what np.sum calls, without its wrapper: a third of the time on these small arrays)."""
    return math.sqrt(np.add.reduce(np.square(grad_weights), axis=None)
                     + np.add.reduce(np.square(grad_biases), axis=None))


def accuracy(spec: NetworkSpec, outputs: np.ndarray, targets: np.ndarray) -> float | None:
    """Fraction classified right: threshold 0.5 for sigmoid outputs, argmax for softmax."""
    if spec.loss == "binary_cross_entropy" or (spec.activations[-1] == "sigmoid"
                                               and spec.loss == "squared_error"):
        return float(np.mean(np.all((outputs >= 0.5) == (targets >= 0.5), axis=1)))
    if spec.activations[-1] == "softmax":
        return float(np.mean(outputs.argmax(axis=1) == targets.argmax(axis=1)))
    return None


def prediction_points(inputs: np.ndarray) -> dict:
    """Where to show predictions: a grid over the 2-D data's range, or a line for 1-D data."""
    low, high = inputs.min(axis=0), inputs.max(axis=0)
    pad = MARGIN * np.maximum(high - low, 1e-9)
    low, high = low - pad, high + pad
    if inputs.shape[1] == 1:
        return {"kind": "line", "x": np.linspace(low[0], high[0], LINE_SIZE)}
    if inputs.shape[1] == 2:
        return {"kind": "grid", "x": np.linspace(low[0], high[0], GRID_SIZE),
                "y": np.linspace(low[1], high[1], GRID_SIZE)}
    return {"kind": "none"}


def predictions(spec: NetworkSpec, params: Params, points: dict) -> dict:
    """The network's first output (or the argmax class for softmax) at the prediction points."""
    if points["kind"] == "line":
        out = predict(spec, params, points["x"][:, None])
        return {"kind": "line", "x": clean(points["x"]), "values": clean(out[:, 0])}
    if points["kind"] == "grid":
        gx, gy = np.meshgrid(points["x"], points["y"])
        out = predict(spec, params, np.column_stack([gx.ravel(), gy.ravel()]))
        values = out.argmax(axis=1) if spec.activations[-1] == "softmax" else out[:, 0]
        return {"kind": "grid", "x": clean(points["x"]), "y": clean(points["y"]),
                "values": clean(values.reshape(gx.shape))}
    return {"kind": "none"}


def train(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray, *,
          learning_rate: float, iterations: int, batch_size: int | None = None, seed: int = 0,
          snapshot_every: int | None = None, test_inputs: np.ndarray | None = None,
          test_targets: np.ndarray | None = None, stop_loss: float | None = None,
          optimizer: Settings | None = None,
          optimizer_state: OptimizerState | None = None,
          with_predictions: bool = True) -> TrainResult:
    """`iterations` optimiser steps on mini-batches, with snapshots every `snapshot_every` steps
    (each with the network's predictions unless `with_predictions` is off); a named `optimizer`
    starts from `optimizer_state` (or afresh) and its state after is kept."""
    if not 1 <= iterations <= MAX_ITERATIONS:
        raise SpecError("iterations", f"must be between 1 and {MAX_ITERATIONS}, got {iterations}")
    n = inputs.shape[0]
    batch_size = n if batch_size is None else min(batch_size, n)
    if batch_size < 1:
        raise SpecError("batch_size", f"must be at least 1, got {batch_size}")
    if snapshot_every is not None and snapshot_every < 1:
        raise SpecError("snapshot_every", f"must be at least 1, got {snapshot_every}")
    snapshot_every = snapshot_every or max(1, iterations // 20)
    if iterations // snapshot_every > MAX_SNAPSHOTS:
        raise SpecError("snapshot_every", f"would take more than {MAX_SNAPSHOTS} snapshots; "
                        f"use at least {-(-iterations // MAX_SNAPSHOTS)}")
    rng = np.random.default_rng(seed)
    points = prediction_points(inputs) if with_predictions else {"kind": "none"}
    result = TrainResult()
    params = params.copy()
    settings = optimizer or PLAIN_SGD
    state = optimizer_state or initial_state(settings, params)
    order, cursor = rng.permutation(n), 0
    with np.errstate(all="ignore"):
        result.snapshots.append(_snapshot(spec, params, 0, inputs, targets, test_inputs,
                                          test_targets, points))
        for iteration in range(1, iterations + 1):
            if cursor + batch_size > n:
                order, cursor = rng.permutation(n), 0
            batch = order[cursor:cursor + batch_size]
            cursor += batch_size
            net = build(spec, params, inputs[batch], targets[batch])
            backward(net.loss)
            grads = net.grads()
            result.loss_curve.append(float(net.loss.value))
            result.grad_norms.append([grad_norm(w, b)
                                      for w, b in zip(grads.weights, grads.biases, strict=True)])
            update = Update(settings, learning_rate, state, params)
            params, state = update.step_all(params, grads), update.state_after()
            result.iterations_run = iteration
            net.graph.release()
            if not (np.isfinite(net.loss.value) and params.is_finite()):
                result.diverged, result.diverged_at = True, iteration
                break
            done = stop_loss is not None and net.loss.value <= stop_loss
            if iteration % snapshot_every == 0 or iteration == iterations or done:
                result.snapshots.append(_snapshot(spec, params, iteration, inputs, targets,
                                                  test_inputs, test_targets, points))
            if done:
                result.stopped_early = True
                break
    result.params_after = params
    if optimizer is not None:
        result.optimizer_state_after = state
    return result


def _evaluate(spec, params, inputs, targets):
    """One forward pass: (loss, accuracy) on a set of rows."""
    net = build(spec, params, inputs, targets)
    net.graph.release()
    return float(net.loss.value), accuracy(spec, net.output(), targets)


def _snapshot(spec, params, iteration, inputs, targets, test_inputs, test_targets, points):
    train_loss, train_accuracy = _evaluate(spec, params, inputs, targets)
    test_loss = test_accuracy = None
    if test_inputs is not None and len(test_inputs) > 0:
        test_loss, test_accuracy = _evaluate(spec, params, test_inputs, test_targets)
    return Snapshot(iteration, params.copy(), train_loss, test_loss, train_accuracy, test_accuracy,
                    predictions(spec, params, points))
