"""The work budget of POST /api/v1/train: an estimate of a run's cost, refused above a limit.

The core term is the one the API documents: iterations x batch rows x parameter count (a
multiply-add per parameter per row, forward and backward). On its own it would let small
networks through at any size, yet they are not free: every row also pays for the activations of
its neurons (NEURON_UNITS each) and a fixed part (ROW_UNITS: indexing, the loss); every iteration
pays a fixed cost per layer for building the graph and running backward in Python (LAYER_UNITS);
and every snapshot evaluates the training and test sets and the prediction grid. An optimiser
that keeps state (momentum, RMSProp, Adam) makes about twenty NumPy calls per parameter array
where plain SGD makes one: STATE_ARRAY_UNITS per weight matrix or bias vector and STATE_ENTRY_UNITS
per parameter, every iteration; an L2 penalty adds PENALTY_LAYER_UNITS per layer. So

    row   = parameter_count + NEURON_UNITS x neurons + ROW_UNITS
    step  = 2 x depth x STATE_ARRAY_UNITS + parameter_count x STATE_ENTRY_UNITS (stateful only)
    units = iterations x (depth x LAYER_UNITS + batch x row + step + depth x PENALTY_LAYER_UNITS)
          + snapshots x (2 x (train rows + test rows) + prediction points) x row

(prediction points: none for a request that leaves the predictions out).

Measured through the endpoint with single-threaded BLAS (as `make run` and the Dockerfile set
it) on the 2-vCPU development machine: the slowest requests that just fit the budget, across
fourteen network, batch and snapshot shapes, took 1.1 to 2.2 s of CPU time each, JSON included
(a unit: 0.4 to 0.75 ns of CPU). Wall time was 0.8 to 2.0 s with the machine lightly shared and
up to 3.5 s (8 s for an unlucky repeat) while other test suites kept it at load 4 to 8.
Multi-threaded BLAS on a busy machine made the same requests up to 10x slower.

The network limits keep parameter_count <= 6336 and the endpoint's bounds keep iterations <=
5000. Every request refused by the plain product iterations x batch x parameter_count >
WORK_BUDGET is refused here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.learning import training
from engine.learning.optimizers import Settings
from engine.networks.spec import NetworkSpec, SpecError

WORK_BUDGET = 3_000_000_000
ROW_UNITS = 400
NEURON_UNITS = 20
LAYER_UNITS = 150_000
STATE_ARRAY_UNITS = 40_000
STATE_ENTRY_UNITS = 40
PENALTY_LAYER_UNITS = 10_000


def snapshot_count(iterations: int, snapshot_every: int | None) -> int:
    """How many snapshots engine.learning.training.train takes: the start, every
    `snapshot_every` steps, and the last step."""
    every = snapshot_every or max(1, iterations // 20)
    return 1 + iterations // every + (1 if iterations % every else 0)


def prediction_points(input_dim: int) -> int:
    if input_dim == 2:
        return training.GRID_SIZE ** 2
    return training.LINE_SIZE if input_dim == 1 else 0


@dataclass(frozen=True)
class Work:
    """A training request's estimated cost in units, split into its two parts."""

    per_iteration: float
    snapshots: float
    iterations: int

    @property
    def units(self) -> float:
        return self.per_iteration * self.iterations + self.snapshots


def step_work(spec: NetworkSpec, optimizer: Settings | None) -> float:
    """The optimiser's and the L2 penalty's share of one iteration, beyond plain SGD."""
    units = spec.depth * PENALTY_LAYER_UNITS if spec.l2 else 0
    if optimizer is not None and optimizer.kept:
        units += 2 * spec.depth * STATE_ARRAY_UNITS + spec.parameter_count * STATE_ENTRY_UNITS
    return units


def training_work(spec: NetworkSpec, iterations: int, batch_rows: int, train_rows: int,
                  test_rows: int, snapshot_every: int | None,
                  optimizer: Settings | None = None, with_predictions: bool = True) -> Work:
    """The estimate above for a run of `iterations` steps on mini-batches of `batch_rows`."""
    row = spec.parameter_count + NEURON_UNITS * sum(spec.layer_sizes[1:]) + ROW_UNITS
    predicted = prediction_points(spec.layer_sizes[0]) if with_predictions else 0
    snapshot_rows = 2 * (train_rows + test_rows) + predicted
    return Work(spec.depth * LAYER_UNITS + batch_rows * row + step_work(spec, optimizer),
                snapshot_count(iterations, snapshot_every) * snapshot_rows * row, iterations)


def check_work(work: Work) -> None:
    """Raise a SpecError on `iterations` naming the budget when the work is over it."""
    if work.units <= WORK_BUDGET:
        return
    affordable = int((WORK_BUDGET - work.snapshots) // work.per_iteration)
    hint = (f"at most about {affordable} iterations fit with this network, batch size and "
            "snapshots" if affordable >= 1 else "the snapshots alone are over it: take fewer "
            "(a larger snapshot_every) or use fewer samples")
    raise SpecError("iterations", f"this run would cost about {work.units:.3g} work units, over "
                    f"the budget of {WORK_BUDGET:.3g} (a unit is one parameter for one row in one "
                    f"iteration, plus fixed costs per row, layer and snapshot); {hint}, or use a "
                    "smaller batch_size or network")
