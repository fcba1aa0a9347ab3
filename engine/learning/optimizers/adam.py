"""Adam and AdamW, as torch.optim.Adam and torch.optim.AdamW: running means of the gradient and
of its square, bias-corrected; weight decay coupled to the gradient (Adam) or decoupled from it
(AdamW); optional AMSGrad. The arithmetic keeps PyTorch's order (ε added after dividing √v by
√(1 − β₂ᵗ), the step size η / (1 − β₁ᵗ), m moved by lerp), so results differ from it by a unit
in the last place or so per step (its CPU kernels fuse multiply-adds)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

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


def step(p, g, state, t, lr, hyper, record, decoupled):
    """Decoupled: θ ← θ (1 − ηλ); coupled: g ← g + λθ. m ← β₁ m + (1 − β₁) g;
    v ← β₂ v + (1 − β₂) g² (AMSGrad: v_max ← max(v_max, v), used for v);
    θ ← θ − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ)."""
    beta1, beta2 = hyper["betas"]
    decay = hyper["weight_decay"]
    shown = {}
    if decay and decoupled:
        p = shown["decayed_param"] = p * (1 - lr * decay)
    elif decay:
        g = shown["grad_with_decay"] = g + decay * p
    exp_avg = lerp(state["exp_avg"], g, 1 - beta1)
    exp_avg_sq = state["exp_avg_sq"] * beta2 + (1 - beta2) * g * g
    kept = {"exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}
    if hyper["amsgrad"]:
        exp_avg_sq = kept["max_exp_avg_sq"] = np.maximum(state["max_exp_avg_sq"], exp_avg_sq)
    correction1, correction2 = 1 - beta1 ** t, 1 - beta2 ** t
    if record:
        shown["exp_avg_hat"] = exp_avg / correction1
        shown["exp_avg_sq_hat"] = exp_avg_sq / correction2
    denominator = np.sqrt(exp_avg_sq) / correction2 ** 0.5 + hyper["eps"]
    return p - (lr / correction1) * (exp_avg / denominator), kept, shown


def hyperparameters(weight_decay: float) -> tuple[Hyperparameter, ...]:
    """PyTorch's for both; only weight decay's default differs (0 for Adam, 0.01 for AdamW)."""
    return (Hyperparameter("betas", "β₁, β₂", (0.9, 0.999), exclusive_max=True),
            Hyperparameter("eps", "ε", 1e-8, exclusive_min=True),
            replace(WEIGHT_DECAY, default=weight_decay),
            Hyperparameter("amsgrad", "AMSGrad", False))


STATE = (Quantity("exp_avg", "first moment m", "m"),
         Quantity("exp_avg_sq", "second moment v", "v", nonnegative=True),
         Quantity("max_exp_avg_sq", "largest second moment v_max", r"v_{\max}", when="amsgrad",
                  nonnegative=True))
SHOWN = (Quantity("exp_avg_hat", "bias-corrected first moment m̂", r"\hat{m}"),
         Quantity("exp_avg_sq_hat", "bias-corrected second moment v̂", r"\hat{v}"))

ADAM = register(Optimizer(
    "adam", "Adam", hyperparameters(0.0), STATE, (GRAD_WITH_DECAY, *SHOWN),
    partial(step, decoupled=False)))
ADAMW = register(Optimizer(
    "adamw", "AdamW (decoupled weight decay)", hyperparameters(0.01), STATE,
    (Quantity("decayed_param", "decayed parameter θ (1 − ηλ)", r"\theta (1 - \eta\lambda)",
              when="weight_decay"), *SHOWN),
    partial(step, decoupled=True)))
