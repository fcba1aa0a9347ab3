"""Models for POST /api/v1/cost: one gradient three ways (reverse, forward mode, differences)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from app.schemas.common import Seed, StrictModel
from engine.demos.cost import MAX_COST_DEPTH, MAX_COST_WIDTH, MAX_COST_WIDTHS

MAX_BATCH = 64
# Passes of every method, row and timing repeat together. At 100 to 300 us a pass (batch <= 64,
# widths <= 32, depth <= 4) the worst accepted request takes about 1 to 2 s.
MAX_PASSES = 6000

Width = Annotated[int, Field(ge=1, le=MAX_COST_WIDTH)]

EXAMPLE = {"widths": [2, 4, 8, 16], "depth": 2, "batch": 16, "seed": 0}


class CostRequest(StrictModel):
    """Networks (2, w, ..., w, 1) for each width w, with `depth` tanh hidden layers."""

    widths: Annotated[list[Width], Field(
        min_length=1, max_length=MAX_COST_WIDTHS,
        description=f"Hidden layer widths to compare, 1 to {MAX_COST_WIDTH} each; a row per "
                    f"distinct width. All rows together may take at most {MAX_PASSES} passes "
                    "(a network with P parameters takes about 3P + 4 per timing repeat).")] = (
        [2, 4, 8, 16])
    depth: Annotated[int, Field(ge=1, le=MAX_COST_DEPTH, description="Hidden layers.")] = 2
    batch: Annotated[int, Field(ge=1, le=MAX_BATCH, description="Samples in the batch.")] = 16
    seed: Seed = 0

    model_config = {"json_schema_extra": {"examples": [EXAMPLE]}}


class MethodCostOut(BaseModel):
    passes: int = Field(description="Passes over the graph for one gradient.")
    seconds: float | None = Field(description="Best wall time over the timing repeats.")
    ratio: float | None = Field(description="seconds / one forward pass's seconds.")


class CostRow(BaseModel):
    width: int
    layer_sizes: list[int]
    parameters: int = Field(description="P, weights and biases.")
    forward_pass_seconds: float | None
    reverse: MethodCostOut = Field(description="Backprop: 2 passes, forward and backward.")
    forward_mode: MethodCostOut = Field(description="A tangent pass per parameter: P + 1.")
    finite_differences: MethodCostOut = Field(description="Central differences: 2P passes.")
    max_abs_difference: float | None = Field(
        description="Largest difference between any two methods' gradient entries.")


class CostResponse(BaseModel):
    """A row per width, ordered by parameter count P, and how the rows were measured."""

    rows: list[CostRow]
    depth: int
    batch: int
    repeats: int = Field(description="Timing repeats per method (best time kept); fewer than "
                                     "configured when needed to stay within the pass limit.")

    model_config = {"json_schema_extra": {"examples": [{
        "rows": [{"width": 2, "layer_sizes": [2, 2, 2, 1], "parameters": 15,
                  "forward_pass_seconds": 5.1e-05,
                  "reverse": {"passes": 2, "seconds": 0.00016, "ratio": 3.1},
                  "forward_mode": {"passes": 16, "seconds": 0.0011, "ratio": 21.6},
                  "finite_differences": {"passes": 30, "seconds": 0.0016, "ratio": 31.4},
                  "max_abs_difference": 1.2e-10}],
        "depth": 2, "batch": 16, "repeats": 3}]}}
