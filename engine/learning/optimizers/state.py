"""What an optimiser carries from one step to the next: the step count t and, for each buffer
it keeps, an array shaped like every weight matrix and bias vector (Params)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.learning.optimizers.base import Settings, zeros_like
from engine.networks.spec import NetworkSpec, Params, SpecError


@dataclass
class OptimizerState:
    """t, the steps taken so far, and each buffer by its PyTorch name (e.g. exp_avg)."""

    step: int
    buffers: dict[str, Params]

    def to_data(self) -> dict:
        return {"step": self.step, **{name: p.to_data() for name, p in self.buffers.items()}}

    def to_dict(self) -> dict:
        return {"step": self.step, **{name: p.to_dict() for name, p in self.buffers.items()}}


def initial_state(settings: Settings, params: Params) -> OptimizerState:
    """No step taken, every buffer zero (PyTorch's start: SGD's momentum buffer is set to the
    first gradient at t = 1 whatever it holds)."""
    return OptimizerState(0, {q.name: zeros_like(params) for q in settings.kept})


def state_from(settings: Settings, spec: NetworkSpec, step: int,
               buffers: Mapping[str, tuple[list, list]]) -> OptimizerState:
    """A state sent back by a client: every buffer the settings keep, none other, each shaped
    like the parameters, finite, and not negative where it is a mean of squares."""
    kept = {q.name: q for q in settings.kept}
    name = settings.optimizer.name
    for key in buffers:
        if key not in kept:
            raise SpecError(f"optimizer_state.{key}", f"{name} with these settings keeps no "
                            f"`{key}`; it keeps {_listed(kept)}")
    for key in kept:
        if key not in buffers:
            raise SpecError(f"optimizer_state.{key}", f"missing: {name} with these settings "
                            f"keeps {_listed(kept)}; omit optimizer_state to start afresh")
    out = {}
    for key, (weights, biases) in buffers.items():
        field = f"optimizer_state.{key}"
        out[key] = Params.from_lists(spec, weights, biases, field)
        if kept[key].nonnegative:
            for part, arrays in (("weights", out[key].weights), ("biases", out[key].biases)):
                for l, array in enumerate(arrays):
                    if (array < 0).any():
                        raise SpecError(f"{field}.{part}[{l}]", f"{key} is a mean of squares: "
                                        "it cannot be negative")
    return OptimizerState(step, out)


def _listed(kept) -> str:
    return ", ".join(f"`{k}`" for k in kept) if kept else "no buffer, only `step`"
