"""POST /api/v1/train: many iterations of mini-batch training (plain SGD or a named optimiser)
with recording off, within a budget."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from fastapi import APIRouter

from app.admission import heavy
from app.body_route import JSONBodyRoute
from app.convert import optimizer_from, params_from, spec_from
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.train import TrainRequest, TrainResponse
from app.workload import WORK_BUDGET, check_work, training_work
from engine.data import datasets
from engine.learning.training import train
from engine.networks.spec import NetworkSpec, SpecError, check_data
from engine.views.serialize import clean

router = APIRouter(prefix="/api/v1/train", tags=["train"], route_class=JSONBodyRoute)


@dataclass
class TrainingData:
    inputs: np.ndarray
    targets: np.ndarray
    test_inputs: np.ndarray | None
    test_targets: np.ndarray | None


def _checked(spec: NetworkSpec, inputs, targets, prefix: str = ""):
    """check_data with its errors on `inputs`/`targets` re-addressed to `{prefix}inputs` etc."""
    try:
        return check_data(spec, inputs, targets)
    except SpecError as error:
        raise SpecError(prefix + error.field, error.message) from error


def _dataset_targets(spec: NetworkSpec, request: TrainRequest, targets: np.ndarray) -> np.ndarray:
    """The named dataset's targets in the shape the network needs, or a 422 saying why not."""
    info = datasets.DATASETS[request.dataset.name]
    n_in, n_out = spec.layer_sizes[0], spec.layer_sizes[-1]
    network = (f"the network has {n_in} input{'s' if n_in > 1 else ''} and {n_out} "
               f"output{'s' if n_out > 1 else ''}")
    if n_in != info.input_dim:
        raise SpecError("dataset", f"the {info.name} dataset has {info.input_dim}-D inputs but "
                        f"{network}: set layer_sizes[0] to {info.input_dim}")
    if info.kind == "regression":
        if spec.loss != "squared_error":
            raise SpecError("dataset", f"the {info.name} dataset is a regression (targets in "
                            f"about [-1, 1]); use squared_error with a linear output layer, not "
                            f"{spec.loss}")
        if n_out != 1:
            raise SpecError("dataset", f"the {info.name} dataset has one target per sample but "
                            f"{network}: set the last layer size to 1")
        return targets
    if spec.activations[-1] == "softmax" and n_out == 2:
        return np.column_stack([1.0 - targets[:, 0], targets[:, 0]])
    if n_out != 1:
        raise SpecError("dataset", f"the {info.name} dataset has one 0/1 target per sample but "
                        f"{network}: use 1 output (sigmoid with binary_cross_entropy) or 2 "
                        f"(softmax with cross_entropy)")
    return targets


def training_data(spec: NetworkSpec, request: TrainRequest) -> TrainingData:
    """Either the named dataset, split by test_fraction, or the explicit arrays, checked."""
    explicit = request.inputs is not None or request.targets is not None
    if request.dataset is not None and explicit:
        raise SpecError("dataset", "give either `dataset` or explicit `inputs` and `targets`, "
                        "not both")
    if request.dataset is None:
        if not explicit:
            raise SpecError("dataset", "a training set is needed: give `dataset` ({name, "
                            "samples, noise, seed}) or explicit `inputs` and `targets`")
        if request.inputs is None or request.targets is None:
            missing = "inputs" if request.inputs is None else "targets"
            raise SpecError(missing, "explicit data needs both `inputs` and `targets`")
        if "test_fraction" in request.model_fields_set:
            raise SpecError("test_fraction", "only splits a named `dataset`; with explicit data "
                            "give `test_inputs` and `test_targets` instead")
        if (request.test_inputs is None) != (request.test_targets is None):
            missing = "test_inputs" if request.test_inputs is None else "test_targets"
            raise SpecError(missing, "a test set needs both `test_inputs` and `test_targets`")
        x, y = _checked(spec, request.inputs, request.targets)
        if request.test_inputs is None:
            return TrainingData(x, y, None, None)
        tx, ty = _checked(spec, request.test_inputs, request.test_targets, "test_")
        return TrainingData(x, y, tx, ty)
    if request.test_inputs is not None or request.test_targets is not None:
        field = "test_inputs" if request.test_inputs is not None else "test_targets"
        raise SpecError(field, "a named `dataset` is split into train and test by "
                        "`test_fraction`; explicit test data goes with explicit `inputs`")
    ref = request.dataset
    data = datasets.generate(ref.name, ref.samples, ref.noise, ref.seed)
    targets = _dataset_targets(spec, request, np.array(data.targets))
    x, y, tx, ty = datasets.split(np.array(data.inputs), targets, request.test_fraction, ref.seed)
    x, y = _checked(spec, x, y, "dataset.")
    if len(tx) == 0:
        return TrainingData(x, y, None, None)
    tx, ty = _checked(spec, tx, ty, "dataset.test_")
    return TrainingData(x, y, tx, ty)


