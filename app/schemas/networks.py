"""Models for POST /api/v1/networks: a checked spec, its parameters and its graph."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.schemas.common import (
    Granularity,
    GraphOut,
    InitScheme,
    NetworkModel,
    ParamsModel,
    ParamsOut,
    Seed,
    StrictModel,
)

NETWORK_EXAMPLE = {
    "network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                "loss": "squared_error"},
    "seed": 0,
    "init": "auto",
    "granularity": "scalar",
}


class NetworkRequest(StrictModel):
    """A network spec, with its parameters or a seed to draw them, and the graph's granularity."""

    network: NetworkModel
    params: ParamsModel | None = Field(
        None, description="Checked against the spec's shapes; omit to initialise from `seed`.")
    seed: Seed = 0
    init: InitScheme = Field("auto", description="Xavier for sigmoid/tanh/linear/softmax layers "
                                                 "and He for relu layers under `auto`.")
    granularity: Granularity = Field(
        "layer", description="`layer`: a node per matrix; `scalar`: a node per weight and neuron "
                             "(networks with at most 200 weights).")

    model_config = {"json_schema_extra": {"examples": [NETWORK_EXAMPLE]}}


class NetworkOut(BaseModel):
    layer_sizes: list[int]
    activations: list[str]
    loss: str


class LayerOut(BaseModel):
    """One computing layer: W^l has shape (n_out, n_in)."""

    layer: int
    n_in: int
    n_out: int
    activation: str
    weight_shape: list[int]


class NetworkResponse(BaseModel):
    """The spec as checked, the parameters, the counts and the graph at the granularity asked."""

    network: NetworkOut
    params: ParamsOut
    parameter_count: int = Field(description="Weights plus biases.")
    weight_count: int
    depth: int = Field(description="L, the number of computing layers.")
    layers: list[LayerOut]
    granularity: Granularity
    graph: GraphOut = Field(description="Built on one all-zero input row.")
