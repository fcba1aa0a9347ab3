"""Models for POST /api/v1/projections: data with many features seen in two dimensions."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from app.schemas.common import Row, StrictModel
from engine.limits import MAX_SAMPLES


class ProjectionRequest(StrictModel):
    """Rows of inputs, each with the same number (2 to 64) of features."""

    inputs: Annotated[list[Row], Field(min_length=2, max_length=MAX_SAMPLES)]

    model_config = {"json_schema_extra": {"examples": [{
        "inputs": [[0.0, 1.0, 2.0], [1.0, 0.5, 2.5], [2.0, 0.0, 3.5], [3.0, -0.5, 4.0]]}]}}


class ProjectionResponse(BaseModel):
    """points[i] is row i on the first two principal components; explained says how much of
    the data's variance each keeps (the plot says so)."""

    points: list[list[float]] = Field(description="(rows, 2): coordinates on PC1 and PC2.")
    explained: list[float] = Field(description="The share of the total variance PC1 and PC2 "
                                               "keep, each in [0, 1].")
    components: list[list[float]] = Field(description="(2, features): each component's unit "
                                                      "direction.")
    mean: list[float] = Field(description="The mean row, subtracted before projecting.")