def _views(result: dict, has_test: bool) -> dict:
    """The test-loss curve and the last snapshot's predictions as a boundary or a curve."""
    snapshots = result["snapshots"]
    last = snapshots[-1]["predictions"] if snapshots else {"kind": "none"}
    grid = last["kind"] == "grid"
    line = last["kind"] == "line"
    return {
        "test_loss_curve": [{"iteration": s["iteration"], "loss": s["test_loss"]}
                            for s in snapshots] if has_test else [],
        "decision_boundary": {"x": last["x"], "y": last["y"], "values": last["values"]}
        if grid else None,
        "prediction_curve": {"x": last["x"], "values": last["values"]} if line else None,
    }


@router.post("", response_model=TrainResponse, responses=ERROR_RESPONSES,
             summary="Train a network for many iterations and return curves and snapshots")
@heavy
def create_training(request: TrainRequest) -> FastJSONResponse:
    """Mini-batch training on a named dataset or explicit data, recording off. The response has
    the loss per iteration, the test loss and accuracy at snapshots, gradient norms per layer,
    the final parameters (and optimiser state), a decision boundary (2-D inputs) or prediction
    curve (1-D) and the data.
    A run whose loss or parameters stop being finite ends with `diverged` true, never an error.
    Requests whose estimated work is over the budget are refused with 422 on `iterations`."""
    spec = spec_from(request.network, request.l2)
    optimizer, state = optimizer_from(spec, request)
    data = training_data(spec, request)
    rows = len(data.inputs)
    batch = rows if request.batch_size is None else min(request.batch_size, rows)
    test_rows = 0 if data.test_inputs is None else len(data.test_inputs)
    work = training_work(spec, request.iterations, batch, rows, test_rows, request.snapshot_every,
                         optimizer, request.include_predictions)
    check_work(work)
    params = params_from(spec, request.params, request.seed, request.init)
    result = train(spec, params, data.inputs, data.targets, learning_rate=request.learning_rate,
                   iterations=request.iterations, batch_size=batch, seed=request.seed,
                   snapshot_every=request.snapshot_every, test_inputs=data.test_inputs,
                   test_targets=data.test_targets, stop_loss=request.stop_loss,
                   optimizer=optimizer, optimizer_state=state,
                   with_predictions=request.include_predictions).to_dict()
    has_test = data.test_inputs is not None
    echo, echo_test = request.include_data, request.include_data and has_test
    return FastJSONResponse({
        **result,
        **_views(result, has_test),
        "iterations": request.iterations,
        "batch_size": batch,
        "learning_rate": request.learning_rate,
        "dataset": request.dataset.model_dump() if request.dataset else None,
        "test_fraction": request.test_fraction if request.dataset else None,
        "inputs": clean(data.inputs) if echo else None,
        "targets": clean(data.targets) if echo else None,
        "test_inputs": clean(data.test_inputs) if echo_test else None,
        "test_targets": clean(data.test_targets) if echo_test else None,
        "work": {"units": work.units, "budget": WORK_BUDGET, "per_iteration": work.per_iteration},
        **({"l2": spec.l2} if spec.l2 else {}),
        **({"optimizer": optimizer.to_data()} if optimizer else {}),
    })
