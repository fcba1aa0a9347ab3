"""The interface every optimiser implements, and the registry the catalog, the API's checks and
the update stage read.

An optimiser is data: its name, its hyperparameters (PyTorch's names and defaults, with bounds),
the state it keeps per parameter, the quantities its step shows, and the step itself,

    step(value, grad, state, t, lr, hyper, record) -> (new value, new state, shown)

applied to one parameter array (every rule here is elementwise, so to one entry of it too):
`state` maps each buffer the optimiser keeps to its array, `t` is the step count after this step
(1 on the first), `shown` maps quantity names to arrays for the trace (`record` asks for the ones
that cost extra work). Adding an optimiser is one `register` call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from engine.limits import MAX_WEIGHT_DECAY
from engine.networks.spec import Params, SpecError


@dataclass(frozen=True)
class Hyperparameter:
    """One setting: a number, a flag (true or false) or a pair of numbers, with its default and
    the bounds every number must lie in (closed unless marked exclusive)."""

    name: str                   # PyTorch's: "momentum", "betas"
    label: str                  # as people read it: "momentum μ"
    default: float | bool | tuple[float, float]
    min: float = 0.0
    max: float = 1.0
    exclusive_min: bool = False
    exclusive_max: bool = False

    @property
    def kind(self) -> str:
        if isinstance(self.default, bool):
            return "flag"
        return "pair" if isinstance(self.default, tuple) else "number"

    @property
    def bounds(self) -> str:
        """The interval as written in maths: [0, 1), (0, 1]."""
        return (f"{'(' if self.exclusive_min else '['}{self.min:g}, {self.max:g}"
                f"{')' if self.exclusive_max else ']'}")

    def checked(self, value, field: str):
        """The value as the optimiser uses it, or a SpecError on `field` naming the bounds."""
        if self.kind == "flag":
            if not isinstance(value, bool):
                raise SpecError(field, f"must be true or false, got {value!r}")
            return value
        if self.kind == "pair":
            if not isinstance(value, (list, tuple)) or len(value) != 2:
                raise SpecError(field, f"must be a pair of numbers, each in {self.bounds}, "
                                f"e.g. {list(self.default)}")
            return tuple(self._number(v, f"{field}[{i}]") for i, v in enumerate(value))
        return self._number(value, field)

    def _number(self, value, field: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise SpecError(field, f"must be a number in {self.bounds}, got {value!r}")
        # Exact comparisons, for an integer of any size too; NaN fails both.
        above = value > self.min if self.exclusive_min else value >= self.min
        below = value < self.max if self.exclusive_max else value <= self.max
        if not (above and below):
            raise SpecError(field, f"must be in {self.bounds}, got {_shown(value)}")
        return float(value)


def _shown(value: int | float) -> str:
    """A number as a message writes it; an integer too large for a float, by its size."""
    if isinstance(value, int) and abs(value) > 1e300:
        return f"an integer of {len(str(abs(value)))} digits"
    return f"{value:g}"


@dataclass(frozen=True)
class Quantity:
    """A number per parameter entry that an optimiser keeps (state) or shows (the trace)."""

    name: str                   # PyTorch's state names: "exp_avg", "momentum_buffer"
    label: str
    symbol: str                 # for one entry, in LaTeX: "m", "\hat{m}"
    when: str | None = None     # the hyperparameter that must be non-zero (or true) for it
    nonnegative: bool = False   # a state that must not be negative (a mean of squares)

    def present(self, hyper: Mapping) -> bool:
        return self.when is None or bool(hyper[self.when])


# What every optimiser's update shows beside its own quantities, for each parameter entry.
SHOWN_BY_EVERY = (
    Quantity("grad", "gradient dC/dθ", "g"),
    Quantity("gradient_step", "plain gradient step −ηg", r"-\eta g"),
    Quantity("param_step", "step taken θ_t − θ_{t−1}", r"\Delta\theta"),
)


# Weight decay coupled to the gradient (SGD, RMSProp, Adam): one setting, one shown quantity.
WEIGHT_DECAY = Hyperparameter("weight_decay", "weight decay λ", 0.0, max=MAX_WEIGHT_DECAY)
GRAD_WITH_DECAY = Quantity("grad_with_decay", "gradient with weight decay g + λθ",
                           r"g + \lambda\theta", when="weight_decay")


@dataclass(frozen=True)
class Optimizer:
    """An update rule: θ_t from θ_{t−1}, the gradient g and the state it keeps."""

    name: str
    label: str
    hyperparameters: tuple[Hyperparameter, ...]
    state: tuple[Quantity, ...]     # kept from step to step
    shows: tuple[Quantity, ...]     # shown by a step beside the state
    step: Callable
    # A rule between settings: (field, message) when they break it, else None.
    rule: Callable[[Mapping], tuple[str, str] | None] = lambda hyper: None

    def settings(self, given: Mapping) -> Settings:
        """Every hyperparameter from `given` or its default, checked (errors on `optimizer.*`)."""
        known = {h.name: h for h in self.hyperparameters}
        for key in given:
            if key == "lr":
                raise SpecError("optimizer.lr", "the learning rate is the request's "
                                "`learning_rate` (PyTorch's lr), for every optimiser")
            if key not in known:
                raise SpecError(f"optimizer.{key}", f"{self.name} takes no `{key}`; it takes "
                                f"{', '.join(known) or 'nothing but the learning rate'}")
        hyper = {name: h.checked(given[name], f"optimizer.{name}") if name in given else h.default
                 for name, h in known.items()}
        problem = self.rule(hyper)
        if problem is not None:
            raise SpecError(*problem)
        return Settings(self, hyper)


@dataclass(frozen=True)
class Settings:
    """An optimiser with every hyperparameter set."""

    optimizer: Optimizer
    hyper: dict

    @cached_property
    def kept(self) -> tuple[Quantity, ...]:
        """The buffers this optimiser keeps with these settings."""
        return tuple(q for q in self.optimizer.state if q.present(self.hyper))

    def to_data(self) -> dict:
        return {"name": self.optimizer.name,
                **{k: list(v) if isinstance(v, tuple) else v for k, v in self.hyper.items()}}


OPTIMIZERS: dict[str, Optimizer] = {}


def register(optimizer: Optimizer) -> Optimizer:
    """Make an optimiser available to the update stage, training, the API and the pages."""
    OPTIMIZERS[optimizer.name] = optimizer
    return optimizer


def configure(name: str, given: Mapping | None = None) -> Settings:
    """The named optimiser with `given` hyperparameters and the defaults for the rest."""
    if name not in OPTIMIZERS:
        raise SpecError("optimizer.name", f"unknown optimiser '{name}'; known: "
                        f"{', '.join(OPTIMIZERS)}")
    return OPTIMIZERS[name].settings(given or {})


def lerp(start: np.ndarray, end: np.ndarray, weight: float) -> np.ndarray:
    """start + weight (end − start), from the nearer end as torch.lerp evaluates it."""
    if weight < 0.5:
        return start + weight * (end - start)
    return end - (end - start) * (1 - weight)


def zeros_like(params: Params) -> Params:
    return Params([np.zeros_like(w) for w in params.weights],
                  [np.zeros_like(b) for b in params.biases])
