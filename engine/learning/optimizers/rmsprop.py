"""RMSProp, as torch.optim.RMSprop: a running mean of squared gradients scales each step, with
optional momentum, centering and weight decay coupled to the gradient."""

from __future__ import annotations

import numpy as np

from engine.learning.optimizers.base import (
    GRAD_WITH_DECAY,
    WEIGHT_DECAY,
    Hyperparameter,
    Optimizer,
    Quantity,
    lerp,
    register,
)


def step(p, g, state, t, lr, hyper, record):
    """g ← g + λθ; v ← α v + (1 − α) g²; centered: ḡ ← α ḡ + (1 − α) g and ṽ = v − ḡ², else
    ṽ = v; with momentum b ← μ b + g / (√ṽ + ε) and θ ← θ − η b, else θ ← θ − η g / (√ṽ + ε)."""
    shown = {}
    if hyper["weight_decay"]:
        g = shown["grad_with_decay"] = g + hyper["weight_decay"] * p
    alpha = hyper["alpha"]
    square_avg = state["square_avg"] * alpha + (1 - alpha) * g * g
    kept = {"square_avg": square_avg}
    if hyper["centered"]:
        grad_avg = kept["grad_avg"] = lerp(state["grad_avg"], g, 1 - alpha)
        denominator = np.sqrt(square_avg - grad_avg * grad_avg) + hyper["eps"]
    else:
        denominator = np.sqrt(square_avg) + hyper["eps"]
    shown["denominator"] = denominator
    if hyper["momentum"]:
        buffer = kept["momentum_buffer"] = (state["momentum_buffer"] * hyper["momentum"]
                                            + g / denominator)
        return p - lr * buffer, kept, shown
    return p - lr * (g / denominator), kept, shown


RMSPROP = register(Optimizer(
    "rmsprop", "RMSProp",
    (Hyperparameter("alpha", "smoothing α", 0.99, exclusive_max=True),
     Hyperparameter("eps", "ε", 1e-8, exclusive_min=True),
     Hyperparameter("momentum", "momentum μ", 0.0, exclusive_max=True),
     WEIGHT_DECAY,
     Hyperparameter("centered", "centered", False)),
    (Quantity("square_avg", "mean of squared gradients v", "v", nonnegative=True),
     Quantity("grad_avg", "mean gradient ḡ", r"\bar{g}", when="centered"),
     Quantity("momentum_buffer", "velocity b (momentum buffer)", "b", when="momentum")),
    (GRAD_WITH_DECAY,
     Quantity("denominator", "denominator √ṽ + ε", r"\sqrt{\tilde{v}} + \epsilon")),
    step))
