"""Seeded parameter initialisation: Xavier or He per layer, by default the one its activation names.

The same (spec, seed, scheme) gives the same parameters bit for bit: one
`numpy.random.default_rng(seed)` draws every layer's weights in order, W^1 first. Biases start
at zero.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from engine.networks.activations import ACTIVATIONS
from engine.networks.spec import NetworkSpec, Params, SpecError

# Each scheme's name as people read it; "auto" takes each layer's activation's own default.
SCHEMES = {"auto": "auto", "xavier": "Xavier", "he": "He"}


def weight_std(scheme: str, activation: str, n_in: int, n_out: int) -> float:
    """Xavier (Glorot) normal: sqrt(2 / (n_in + n_out)); He normal: sqrt(2 / n_in)."""
    if scheme == "auto":
        scheme = ACTIVATIONS[activation].init
    if scheme == "he":
        return math.sqrt(2.0 / n_in)
    return math.sqrt(2.0 / (n_in + n_out))


def init_params(spec: NetworkSpec, seed: int = 0, scheme: str = "auto") -> Params:
    """Draw W^l ~ N(0, std^2) per layer with the scheme's std, and b^l = 0."""
    if scheme not in SCHEMES:
        raise SpecError("init", f"unknown scheme '{scheme}'; known: {', '.join(SCHEMES)}")
    weights = [w.copy() for w in _drawn_weights(spec, seed, scheme)]
    return Params(weights, [np.zeros(w.shape[0]) for w in weights])


@lru_cache(maxsize=256)
def _drawn_weights(spec: NetworkSpec, seed: int, scheme: str) -> tuple[np.ndarray, ...]:
    """The weights a seed gives, kept read-only per process: a class opening the same preset
    asks for the same draw, and seeding a generator is most of the cost of one."""
    rng = np.random.default_rng(seed)
    weights = []
    for l in range(1, spec.depth + 1):
        n_out, n_in = spec.weight_shape(l)
        std = weight_std(scheme, spec.activations[l - 1], n_in, n_out)
        w = rng.normal(0.0, std, size=(n_out, n_in))
        w.flags.writeable = False
        weights.append(w)
    return tuple(weights)
