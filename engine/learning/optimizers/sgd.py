"""Stochastic gradient descent, as torch.optim.SGD: momentum, dampening, Nesterov momentum and
weight decay coupled to the gradient."""

from __future__ import annotations

from engine.learning.optimizers.base import (
    GRAD_WITH_DECAY,
    WEIGHT_DECAY,
    Hyperparameter,
    Optimizer,
    Quantity,
    register,
)


def step(p, g, state, t, lr, hyper, record):
    """g ← g + λθ; b ← g at t = 1, else μ b + (1 − τ) g; θ ← θ − η (g + μ b) with Nesterov,
    else θ − η b (with μ = 0: θ − η g)."""
    shown, kept = {}, {}
    if hyper["weight_decay"]:
        g = shown["grad_with_decay"] = g + hyper["weight_decay"] * p
    momentum = hyper["momentum"]
    if momentum:
        buffer = g if t == 1 else state["momentum_buffer"] * momentum \
            + (1 - hyper["dampening"]) * g
        kept["momentum_buffer"] = buffer
        g = g + momentum * buffer if hyper["nesterov"] else buffer
    return p - lr * g, kept, shown


def nesterov_rule(hyper) -> tuple[str, str] | None:
    """PyTorch's rule: Nesterov momentum needs a momentum and no dampening."""
    if hyper["nesterov"] and (hyper["momentum"] <= 0 or hyper["dampening"] != 0):
        return ("optimizer.nesterov", "Nesterov momentum needs momentum > 0 and dampening 0, "
                f"got momentum {hyper['momentum']:g} and dampening {hyper['dampening']:g}")
    return None


SGD = register(Optimizer(
    "sgd", "gradient descent (SGD)",
    (Hyperparameter("momentum", "momentum μ", 0.0, exclusive_max=True),
     Hyperparameter("dampening", "dampening τ", 0.0),
     WEIGHT_DECAY,
     Hyperparameter("nesterov", "Nesterov momentum", False)),
    (Quantity("momentum_buffer", "velocity b (momentum buffer)", "b", when="momentum"),),
    (GRAD_WITH_DECAY,),
    step,
    nesterov_rule))
