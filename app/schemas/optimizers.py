"""Models for the update a request asks for: the optimiser it names (checked against the engine's
registry when the request is checked), the state it carries, the L2 penalty, and their echoes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from app.schemas.common import ParamsModel, ParamsOut, StrictModel, one_of
from engine.learning.optimizers import OPTIMIZERS, SHOWN_BY_EVERY, Settings, configure
from engine.learning.optimizers.base import Hyperparameter
from engine.limits import MAX_OPTIMIZER_STEP, MAX_WEIGHT_DECAY

OptimizerName = one_of(OPTIMIZERS)
L2 = Annotated[float, Field(ge=0.0, le=MAX_WEIGHT_DECAY, allow_inf_nan=False, strict=True,
                            description="λ of an L2 penalty on the weights: the cost becomes "
                                        "C = C₀ + (λ/2) Σ_l ||W^l||², shown as its own term of "
                                        "the loss and of dC/dW^l. 0 (the default) adds none. "
                                        "Not the optimiser's weight_decay.")]


def _hyperparameter_schema(h: Hyperparameter) -> dict:
    number = {"type": "number", "description": h.label,
              "exclusiveMinimum" if h.exclusive_min else "minimum": h.min,
              "exclusiveMaximum" if h.exclusive_max else "maximum": h.max}
    if h.kind == "flag":
        return {"type": "boolean", "description": h.label, "default": h.default}
    if h.kind == "pair":
        return {"type": "array", "items": number, "minItems": 2, "maxItems": 2,
                "description": h.label, "default": list(h.default)}
    return {**number, "default": h.default}


def _document(schema: dict) -> None:
    """Each registered optimiser's hyperparameters, with their bounds and defaults."""
    schema["oneOf"] = [{"title": o.label, "type": "object", "required": ["name"],
                        "additionalProperties": False,
                        "properties": {"name": {"const": o.name},
                                       **{h.name: _hyperparameter_schema(h)
                                          for h in o.hyperparameters}}}
                       for o in OPTIMIZERS.values()]


class OptimizerModel(BaseModel):
    """An optimiser and any of its hyperparameters by PyTorch's names; the rest take PyTorch's
    defaults (the catalog's `optimizers` lists them with their bounds). The learning rate is
    the request's `learning_rate` (PyTorch's lr)."""

    name: OptimizerName
    model_config = ConfigDict(extra="allow", json_schema_extra=_document)

    def settings(self) -> Settings:
        """Every hyperparameter checked by the engine (a 422 on `optimizer.<name>` if not)."""
        return configure(self.name, self.model_extra)


class OptimizerStateModel(StrictModel):
    """What `optimizer_state_after` returned: the step count and each buffer the optimiser keeps
    (PyTorch's names: momentum_buffer, square_avg, grad_avg, exp_avg, exp_avg_sq,
    max_exp_avg_sq), shaped like `params`. Omit it to start the optimiser afresh."""

    step: int = Field(ge=0, le=MAX_OPTIMIZER_STEP, strict=True,
                      description="t, the steps taken so far.")
    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, ParamsModel] = Field(init=False)


class OptimizerRequest(StrictModel):
    """The fields a request that updates parameters has beside its learning rate."""

    optimizer: OptimizerModel | None = Field(
        None, description="Omit for plain SGD, p <- p - learning_rate * dC/dp, and a response "
                          "as before optimisers (no optimiser fields).")
    optimizer_state: OptimizerStateModel | None = Field(
        None, description="The optimiser's state from an earlier response; omit to reset.")
    l2: L2 = 0.0


class OptimizerOut(BaseModel):
    """The optimiser used, with every hyperparameter (defaults filled in)."""

    name: str
    model_config = ConfigDict(extra="allow")


class OptimizerStateOut(BaseModel):
    """The step count t and each buffer kept, shaped like the parameters: send it back as
    `optimizer_state` to carry on (null where a diverged run made a number non-finite)."""

    step: int
    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, ParamsOut] = Field(init=False)


def _quantity_names() -> str:
    every = {q.name: q for q in SHOWN_BY_EVERY}
    for optimizer in OPTIMIZERS.values():
        every.update((q.name, q) for q in (*optimizer.shows, *optimizer.state))
    return "; ".join(f"{name} ({q.label})" for name, q in every.items())


QUANTITIES = (f"Per parameter, shaped like `params`, each quantity the step kept or showed: "
              f"{_quantity_names()}. The catalog lists each optimiser's.")
