"""Models for POST /api/v1/loss-surface: the cost over a grid of two parameters' values."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.schemas.common import (
    InitScheme,
    NetworkModel,
    Number,
    ParamsModel,
    Row,
    Seed,
    StrictModel,
)
from app.schemas.optimizers import L2
from engine.limits import MAX_SAMPLES, MAX_SURFACE_RESOLUTION, MAX_SURFACE_WORK

Samples = Annotated[list[Row], Field(min_length=1, max_length=MAX_SAMPLES)]
Index = Annotated[int, Field(ge=0, strict=True)]

LINE_EXAMPLE = {
    "network": {"layer_sizes": [1, 1], "activations": ["linear"], "loss": "squared_error"},
    "params": {"weights": [[[0.5]]], "biases": [[0.0]]},
    "inputs": [[0.0], [1.0], [2.0], [3.0]],
    "targets": [[1.0], [3.0], [5.0], [7.0]],
    "axes": [{"layer": 1, "kind": "weight", "index": [0, 0], "low": -1.0, "high": 4.0},
             {"layer": 1, "kind": "bias", "index": [0], "low": -2.0, "high": 3.0}],
    "resolution": 21,
}


class SurfaceAxisModel(StrictModel):
    """One parameter to vary: W^layer[index] (index [j, k]) or b^layer[index] (index [j]),
    0-based as in the arrays, over low..high."""

    layer: int = Field(ge=1, strict=True, description="The computing layer l (1 is the first).")
    kind: Literal["weight", "bias"]
    index: Annotated[list[Index], Field(min_length=1, max_length=2)]
    low: Number
    high: Number = Field(description="Above `low`.")


class SurfaceRequest(StrictModel):
    """A network, its parameters (or a seed to draw them), data, and the two parameters whose
    values span the grid; every other parameter stays at its value in `params`."""

    network: NetworkModel
    params: ParamsModel | None = Field(None, description="Omit to initialise from `seed`.")
    seed: Seed = 0
    init: InitScheme = "auto"
    inputs: Samples
    targets: Samples
    l2: L2 = 0.0
    axes: Annotated[list[SurfaceAxisModel], Field(min_length=2, max_length=2)] = Field(
        description="The first spans x (along a row of `cost`), the second y (down a column).")
    resolution: int = Field(41, ge=2, le=MAX_SURFACE_RESOLUTION, strict=True,
                            description=f"Points along each axis. Also bounded by the work "
                                        f"limit: about resolution² x rows x the parameters from "
                                        f"the first varied layer on <= {MAX_SURFACE_WORK:.0e}.")

    model_config = {"json_schema_extra": {"examples": [LINE_EXAMPLE]}}


class SurfaceAxisOut(BaseModel):
    """A varied parameter: as requested, with its name in the maths (w1_12 is W^1[0, 1]) and
    its value in `params`."""

    layer: int
    kind: Literal["weight", "bias"]
    index: list[int]
    name: str
    value: float
    low: float
    high: float


class LowestPoint(BaseModel):
    x: float
    y: float
    cost: float


class SurfaceWork(BaseModel):
    units: float = Field(description="The surface's estimated work (about a nanosecond each).")
    limit: float = Field(description="Requests over this are refused with 422 on `resolution`.")


class SurfaceResponse(BaseModel):
    """C on the grid: cost[i][j] is at (x[j], y[i]), null where it is not a finite number."""

    axes: list[SurfaceAxisOut]
    x: list[float] = Field(description="The first axis's values, low to high.")
    y: list[float] = Field(description="The second axis's values, low to high.")
    cost: list[list[float | None]]
    cost_at_params: float | None = Field(description="C at `params` themselves.")
    lowest: LowestPoint | None = Field(description="The grid point of least cost (null if no "
                                                   "point is finite).")
    non_finite: int = Field(description="How many grid points have no finite cost.")
    l2: float
    work: SurfaceWork
