"""POST /api/v1/rnn/bptt: backprop through time, each shared weight's gradient split by step."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter

from app.admission import heavy
from app.body_route import JSONBodyRoute
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.rnn import (
    DEFAULT_HIDDEN,
    DEFAULT_TASK_STEPS,
    BpttRequest,
    BpttResponse,
    RnnParamsModel,
)
from engine.demos.rnn import RnnParams, bptt, init_rnn_params, sequence_task
from engine.networks.spec import SpecError
from engine.views.serialize import clean

router = APIRouter(prefix="/api/v1/rnn", tags=["rnn"], route_class=JSONBodyRoute)


def sequence_from(request: BpttRequest) -> tuple[np.ndarray, np.ndarray]:
    """inputs (T, n_in) and targets, given or made by the task, checked against each other."""
    if request.inputs is None and request.task is None:
        raise SpecError("inputs", "give either inputs (with targets) or a task")
    if request.inputs is not None and request.task is not None:
        raise SpecError("task", "give either inputs (with targets) or a task, not both")
    if request.task is not None:
        if request.targets is not None:
            raise SpecError("targets", "a task makes its own target: omit targets")
        if request.loss_at != "last":
            raise SpecError("loss_at", "a task's target is for the last step: use 'last'")
        return sequence_task(request.task, request.steps or DEFAULT_TASK_STEPS, request.seed)
    if request.steps is not None:
        raise SpecError("steps", "steps goes with a task; with inputs, T is their number of rows")
    inputs = request.inputs
    for t, row in enumerate(inputs):
        if len(row) != len(inputs[0]):
            raise SpecError(f"inputs[{t}]", f"must have {len(inputs[0])} numbers like inputs[0] "
                            f"(n_in), got {len(row)}")
    return np.array(inputs, dtype=np.float64), targets_from(request, len(inputs))


def targets_from(request: BpttRequest, steps: int) -> np.ndarray:
    """(n_out,) for loss_at 'last', (T, n_out) for 'every'."""
    targets = request.targets
    if targets is None:
        raise SpecError("targets", "inputs need targets")
    nested = isinstance(targets[0], list)
    if request.loss_at == "last" and nested:
        raise SpecError("targets", "with loss_at 'last', targets is one list of n_out numbers "
                        "for the final step")
    if request.loss_at == "every":
        if not nested or len(targets) != steps:
            raise SpecError("targets", f"with loss_at 'every', targets needs one row per time "
                            f"step: {steps} rows like the inputs")
        for t, row in enumerate(targets):
            if len(row) != len(targets[0]):
                raise SpecError(f"targets[{t}]", f"must have {len(targets[0])} numbers like "
                                f"targets[0] (n_out), got {len(row)}")
    return np.array(targets, dtype=np.float64)


def _shape(value: list) -> tuple[int, ...] | None:
    """The shape of a vector or a list of rows; None for rows of different lengths."""
    if not isinstance(value[0], list):
        return (len(value),)
    lengths = {len(row) for row in value}
    return (len(value), lengths.pop()) if len(lengths) == 1 else None


def params_from(request: BpttRequest, n_in: int, n_out: int) -> RnnParams:
    """The given parameters with their shapes checked, or parameters drawn from the seed."""
    given = request.params
    if given is None:
        return init_rnn_params(n_in, request.n_hidden or DEFAULT_HIDDEN, n_out, request.seed,
                               request.scale)
    if request.scale is not None:
        raise SpecError("scale", "scale shapes drawn parameters: omit it when giving params")
    hidden = request.n_hidden or len(given.w_hh)
    expected = {"w_xh": ((hidden, n_in), "(n_hidden, n_in)"),
                "w_hh": ((hidden, hidden), "(n_hidden, n_hidden)"),
                "b_h": ((hidden,), "(n_hidden,)"),
                "w_hy": ((n_out, hidden), "(n_out, n_hidden)"),
                "b_y": ((n_out,), "(n_out,)")}
    for name, (shape, meaning) in expected.items():
        actual = _shape(getattr(given, name))
        if actual != shape:
            got = "rows of different lengths" if actual is None else str(actual)
            raise SpecError(f"params.{name}", f"{name} must have shape {meaning} = {shape}, "
                            f"got {got}")
    return RnnParams(*(np.array(getattr(given, name), dtype=np.float64)
                       for name in RnnParamsModel.model_fields))


@router.post("/bptt", response_model=BpttResponse, responses=ERROR_RESPONSES,
             summary="Backpropagate through time in a small RNN, step by step")
@heavy
def create_bptt(request: BpttRequest) -> FastJSONResponse:
    """Unroll h_t = tanh(x_t W_xh^T + h_{t-1} W_hh^T + b_h), yhat_t = h_t W_hy^T + b_y, then
    backward from the loss. Each shared weight's gradient is returned with its T per-step
    contributions (they sum to it) and ||dC/dh_t|| per step, where vanishing and exploding
    gradients show.
    """
    inputs, targets = sequence_from(request)
    n_out = targets.shape[-1]
    params = params_from(request, inputs.shape[1], n_out)
    trace = bptt(params, inputs, targets, request.loss_at)
    used = {name: clean(value) for name, value in vars(params).items()}
    return FastJSONResponse({**trace.to_dict(), "inputs": clean(inputs),
                             "targets": clean(targets), "params": used})
