"""Small test problems: a spec, parameters with non-zero biases, and data the loss accepts."""

from __future__ import annotations

import numpy as np

from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec


def make_problem(sizes, activations, loss, seed=0, batch=6):
    """A spec, seeded parameters with non-zero biases, and a batch of matching data."""
    spec = NetworkSpec(sizes, activations, loss)
    rng = np.random.default_rng(seed)
    params = init_params(spec, seed)
    params.biases = [rng.normal(0.0, 0.3, b.shape) for b in params.biases]
    x = rng.normal(size=(batch, sizes[0]))
    if loss == "cross_entropy":
        y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], batch)]
    elif loss == "binary_cross_entropy":
        y = rng.integers(0, 2, (batch, sizes[-1])).astype(np.float64)
    else:
        y = rng.normal(size=(batch, sizes[-1]))
    return spec, params, x, y
