"""Logistic regression: the network with no hidden layer, and its gradient derived by hand.

With p_i = sigmoid(w . x_i + w0) and C = -(1/N) sum_i [y_i ln p_i + (1 - y_i) ln(1 - p_i)],
the chain rule collapses to dC/dw = (1/N) sum_i (p_i - y_i) x_i and
dC/dw0 = (1/N) sum_i (p_i - y_i).
This module computes those formulas directly, so they can stand beside the backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.autodiff.primitives import stable_sigmoid
from engine.networks.spec import NetworkSpec, Params


def logistic_spec(n_inputs: int) -> NetworkSpec:
    """n_inputs -> 1 with a sigmoid output and binary cross-entropy."""
    return NetworkSpec((n_inputs, 1), ("sigmoid",), "binary_cross_entropy")


@dataclass
class HandGradient:
    """The hand-derived gradient and the quantities it is made of."""

    probabilities: np.ndarray   # p_i, shape (N,)
    errors: np.ndarray          # p_i - y_i, shape (N,)
    grad_weights: np.ndarray    # (1/N) sum_i (p_i - y_i) x_i, shape (1, n) like W^1
    grad_bias: np.ndarray       # (1/N) sum_i (p_i - y_i), shape (1,) like b^1


def hand_gradient(params: Params, inputs: np.ndarray, targets: np.ndarray) -> HandGradient:
    """dC/dw = (1/N) sum (p - y) x and dC/dw0 = (1/N) sum (p - y), straight from the formula."""
    w, w0 = params.weights[0][0], params.biases[0][0]
    y = targets[:, 0]
    p = stable_sigmoid(inputs @ w + w0)
    errors = p - y
    n = inputs.shape[0]
    return HandGradient(p, errors, (errors @ inputs / n)[None, :], np.array([errors.sum() / n]))
