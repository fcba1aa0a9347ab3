"""Models shared by several endpoints: the network spec, parameters and data, with their bounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from engine import limits
from engine.learning.iteration import UPDATE_ORDERS
from engine.limits import MAX_BATCH, MAX_SEED
from engine.networks.activations import ACTIVATIONS
from engine.networks.init import SCHEMES
from engine.networks.losses import LOSSES
from engine.networks.network import GRANULARITIES


def _listed(names) -> str:
    """'a', 'b' or 'c', as pydantic lists the values a literal allows."""
    quoted = [repr(name) for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"


def one_of(table: Mapping[str, object]):
    """A name that must be a key of an engine table, read when a request is checked (so an entry
    registered later is allowed at once) and listed as the schema's enum."""
    def check(value: str) -> str:
        if value not in table:
            raise PydanticCustomError("literal_error", "Input should be {expected}",
                                      {"expected": _listed(table)})
        return value

    return Annotated[str, AfterValidator(check),
                     Field(json_schema_extra=lambda schema: schema.update(enum=list(table)))]


Activation = one_of(ACTIVATIONS)
LossName = one_of(LOSSES)
Granularity = Literal[GRANULARITIES]
UpdateOrder = Literal[tuple(UPDATE_ORDERS)]
InitScheme = Literal[tuple(SCHEMES)]

# strict: a JSON true/false is refused where a number is expected.
Number = Annotated[float, Field(allow_inf_nan=False, strict=True)]
# A row of inputs, targets or a weight matrix: at most as long as the input layer may be.
Row = Annotated[list[Number], Field(min_length=1, max_length=limits.MAX_INPUTS)]
Matrix = Annotated[list[Row], Field(min_length=1, max_length=limits.MAX_NEURONS)]
Vector = Annotated[list[Number], Field(min_length=1, max_length=limits.MAX_NEURONS)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED, strict=True,
                            description="Seed for reproducible randomness.")]
LearningRate = Annotated[float, Field(gt=0, le=limits.MAX_LEARNING_RATE, allow_inf_nan=False,
                                      strict=True,
                                      description="SGD step size.")]


class StrictModel(BaseModel):
    """Unknown fields are refused and non-finite numbers are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class NetworkModel(StrictModel):
    """Layer sizes (input first: up to MAX_INPUTS; the others up to MAX_NEURONS, checked with the
    spec), an activation per computing layer, and the loss."""

    layer_sizes: Annotated[list[Annotated[int, Field(ge=1, le=limits.MAX_INPUTS, strict=True)]],
                           Field(min_length=2, max_length=limits.MAX_LAYERS + 1)]
    activations: Annotated[list[Activation], Field(min_length=1, max_length=limits.MAX_LAYERS)]
    loss: LossName

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
        "loss": "squared_error"}]})


class ParamsModel(StrictModel):
    """weights[l] is W^{l+1} with shape (n_out, n_in); biases[l] is b^{l+1}."""

    weights: Annotated[list[Matrix], Field(min_length=1, max_length=limits.MAX_LAYERS)]
    biases: Annotated[list[Vector], Field(min_length=1, max_length=limits.MAX_LAYERS)]


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
    """A node: its display name beside what it is (kind, layer, index; see the catalog's
    node_kinds), the operation that made it and its shape."""

    id: int
    name: str
    op: str
    role: str
    kind: str = Field(description="What the node is: one of the catalog's node_kinds.")
    layer: int | None = Field(description="Its layer (a time step in an unrolled RNN).")
    index: list[int] | None = Field(description="0-based entry of its layer's matrix or vector; "
                                                "null for the whole matrix or vector.")
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


ERROR_RESPONSES = {
    422: {"model": ErrorOut, "description": "A field is out of bounds or invalid, or a key is "
                                            "repeated in an object of the body."},
    413: {"model": ErrorOut, "description": "The request body is too large."},
    415: {"model": ErrorOut, "description": "The body is not sent as application/json."},
    503: {"model": ErrorOut, "description": "This worker is busy (heavy requests computing and "
                                            "queued, or too many connections): retry after "
                                            "Retry-After seconds."},
}
