"""Models for GET /api/v1/presets: named starting points (network, parameters, data, settings)."""

from __future__ import annotations

from pydantic import Field

from app.schemas.common import NetworkModel, ParamsModel, Seed, StrictModel
from app.schemas.train import DatasetRef, Samples


class ExplicitData(StrictModel):
    """Data given row by row."""

    inputs: Samples
    targets: Samples


class DatasetData(StrictModel):
    """Data drawn by engine.data.datasets: same reference, same numbers."""

    dataset: DatasetRef


class Preset(StrictModel):
    """A starting point. `params` null means: initialise from `seed`. `data` has exactly the
    fields of a POST /api/v1/train request, so network, params, seed, data and the settings
    together make a valid training request."""

    name: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str
    description: str
    network: NetworkModel
    params: ParamsModel | None
    seed: Seed
    data: ExplicitData | DatasetData
    learning_rate: float = Field(gt=0)
    batch_size: int | None = Field(description="Rows per mini-batch; null for the full batch.")
    iterations: int = Field(ge=1, description="A training length that shows the idea.")
    view: str | None = Field(None, description="The diagram view that shows it best, as the "
                                               "playground's view= writes it (image: the input "
                                               "as a picture); absent for the neuron view.")

    model_config = {"json_schema_extra": {"examples": [{
        "name": "xor", "title": "XOR needs a hidden layer",
        "description": "Class 1 where both coordinates share a sign.",
        "network": {"layer_sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"],
                    "loss": "binary_cross_entropy"},
        "params": None, "seed": 1,
        "data": {"dataset": {"name": "xor", "samples": 200, "noise": 0.05, "seed": 0}},
        "learning_rate": 0.5, "batch_size": 32, "iterations": 2000}]}}
