"""Models for /api/v1/datasets: the toy datasets on offer and one generated sample of them."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from app.schemas.common import Seed, StrictModel
from engine.data.datasets import DATASETS, DEFAULT_NOISE, DEFAULT_SAMPLES, DEFAULT_SEED
from engine.limits import MAX_NOISE, MAX_SAMPLES, MAX_SEED, MIN_SAMPLES

KNOWN_NAMES = ", ".join(sorted(DATASETS))

Samples = Annotated[int, Field(ge=MIN_SAMPLES, le=MAX_SAMPLES,
                               description=f"Rows to draw, {MIN_SAMPLES} to {MAX_SAMPLES}.")]
Noise = Annotated[float, Field(ge=0.0, le=MAX_NOISE, allow_inf_nan=False,
                               description="Standard deviation of gaussian noise on the inputs "
                                           "(classification) or the target (regression), "
                                           f"0 to {MAX_NOISE:g}.")]


class IntRange(BaseModel):
    default: int
    min: int
    max: int


class FloatRange(BaseModel):
    default: float
    min: float
    max: float


class DatasetParameters(BaseModel):
    """What POST /api/v1/datasets/{name} accepts: each parameter's default and limits."""

    samples: IntRange
    noise: FloatRange | None = Field(description="null where noise does not apply (real data).")
    seed: IntRange


class DatasetOut(BaseModel):
    """One dataset on offer: classification sets have 2 inputs and a 0/1 target."""

    name: str
    description: str
    kind: Literal["classification", "regression"]
    input_dim: int
    output_dim: int
    parameters: DatasetParameters
    image: list[int] | None = Field(None, description="[height, width] of the image each row of "
                                                      "inputs is (row by row), or null.")
    source: str | None = Field(None, description="Where real data come from, and their licence.")

    model_config = {"json_schema_extra": {"examples": [{
        "name": "xor", "description": "Class 1 where both coordinates share a sign, class 0 "
                                      "where they differ.",
        "kind": "classification", "input_dim": 2, "output_dim": 1,
        "parameters": {"samples": {"default": DEFAULT_SAMPLES, "min": MIN_SAMPLES,
                                   "max": MAX_SAMPLES},
                       "noise": {"default": DEFAULT_NOISE, "min": 0.0, "max": MAX_NOISE},
                       "seed": {"default": DEFAULT_SEED, "min": 0, "max": MAX_SEED}}}]}}


class DatasetRequest(StrictModel):
    """How many rows, how noisy, and the seed: one seed always gives the same rows. Omitting
    `samples` draws the dataset's default (all of a real dataset); real data take no noise."""

    samples: Samples | None = None
    noise: Noise = DEFAULT_NOISE
    seed: Seed = DEFAULT_SEED

    model_config = {"json_schema_extra": {"examples": [{"samples": 100, "noise": 0.1,
                                                        "seed": 0}]}}


class DatasetSample(BaseModel):
    """inputs has shape (samples, input_dim) and targets (samples, output_dim), row by row."""

    name: str
    inputs: list[list[float]]
    targets: list[list[float]]
    image: list[int] | None = Field(None, description="[height, width] of the image each row of "
                                                      "inputs is, for image data.")

    model_config = {"json_schema_extra": {"examples": [{
        "name": "xor", "inputs": [[0.42, 0.87], [-0.31, 0.66], [-0.75, -0.12], [0.58, -0.94]],
        "targets": [[1.0], [0.0], [1.0], [0.0]]}]}}
