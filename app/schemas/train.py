"""Models for POST /api/v1/train: many iterations of mini-batch SGD, with curves and snapshots."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.schemas.common import (
    InitScheme,
    LearningRate,
    NetworkModel,
    ParamsModel,
    ParamsOut,
    Row,
    Seed,
    StrictModel,
    one_of,
)
from app.schemas.optimizers import OptimizerOut, OptimizerRequest, OptimizerStateOut
from engine.data import datasets
from engine.learning import training
from engine.limits import MAX_SAMPLES, MIN_SAMPLES

DatasetName = one_of(datasets.DATASETS)
Samples = Annotated[list[Row], Field(min_length=1, max_length=MAX_SAMPLES)]
Values = list[list[float | None]]

XOR_EXAMPLE = {
    "network": {"layer_sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"],
                "loss": "binary_cross_entropy"},
    "seed": 0,
    "dataset": {"name": "xor", "samples": 200, "noise": 0.05, "seed": 0},
    "test_fraction": 0.2,
    "learning_rate": 0.5,
    "batch_size": 32,
    "iterations": 1000,
    "snapshot_every": 50,
}
EXPLICIT_EXAMPLE = {
    "network": {"layer_sizes": [1, 1], "activations": ["linear"], "loss": "squared_error"},
    "params": {"weights": [[[0.0]]], "biases": [[0.0]]},
    "inputs": [[0.0], [1.0], [2.0], [3.0]],
    "targets": [[1.0], [3.0], [5.0], [7.0]],
    "learning_rate": 0.05,
    "iterations": 200,
}


class DatasetRef(StrictModel):
    """A generated dataset: same name, samples, noise and seed give the same numbers."""

    name: DatasetName = Field(description="circles, gaussians, moons, spiral, xor (2-D inputs, "
                                          "one 0/1 target) or sine (1-D regression).")
    samples: int = Field(200, ge=MIN_SAMPLES, le=MAX_SAMPLES, strict=True)
    noise: float = Field(0.1, ge=0.0, le=datasets.MAX_NOISE, allow_inf_nan=False, strict=True)
    seed: Seed = 0

    model_config = {"json_schema_extra": {"examples": [
        {"name": "spiral", "samples": 300, "noise": 0.05, "seed": 0}]}}


class TrainRequest(OptimizerRequest):
    """A network, a training set (a named `dataset` or explicit `inputs`/`targets`, not both) and
    the update: a learning rate and, if not plain SGD, the optimiser and its state. The work is
    bounded: see the 422 on `iterations` for the budget."""

    network: NetworkModel
    params: ParamsModel | None = Field(None, description="Omit to initialise from `seed`.")
    seed: Seed = Field(0, description="Draws the initial parameters and shuffles mini-batches.")
    init: InitScheme = "auto"
    dataset: DatasetRef | None = Field(
        None, description="A generated dataset, split into train and test by `test_fraction`. "
                          "Binary targets become one-hot for a 2-neuron softmax output.")
    test_fraction: float = Field(0.2, ge=0.0, le=datasets.MAX_TEST_FRACTION, allow_inf_nan=False,
                                 strict=True,
                                 description="Only with `dataset`: the share held out for test, "
                                             "chosen with the dataset's seed.")
    inputs: Samples | None = Field(None, description="Explicit training inputs, instead of "
                                                     "`dataset`.")
    targets: Samples | None = None
    test_inputs: Samples | None = Field(None, description="Optional explicit test set.")
    test_targets: Samples | None = None
    learning_rate: LearningRate = 0.5
    batch_size: int | None = Field(None, ge=1, le=MAX_SAMPLES, strict=True,
                                   description="Rows per mini-batch; omit for the full batch.")
    iterations: int = Field(100, ge=1, le=training.MAX_ITERATIONS, strict=True,
                            description="Also bounded by the work budget (see app/workload.py): "
                                        "about iterations x batch x parameters <= 3e9.")
    snapshot_every: int | None = Field(
        None, ge=1, le=training.MAX_ITERATIONS, strict=True,
        description=f"Omit for about 20 snapshots; at most {training.MAX_SNAPSHOTS} in all.")
    stop_loss: float | None = Field(None, ge=0.0, allow_inf_nan=False, strict=True,
                                    description="Stop once a mini-batch loss is at or below this.")
    include_data: bool = Field(True, description="Echo the data used (inputs, targets, test "
                                                 "set); off keeps repeated chunks small.")
    include_predictions: bool = Field(
        True, description="The network's output at every snapshot (on a grid for 2-D inputs, a "
                          "line for 1-D) and the decision_boundary or prediction_curve; off "
                          "keeps many snapshots small, e.g. snapshot_every=1 to follow the "
                          "parameters' path.")

    model_config = {"json_schema_extra": {"examples": [
        XOR_EXAMPLE, EXPLICIT_EXAMPLE,
        {**XOR_EXAMPLE, "learning_rate": 0.02, "optimizer": {"name": "sgd", "momentum": 0.9,
                                                             "nesterov": True}}]}}


class Predictions(BaseModel):
    kind: Literal["grid", "line", "none"]
    x: list[float | None] | None = None
    y: list[float | None] | None = None
    values: list | None = None


class SnapshotOut(BaseModel):
    """The state after `iteration` updates (iteration 0 is the start)."""

    iteration: int
    params: ParamsOut
    train_loss: float | None = Field(description="C over the whole training set.")
    test_loss: float | None
    accuracy: float | None = Field(description="For classifiers: threshold 0.5 for sigmoid "
                                               "outputs, argmax for softmax; else null.")
    test_accuracy: float | None
    predictions: Predictions


class TestLossPoint(BaseModel):
    iteration: int
    loss: float | None


class DecisionBoundary(BaseModel):
    """The last snapshot's first output (argmax class for softmax) on a grid: values[i][j] is at
    (x[j], y[i])."""

    x: list[float | None]
    y: list[float | None]
    values: Values


class PredictionCurve(BaseModel):
    """The last snapshot's first output along a line over the 1-D inputs' range."""

    x: list[float | None]
    values: list[float | None]


class WorkOut(BaseModel):
    units: float = Field(description="The request's estimated work (about 1 ns each here).")
    budget: float = Field(description="Requests over this are refused with 422.")
    per_iteration: float = Field(description="The work of one more iteration of this run, for "
                                             "a client that sizes its requests.")


class TrainResponse(BaseModel):
    """Curves per iteration, snapshots, the final parameters and the data that was used."""

    loss_curve: list[float | None] = Field(description="The mini-batch loss per iteration.")
    test_loss_curve: list[TestLossPoint] = Field(description="The test loss at each snapshot.")
    grad_norms: Values = Field(description="||dC/dW^l, dC/db^l|| per iteration, per layer l.")
    params_after: ParamsOut
    snapshots: list[SnapshotOut]
    decision_boundary: DecisionBoundary | None = Field(description="For 2-D inputs, else null.")
    prediction_curve: PredictionCurve | None = Field(description="For 1-D inputs, else null.")
    diverged: bool = Field(description="A non-finite loss or parameter stopped the run.")
    diverged_at: int | None
    iterations_run: int
    stopped_early: bool = Field(description="`stop_loss` was reached.")
    iterations: int
    batch_size: int = Field(description="The rows per mini-batch actually used.")
    learning_rate: float
    dataset: DatasetRef | None
    test_fraction: float | None
    inputs: Values | None
    targets: Values | None
    test_inputs: Values | None
    test_targets: Values | None
    work: WorkOut
    l2: float | None = Field(None, description="Present when the request had an L2 penalty.")
    optimizer: OptimizerOut | None = Field(None, description="Present when the request named "
                                                             "an optimiser.")
    optimizer_state_after: OptimizerStateOut | None = Field(
        None, description="Present when the request named an optimiser: send it back as "
                          "`optimizer_state` to train on.")
