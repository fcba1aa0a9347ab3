"""Models for POST /api/v1/gradcheck: backprop beside central finite differences."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from app.schemas.common import WORKED_EXAMPLE, BatchRequest, Granularity
from app.schemas.optimizers import L2
from engine.demos import gradcheck

GRADCHECK_EXAMPLE = {**WORKED_EXAMPLE, "step": 1e-6}


class GradcheckRequest(BatchRequest):
    """A network, its parameters (or a seed), one batch and the finite-difference step."""

    step: float = Field(1e-6, gt=0.0, le=gradcheck.MAX_STEP, allow_inf_nan=False, strict=True,
                        description="h in (C(p + h) - C(p - h)) / 2h.")
    granularity: Granularity = Field("layer", description="The graph backprop runs on; both "
                                                          "give the same gradients.")
    l2: L2 = 0.0

    model_config = {"json_schema_extra": {"examples": [GRADCHECK_EXAMPLE]}}


class GradientRowOut(BaseModel):
    """One parameter entry: `index` is 0-based as in the arrays, `name` 1-based as in the maths
    (w2_13 is W^2[0, 2])."""

    layer: int
    kind: Literal["weight", "bias"]
    index: list[int]
    name: str
    backprop: float | None
    numerical: float | None
    relative_error: float | None = Field(description="|a - n| / max(|a|, |n|, floor).")


class GradcheckResponse(BaseModel):
    """Every entry's two gradients, the worst relative error and the forward passes it took."""

    rows: list[GradientRowOut]
    max_relative_error: float | None
    loss: float | None
    step: float
    floor: float | None = Field(description="Entries smaller than this are compared on this "
                                            "scale: the central difference's rounding level.")
    passes: int = Field(description="Forward passes for the finite differences: 2 per entry.")
    parameter_count: int
