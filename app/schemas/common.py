"""Models shared by several endpoints: the network spec, parameters and data, with their bounds."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.learning import iteration
from engine.networks import spec

MAX_BATCH = 512            # rows in one iteration's batch
MAX_SAMPLES = 2000         # rows in a training set
MAX_SEED = 2**32 - 1

Activation = Literal["sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"]
LossName = Literal["squared_error", "binary_cross_entropy", "cross_entropy"]
Granularity = Literal["layer", "scalar"]
UpdateOrder = Literal[tuple(iteration.UPDATE_ORDERS)]
InitScheme = Literal["auto", "xavier", "he"]

# strict: a JSON true/false is refused where a number is expected.
Number = Annotated[float, Field(allow_inf_nan=False, strict=True)]
Row = Annotated[list[Number], Field(min_length=1, max_length=spec.MAX_NEURONS)]
Matrix = Annotated[list[Row], Field(min_length=1, max_length=spec.MAX_NEURONS)]
Vector = Annotated[list[Number], Field(min_length=1, max_length=spec.MAX_NEURONS)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED, strict=True,
                            description="Seed for reproducible randomness.")]
LearningRate = Annotated[float, Field(gt=0, le=1e6, allow_inf_nan=False, strict=True,
                                      description="SGD step size.")]


class StrictModel(BaseModel):
    """Unknown fields are refused and non-finite numbers are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class NetworkModel(StrictModel):
    """Layer sizes (input first), an activation per computing layer, and the loss."""

    layer_sizes: Annotated[list[Annotated[int, Field(ge=1, le=spec.MAX_NEURONS, strict=True)]],
                           Field(min_length=2, max_length=spec.MAX_LAYERS + 1)]
    activations: Annotated[list[Activation], Field(min_length=1, max_length=spec.MAX_LAYERS)]
    loss: LossName

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
        "loss": "squared_error"}]})


class ParamsModel(StrictModel):
    """weights[l] is W^{l+1} with shape (n_out, n_in); biases[l] is b^{l+1}."""

    weights: Annotated[list[Matrix], Field(min_length=1, max_length=spec.MAX_LAYERS)]
    biases: Annotated[list[Vector], Field(min_length=1, max_length=spec.MAX_LAYERS)]


# The classic worked example: a 2-2-2 sigmoid network, fixed weights, one sample.
WORKED_EXAMPLE = {
    "network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                "loss": "squared_error"},
    "params": {"weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
               "biases": [[0.35, 0.35], [0.60, 0.60]]},
    "inputs": [[0.05, 0.10]],
    "targets": [[0.01, 0.99]],
}


class BatchRequest(StrictModel):
    """A network, its parameters (or a seed and scheme to draw them) and one batch of data."""

    network: NetworkModel
    params: ParamsModel | None = Field(None, description="Omit to initialise from `seed`.")
    seed: Seed = 0
    init: InitScheme = "auto"
    inputs: Annotated[list[Row], Field(min_length=1, max_length=MAX_BATCH)]
    targets: Annotated[list[Row], Field(min_length=1, max_length=MAX_BATCH)]


class ParamsOut(BaseModel):
    """Parameters in a response (null where a diverged run produced a non-finite number)."""

    weights: list[list[list[float | None]]]
    biases: list[list[float | None]]


class GraphNode(BaseModel):
    id: int
    name: str
    op: str
    role: str
    layer: int | None
    shape: list[int]
    x: float
    y: float


class GraphEdge(BaseModel):
    source: int
    target: int
    index: int = Field(description="Which parent of the target this edge is (0-based).")


class GraphOut(BaseModel):
    """A computational graph with a layered layout: x, y in [0, 1]."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]


class ErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorOut(BaseModel):
    detail: list[ErrorItem]


ERROR_RESPONSES = {422: {"model": ErrorOut, "description": "A field is out of bounds or invalid."},
                   413: {"model": ErrorOut, "description": "The request body is too large."}}
