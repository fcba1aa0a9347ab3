"""Models for POST /api/v1/iterations: one training iteration's full trace."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.schemas.common import (
    WORKED_EXAMPLE,
    BatchRequest,
    Granularity,
    GraphOut,
    LearningRate,
    ParamsOut,
    UpdateOrder,
)
from app.schemas.optimizers import QUANTITIES, OptimizerOut, OptimizerRequest, OptimizerStateOut

Values = list[list[float | None]]

TINY_EXAMPLE = {**WORKED_EXAMPLE, "learning_rate": 0.5}
ADAM_EXAMPLE = {**WORKED_EXAMPLE, "learning_rate": 0.05, "l2": 0.01,
                "optimizer": {"name": "adam", "betas": [0.8, 0.99]}}


class IterationRequest(BatchRequest, OptimizerRequest):
    """A network, its parameters (or a seed to draw them), one batch, a learning rate and, if
    not plain SGD, the optimiser and its state."""

    learning_rate: LearningRate = 0.5
    update_order: UpdateOrder = Field(
        "after_backward", description="eager steps each parameter (with its own optimiser "
                                      "state) as soon as its gradient is complete.")
    granularity: Granularity = "layer"
    include_events: bool | None = Field(
        None, description="Per-node events; by default for batches up to 16 rows on the scalar "
                    "graph or on networks of up to 200 weights, and refused (422) beyond that.")
    input_gradient: bool = Field(
        False, description="Also take dC/dx, the gradient of the cost with respect to every "
                           "input of every row (an image's saliency): the first backward "
                           "stage's `grad_inputs`.")

    model_config = {"json_schema_extra": {"examples": [TINY_EXAMPLE, ADAM_EXAMPLE]}}


class ForwardStage(BaseModel):
    phase: Literal["forward"]
    layer: int
    name: str = Field(description="The stage's display name, e.g. 'Forward, layer 1'.")
    tag: str = Field(description="A two-character tag, e.g. 'F1'.")
    pre_activation: Values = Field(description="z^l, shape (batch, n_l).")
    activation: Values = Field(description="a^l = f(z^l), shape (batch, n_l).")
    activation_name: str
    node_ids: list[int]


class LossStage(BaseModel):
    phase: Literal["loss"]
    name: str
    tag: str
    loss: float | None
    per_sample_loss: list[float | None]
    grad_output: Values = Field(description="dC/da^L, null where a saturated output makes it "
                                            "infinite.")
    loss_name: str
    targets: Values
    data_loss: float | None = Field(None, description="With an L2 penalty: C₀, the loss on the "
                                                      "batch (per_sample_loss's mean).")
    penalty: float | None = Field(None, description="With an L2 penalty: (λ/2) Σ ||W^l||²; "
                                                    "loss = data_loss + penalty.")
    l2: float | None = Field(None, description="With an L2 penalty: λ.")
    node_ids: list[int]


class BackwardStage(BaseModel):
    phase: Literal["backward"]
    layer: int
    name: str
    tag: str
    delta: Values = Field(description="delta^l = dC/dz^l, shape (batch, n_l).")
    grad_weights: Values = Field(description="dC/dW^l, shape (n_l, n_{l-1}).")
    grad_biases: list[float | None] = Field(description="dC/db^l.")
    grad_activation: Values = Field(description="dC/da^l.")
    activation_derivative: Values | None = Field(
        None, description="f'(z^l) entry by entry (absent for softmax layers).")
    grad_weights_data: Values | None = Field(
        None, description="With an L2 penalty: dC₀/dW^l, the loss's term of grad_weights.")
    grad_weights_penalty: Values | None = Field(
        None, description="With an L2 penalty: λ W^l, the penalty's term of grad_weights.")
    per_sample_grad_weights: list[Values] | None = Field(
        None, description="dC_i/dW^l per sample i (batches up to 16); their mean is grad_weights "
                          "(grad_weights_data with an L2 penalty).")
    per_sample_grad_biases: Values | None = None
    updated_weights: Values | None = Field(None, description="Eager order only: W^l after its "
                                                             "update, made at this stage.")
    grad_inputs: Values | None = Field(
        None, description="Layer 1 with input_gradient only: dC/dx, shape (batch, n_0). C "
                          "averages the batch, so row i is 1/N of sample i's own dC_i/dx_i.")
    updated_biases: list[float | None] | None = None
    node_ids: list[int]


class UpdateStage(BaseModel):
    phase: Literal["update"]
    name: str
    tag: str
    weights: list[Values]
    biases: list[list[float | None]]
    learning_rate: float
    optimizer: str | None = Field(None, description="When the request named one: its name.")
    step_count: int | None = Field(None, description="When the request named an optimiser: t, "
                                                     "its step count after this step.")
    quantities: dict[str, ParamsOut] | None = Field(None, description=QUANTITIES)
    node_ids: list[int]


Stage = Annotated[ForwardStage | LossStage | BackwardStage | UpdateStage,
                  Field(discriminator="phase")]


class SentGrad(BaseModel):
    parent: int
    grad: float | list | None


class ReceivedGrad(BaseModel):
    from_: int = Field(alias="from")
    grad: float | list | None


class LocalDerivative(BaseModel):
    parent: int
    value: float | list | None


class ForwardEvent(BaseModel):
    node: int
    value: float | list | None


class BackwardEvent(BaseModel):
    node: int
    upstream: float | list | None = Field(description="dC/dnode: the sum of what was received.")
    received: list[ReceivedGrad]
    local: list[LocalDerivative]
    sent: list[SentGrad] = Field(description="upstream x local, per parent.")


class EventsOut(BaseModel):
    forward: list[ForwardEvent]
    backward: list[BackwardEvent]


class IterationResponse(BaseModel):
    """The stages in order, the parameters before and after, the graph and per-node events."""

    granularity: Granularity
    update_order: UpdateOrder
    learning_rate: float
    loss: float | None
    diverged: bool
    stages: list[Stage]
    params_before: ParamsOut
    params_after: ParamsOut
    graph: GraphOut
    events: EventsOut | None
    l2: float | None = Field(None, description="Present when the request had an L2 penalty.")
    optimizer: OptimizerOut | None = Field(None, description="Present when the request named "
                                                             "an optimiser.")
    optimizer_state_after: OptimizerStateOut | None = Field(
        None, description="Present when the request named an optimiser.")
