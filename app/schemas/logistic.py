"""Models for POST /api/v1/logistic: the hand-derived gradient beside the backward pass."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from app.schemas.common import InitScheme, ParamsModel, ParamsOut, Row, Seed, StrictModel
from engine.limits import MAX_BATCH

LOGISTIC_EXAMPLE = {
    "params": {"weights": [[[0.5, -0.25]]], "biases": [[0.1]]},
    "inputs": [[0.3, 0.3], [0.9, 0.8], [-0.7, -0.4], [-0.5, -0.6]],
    "targets": [[1.0], [1.0], [0.0], [0.0]],
}


class LogisticRequest(StrictModel):
    """Logistic regression (n inputs -> one sigmoid unit, binary cross-entropy): its parameters
    (or a seed to draw them) and one batch. n is the inputs' row length."""

    params: ParamsModel | None = Field(
        None, description="weights [[w_1..w_n]] and biases [[w_0]]; omit to initialise from "
                          "`seed`.")
    seed: Seed = 0
    init: InitScheme = "auto"
    inputs: Annotated[list[Row], Field(min_length=1, max_length=MAX_BATCH)]
    targets: Annotated[list[Row], Field(min_length=1, max_length=MAX_BATCH,
                                        description="One number in [0, 1] per row.")]

    model_config = {"json_schema_extra": {"examples": [LOGISTIC_EXAMPLE]}}


class HandGradientOut(BaseModel):
    """dC/dw = (1/N) sum (p_i - y_i) x_i and dC/dw_0 = (1/N) sum (p_i - y_i), from the formula."""

    probabilities: list[float | None] = Field(description="p_i = sigmoid(w . x_i + w_0).")
    errors: list[float | None] = Field(description="p_i - y_i.")
    grad_weights: list[list[float | None]] = Field(description="Shape (1, n), like W^1.")
    grad_bias: list[float | None] = Field(description="Shape (1,), like b^1.")


class BackwardGradientOut(BaseModel):
    """The same gradient from one backward pass of the autodiff engine."""

    grad_weights: list[list[float | None]] = Field(description="dC/dW^1, shape (1, n).")
    grad_biases: list[float | None] = Field(description="dC/db^1, shape (1,).")


class LogisticResponse(BaseModel):
    """The parameters used, the loss, and the gradient both ways."""

    params: ParamsOut
    loss: float | None
    hand: HandGradientOut
    backward: BackwardGradientOut
