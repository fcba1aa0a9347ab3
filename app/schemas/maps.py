"""Models for POST /api/v1/maps: every hidden and output neuron's map over the input plane."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from app.schemas.common import InitScheme, NetworkModel, ParamsModel, Seed, StrictModel
from app.schemas.train import Samples
from engine.learning import maps
from engine.limits import MAX_MAP_SIZE, MAX_MAP_VALUES

Quantity = Literal[maps.QUANTITIES]
Numbers = list[float | None]


def _each_once(names: list[str]) -> list[str]:
    if len(set(names)) != len(names):
        raise ValueError("names a quantity more than once")
    return names


MAPS_EXAMPLE = {
    "network": {"layer_sizes": [2, 3, 1], "activations": ["tanh", "sigmoid"],
                "loss": "binary_cross_entropy"},
    "seed": 1,
    "inputs": [[-0.8, -0.7], [0.9, -0.6], [-0.7, 0.8], [0.6, 0.9]],
    "targets": [[1.0], [0.0], [0.0], [1.0]],
    "size": 8,
    "quantities": ["activation", "delta"],
}


class MapsRequest(StrictModel):
    """A network with 1 or 2 inputs, its parameters (or a seed to draw them), the data whose
    box the maps cover and whose labels the errors use, and the grid's size."""

    network: NetworkModel
    params: ParamsModel | None = Field(None, description="Omit to initialise from `seed`.")
    seed: Seed = 0
    init: InitScheme = "auto"
    inputs: Samples = Field(description="The data: the maps cover their box, widened by a "
                                        "tenth on each side (the decision boundary's grid).")
    targets: Samples = Field(description="A map point's label is its nearest data point's.")
    size: int = Field(maps.DEFAULT_SIZE, ge=maps.MIN_SIZE, le=MAX_MAP_SIZE, strict=True,
                      description="Points along each side of the grid (along the line for 1 "
                                  "input).")
    quantities: Annotated[list[Quantity], Field(min_length=1, max_length=len(maps.QUANTITIES)),
                          AfterValidator(_each_once)] = Field(
        ["activation", "delta"],
        description="activation a^l_j(x); delta δ^l_j(x) = ∂C_x/∂z^l_j for a sample at x alone, "
                    "labelled as its nearest data point; weight_gradient ‖∂C_x/∂W^l_{j,:}‖, the "
                    f"size of what it sends to the neuron's incoming weights. At most "
                    f"{MAX_MAP_VALUES} numbers in all (neurons x points x quantities).")

    model_config = {"json_schema_extra": {"examples": [MAPS_EXAMPLE]}}


class LayerRanges(BaseModel):
    """[lowest, highest] over the layer's maps of each quantity sent (null if none is finite)."""

    activation: Numbers | None = None
    delta: Numbers | None = None
    weight_gradient: Numbers | None = None


class LayerMaps(BaseModel):
    """One computing layer: per quantity sent, one row per neuron j of the map's values in the
    map's point order (a grid's point i * size + j is at (x[j], y[i]))."""

    layer: int
    activation: list[Numbers] | None = None
    delta: list[Numbers] | None = None
    weight_gradient: list[Numbers] | None = None
    ranges: LayerRanges


class MapsResponse(BaseModel):
    """The points (a grid over the plane or a line), the data point each takes its label from,
    and every computing layer's maps."""

    kind: Literal["grid", "line"]
    size: int
    x: Numbers
    y: Numbers | None = Field(description="For a grid; null for a line.")
    nearest: list[int] = Field(description="Per map point, the index of the data point whose "
                                           "label its errors use.")
    layers: list[LayerMaps]
