"""What the exports write for a named optimiser: its torch.optim class, its hyperparameters as
Python literals, the branches of its rule these settings take, its step count, the state sent
(as literals, per parameter) and the quantities its step shows, each with a plain-text symbol."""

from __future__ import annotations

from dataclasses import dataclass

from app.exports.setting import Setting, literal
from engine.learning.optimizers import SHOWN_BY_EVERY, Settings
from engine.networks.spec import SpecError

# Each optimiser's torch.optim class and the template (in templates/numpy_optimizers/) that
# writes its step in NumPy.
TORCH_CLASSES = {"sgd": "SGD", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW"}
NUMPY_STEPS = {"sgd": "sgd", "rmsprop": "rmsprop", "adam": "adam", "adamw": "adam"}

# The quantities' symbols as the scripts print them: ASCII, so any console shows them.
SYMBOLS = {
    "grad": "g", "gradient_step": "-eta g", "param_step": "step taken",
    "grad_with_decay": "g + lambda p", "decayed_param": "p (1 - eta lambda)",
    "momentum_buffer": "b", "square_avg": "v", "grad_avg": "g_avg",
    "denominator": "sqrt(v) + eps", "exp_avg": "m", "exp_avg_sq": "v",
    "max_exp_avg_sq": "v_max", "exp_avg_hat": "m_hat", "exp_avg_sq_hat": "v_hat",
}


@dataclass(frozen=True)
class OptimizerCode:
    """A named optimiser as the templates write it."""

    settings: Settings
    steps_taken: int                    # the state's step: t - 1
    state: dict[str, dict[str, list[str]]] | None  # buffer -> weights/biases -> literals

    @property
    def name(self) -> str:
        return self.settings.optimizer.name

    @property
    def label(self) -> str:
        return self.settings.optimizer.label

    @property
    def torch_class(self) -> str:
        return TORCH_CLASSES[self.name]

    @property
    def numpy_step(self) -> str:
        return f"numpy_optimizers/{NUMPY_STEPS[self.name]}.py.j2"

    @property
    def values(self) -> dict:
        """Every hyperparameter by PyTorch's name, as the optimiser uses it."""
        return self.settings.hyper

    @property
    def literals(self) -> dict[str, str]:
        """Every hyperparameter by PyTorch's name, as a Python literal."""
        return {name: repr(value) for name, value in self.values.items()}

    @property
    def torch_arguments(self) -> str:
        """The keyword arguments of the torch.optim class after lr, e.g. `betas=(0.9, 0.999)`."""
        return ", ".join(f"{name}={value}" for name, value in self.literals.items())

    @property
    def start_text(self) -> str:
        """Where the step starts from, in words."""
        if self.state is None:
            return "from a fresh start"
        steps = "1 step" if self.steps_taken == 1 else f"{self.steps_taken} steps"
        return f"carrying on from the state sent after {steps}"

    @property
    def t(self) -> int:
        """The step count after this step (1 on the first)."""
        return self.steps_taken + 1

    @property
    def kept(self) -> list[str]:
        """The buffers these settings keep, by PyTorch's names."""
        return [q.name for q in self.settings.kept]

    @property
    def quantities(self) -> list[tuple[str, str]]:
        """Each quantity the update stage shows with these settings, with its symbol."""
        shown = self.settings.optimizer.shows
        names = [*(q.name for q in SHOWN_BY_EVERY),
                 *(q.name for q in shown if q.present(self.values)), *self.kept]
        return [(name, SYMBOLS[name]) for name in names]

    def start(self, buffer: str) -> str:
        """Where a buffer starts this step: "sent" (the state sent), "zeros" (a fresh start) or
        "gradient" (SGD's momentum buffer on its first step, whatever it held before)."""
        if self.name == "sgd" and self.t == 1:
            return "gradient"
        return "zeros" if self.state is None else "sent"

    @property
    def loads_state(self) -> bool:
        """Whether the step reads a state sent (PyTorch's optimiser then needs it loaded)."""
        return any(self.start(name) == "sent" for name in self.kept)


def optimizer_code(setting: Setting) -> OptimizerCode | None:
    """The request's optimiser and the state it sent (None: a fresh start), or None for plain
    SGD; a 422 on optimizer.name for an optimiser the exports cannot write yet."""
    settings, state = setting.optimizer, setting.optimizer_state
    if settings is None:
        return None
    if settings.optimizer.name not in TORCH_CLASSES:
        raise SpecError("optimizer.name", f"the optimiser {settings.optimizer.name!r} has no "
                                          "export yet")
    if state is None:
        return OptimizerCode(settings, 0, None)
    return OptimizerCode(settings, state.step, {
        name: {"weights": [literal(w) for w in p.weights],
               "biases": [literal(b) for b in p.biases]}
        for name, p in state.buffers.items()})
