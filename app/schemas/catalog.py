"""Models for GET /api/v1/catalog: what the engine offers and the limits it keeps."""

from __future__ import annotations

from pydantic import BaseModel, Field

from app.schemas.datasets import DatasetOut


class Math(BaseModel):
    latex: str
    mathml: str


class ActivationOut(BaseModel):
    name: str
    label: str
    formula: Math = Field(description="f(z).")
    derivative: Math = Field(description="f'(z).")
    init: str = Field(description="The initialisation scheme `auto` picks for a layer of it.")
    output_only: bool = Field(description="It mixes the whole layer: only on the output layer.")
    fits: str = Field(description="Targets an output layer of it can reach: any, unit ([0, 1]) "
                                  "or classes.")


class LossOut(BaseModel):
    name: str
    label: str
    on_logits: bool = Field(description="Computed from z^L: dC/dz^L simplifies to (a - y)/N.")
    output_activation: str | None = Field(description="The output activation it needs, if any.")
    targets: str = Field(description="Targets it accepts: any, unit ([0, 1]) or classes.")


class Named(BaseModel):
    name: str
    label: str


class UpdateOrderOut(Named):
    note: str


class Hyperparameter(BaseModel):
    """A setting inside a request's `optimizer`, with PyTorch's name and default; each number
    (both of a pair) lies between min and max, each bound closed unless exclusive."""

    name: str
    label: str
    kind: str = Field(description="number, flag (true or false) or pair (two numbers).")
    default: float | bool | list[float]
    min: float
    max: float
    exclusive_min: bool
    exclusive_max: bool


class OptimizerQuantity(BaseModel):
    """A number per parameter entry an optimiser keeps or shows, by PyTorch's name."""

    name: str
    label: str
    symbol: str = Field(description="For one entry, in LaTeX: m, \\hat{m}.")
    when: str | None = Field(description="The hyperparameter that must be non-zero (or true) "
                                         "for it to be there; null: always.")


class OptimizerOut(Named):
    """An optimiser; the learning rate η is the request's `learning_rate` for every one."""

    hyperparameters: list[Hyperparameter]
    state: list[OptimizerQuantity] = Field(description="Kept from step to step: "
                                                       "optimizer_state's buffers.")
    shows: list[OptimizerQuantity] = Field(description="Shown by the update stage beside the "
                                                       "state, in its `quantities`.")


class StageKind(BaseModel):
    phase: str
    name: str = Field(description="Display name; {layer} stands for the stage's layer.")
    tag: str


class NodeKind(BaseModel):
    kind: str
    label: str
    symbol: str | None = Field(description="The letter for one entry, e.g. w.")
    whole: str | None = Field(description="The letter for the whole matrix or vector, e.g. W.")
    layered: bool = Field(description="Written with its layer as a superscript, e.g. w^2.")


class CatalogOut(BaseModel):
    """Every list a client builds its menus, checks and labels from."""

    activations: list[ActivationOut]
    losses: list[LossOut]
    init_schemes: list[Named]
    update_orders: list[UpdateOrderOut]
    optimizers: list[OptimizerOut]
    granularities: list[str]
    datasets: list[DatasetOut]
    stage_kinds: list[StageKind]
    node_kinds: list[NodeKind]
    limits: dict[str, float] = Field(description="Every size limit by name, e.g. max_neurons.")
