"""Models for POST /api/v1/rnn/bptt: backprop through time in a small Elman RNN, step by step."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.schemas.common import GraphOut, Number, Seed, StrictModel
from app.schemas.iterations import EventsOut
from engine.demos.rnn import MAX_GRAPH_NODES, MAX_HIDDEN, MAX_INPUT, MAX_OUTPUT, MAX_STEPS, TASKS

DEFAULT_HIDDEN = 4
DEFAULT_TASK_STEPS = 20
MAX_SCALE = 100.0
MAX_SIDE = max(MAX_HIDDEN, MAX_INPUT, MAX_OUTPUT)

TaskName = Literal[tuple(TASKS)]
LossAt = Literal["last", "every"]
InputRow = Annotated[list[Number], Field(min_length=1, max_length=MAX_INPUT)]
TargetRow = Annotated[list[Number], Field(min_length=1, max_length=MAX_OUTPUT)]
InputSequence = Annotated[list[InputRow], Field(min_length=1, max_length=MAX_STEPS)]
TargetRows = Annotated[list[TargetRow], Field(min_length=1, max_length=MAX_STEPS)]
ParamVector = Annotated[list[Number], Field(min_length=1, max_length=MAX_SIDE)]
ParamMatrix = Annotated[list[ParamVector], Field(min_length=1, max_length=MAX_SIDE)]
Values = list[list[float | None]]

EXAMPLE = {
    "inputs": [[1.0], [0.5], [-0.5], [0.0]],
    "targets": [0.25],
    "n_hidden": 3,
    "seed": 0,
    "loss_at": "last",
}
TASK_EXAMPLE = {"task": "echo", "steps": 30, "n_hidden": 4, "scale": 1.5, "seed": 1}
PARAMS_EXAMPLE = {
    "inputs": [[1.0], [-1.0]],
    "targets": [[0.5], [0.0]],
    "loss_at": "every",
    "params": {"w_xh": [[0.5], [-0.3]], "w_hh": [[0.9, 0.1], [-0.2, 0.8]], "b_h": [0.0, 0.1],
               "w_hy": [[1.0, -1.0]], "b_y": [0.0]},
}


class RnnParamsModel(StrictModel):
    """W_xh (n_hidden, n_in), W_hh (n_hidden, n_hidden), b_h (n_hidden), W_hy (n_out, n_hidden),
    b_y (n_out); matrices are lists of rows."""

    w_xh: ParamMatrix
    w_hh: ParamMatrix
    b_h: ParamVector
    w_hy: ParamMatrix
    b_y: ParamVector


class BpttRequest(StrictModel):
    """Either `inputs` (one row of n_in numbers per time step) with `targets`, or a named `task`
    that makes a sequence of `steps` one-number rows and its target. Parameters are given, or
    drawn from `seed` with `n_hidden` hidden units (and W_hh = scale x a random orthogonal
    matrix when `scale` is given)."""

    inputs: InputSequence | None = Field(
        None, description=f"x_1..x_T: T <= {MAX_STEPS} rows of n_in <= {MAX_INPUT} numbers.")
    targets: TargetRow | TargetRows | None = Field(
        None, description="With inputs: one target of n_out numbers (loss_at 'last') or one "
                          "row per time step (loss_at 'every').")
    task: TaskName | None = Field(
        None, description="'mean': the target is the mean of uniform inputs (every step "
                          "matters); 'echo': the target is the first of +-1 inputs (a long "
                          "memory). Instead of inputs and targets.")
    steps: Annotated[int, Field(ge=1, le=MAX_STEPS)] | None = Field(
        None, description=f"The task's sequence length T (default {DEFAULT_TASK_STEPS}).")
    n_hidden: Annotated[int, Field(ge=1, le=MAX_HIDDEN)] | None = Field(
        None, description=f"Hidden units (default {DEFAULT_HIDDEN}); with params, it must match.")
    params: RnnParamsModel | None = Field(None, description="Omit to draw them from `seed`.")
    scale: Annotated[float, Field(ge=0.0, le=MAX_SCALE, allow_inf_nan=False)] | None = Field(
        None, description="Drawn parameters only: W_hh = scale Q for a random orthogonal Q. "
                          "While tanh stays near linear, each step back multiplies ||dC/dh_t|| "
                          "by about scale: below 1 gradients vanish, above 1 they explode.")
    seed: Seed = 0
    loss_at: LossAt = Field("last", description="'last': C = 1/2 ||yhat_T - y||^2; 'every': "
                                                "C = (1/T) sum_t 1/2 ||yhat_t - y_t||^2.")

    model_config = {"json_schema_extra": {"examples": [EXAMPLE, TASK_EXAMPLE, PARAMS_EXAMPLE]}}


class RnnParamsOut(BaseModel):
    w_xh: Values
    w_hh: Values
    b_h: list[float | None]
    w_hy: Values
    b_y: list[float | None]


ParamArray = Values | list[float | None]


class BpttResponse(BaseModel):
    """The unrolled forward pass and backward pass, split by time step.

    Keys of `grads` and `step_contributions` are W_xh, W_hh, b_h, W_hy, b_y; for each,
    the T entries of step_contributions sum to grads. Non-finite numbers (a diverged run)
    are null.
    """

    steps: int
    loss_at: LossAt
    inputs: Values
    targets: ParamArray
    params: RnnParamsOut
    hidden_states: Values = Field(description="h_1..h_T, each n_hidden numbers.")
    outputs: Values = Field(description="yhat_1..yhat_T, each n_out numbers.")
    loss: float | None
    grads: dict[str, ParamArray] = Field(description="dC/dW summed over the steps.")
    step_contributions: dict[str, list[ParamArray]] = Field(
        description="(dC/dW)_t for t = 1..T: what the uses of W at step t sent back to W.")
    grad_norm_by_step: list[float | None] = Field(description="||dC/dh_t|| for t = 1..T.")
    diverged: bool
    graph: GraphOut | None = Field(description=f"Null above {MAX_GRAPH_NODES} graph nodes.")
    events: EventsOut | None = Field(description=f"Null above {MAX_GRAPH_NODES} graph nodes.")
