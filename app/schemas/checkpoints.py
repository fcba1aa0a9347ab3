"""Models for POST /api/v1/checkpoints: a learner's hand-calculated number, checked."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from app.schemas.common import WORKED_EXAMPLE, StrictModel
from app.schemas.iterations import IterationRequest
from engine.demos.checkpoints import KINDS
from engine.limits import MAX_BATCH, MAX_NEURONS


class Quantity(StrictModel):
    """Which number: δ^l_j of one sample, dC/dw^l_jk, dC/db^l_j, or the updated w^l_jk
    (indices from 0, layers from 1)."""

    kind: Literal[KINDS]
    layer: int = Field(ge=1, le=6)
    j: int = Field(ge=0, lt=MAX_NEURONS)
    k: int = Field(0, ge=0, lt=MAX_NEURONS)
    sample: int = Field(0, ge=0, lt=MAX_BATCH, description="For a delta: the sample's row.")


class CheckpointRequest(IterationRequest):
    quantity: Quantity
    answer: float = Field(allow_inf_nan=False, ge=-1e12, le=1e12, strict=False,
                          description="The learner's number.")

    # z¹₁ = 0.3775 used for a¹₁ in ∂C/∂w²₁₁ = a¹₁ δ²₁: the verdict names the slip.
    model_config = {"json_schema_extra": {"examples": [{
        **WORKED_EXAMPLE, "learning_rate": 0.5,
        "quantity": {"kind": "grad_weight", "layer": 2, "j": 0, "k": 0}, "answer": 0.05228}]}}


class CheckpointResponse(StrictModel):
    correct: bool
    value: float | None = Field(description="The engine's number.")
    slip: str | None = Field(description="Which usual slip the answer matches (sign, mean, "
                                         "no_derivative, derivative_at_a, "
                                         "pre_activation_input, ...), or null.")
    says: str = Field(description="The verdict in a sentence: which factor differs.")
