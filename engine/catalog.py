"""The catalog: the one list of what the engine offers and the limits it keeps.

Activations, losses, initialisation schemes, update orders, optimisers, datasets, the kinds of
stages and nodes a trace holds, and every limit, each read from the module that defines it. The
API serves this (GET /api/v1/catalog), its request models take their allowed values from the
same tables, and the browser builds its menus, checks and labels from it, keeping no copy.
"""

from __future__ import annotations

from engine import limits
from engine.autodiff.kinds import NODE_KINDS
from engine.data.datasets import DATASETS, DEFAULT_NOISE, DEFAULT_SEED
from engine.learning.iteration import STAGE_KINDS, UPDATE_ORDERS
from engine.learning.optimizers import OPTIMIZERS, SHOWN_BY_EVERY
from engine.learning.optimizers.base import Hyperparameter, Quantity
from engine.networks.activations import ACTIVATIONS
from engine.networks.init import SCHEMES
from engine.networks.losses import LOSSES
from engine.networks.network import GRANULARITIES


def activations() -> list[dict]:
    return [{"name": a.name, "label": a.label, "formula": a.formula, "derivative": a.derivative,
             "init": a.init, "output_only": a.output_only, "fits": a.fits}
            for a in ACTIVATIONS.values()]


def losses() -> list[dict]:
    return [{"name": loss.name, "label": loss.label, "on_logits": loss.on_logits,
             "output_activation": loss.output_activation, "targets": loss.targets}
            for loss in LOSSES.values()]


def _hyperparameter(h: Hyperparameter) -> dict:
    return {"name": h.name, "label": h.label, "kind": h.kind,
            "default": list(h.default) if h.kind == "pair" else h.default,
            "min": h.min, "max": h.max, "exclusive_min": h.exclusive_min,
            "exclusive_max": h.exclusive_max}


def _quantity(q: Quantity) -> dict:
    return {"name": q.name, "label": q.label, "symbol": q.symbol, "when": q.when}


def optimizers() -> list[dict]:
    """Every optimiser with its hyperparameters (inside a request's `optimizer`; the learning
    rate is the request's `learning_rate`), the state it keeps and what its update shows."""
    return [{"name": o.name, "label": o.label,
             "hyperparameters": [_hyperparameter(h) for h in o.hyperparameters],
             "state": [_quantity(q) for q in o.state],
             "shows": [_quantity(q) for q in (*SHOWN_BY_EVERY, *o.shows)]}
            for o in OPTIMIZERS.values()]


def _dataset_parameters(info) -> dict:
    """What a request for this dataset may set: samples (bounded by the rows real data have),
    noise (where it applies) and the seed, each with its default and limits."""
    parameters = {
        "samples": {"default": info.default_samples, "min": limits.MIN_SAMPLES,
                    "max": info.max_samples},
        "noise": {"default": DEFAULT_NOISE, "min": 0.0, "max": limits.MAX_NOISE},
        "seed": {"default": DEFAULT_SEED, "min": 0, "max": limits.MAX_SEED},
    }
    if not info.noisy:
        parameters["noise"] = None
    return parameters


def datasets() -> list[dict]:
    """Every dataset, sorted by name, with the limits and defaults of its parameters; an image
    dataset gives its inputs' [height, width] and every real one its source."""
    return [{"name": info.name, "description": info.description, "kind": info.kind,
             "input_dim": info.input_dim, "output_dim": info.output_dim,
             "parameters": _dataset_parameters(info),
             "image": list(info.image) if info.image else None, "source": info.source}
            for info in sorted(DATASETS.values(), key=lambda info: info.name)]


def catalog() -> dict:
    """Everything above as one JSON-ready dict."""
    return {
        "activations": activations(),
        "losses": losses(),
        "init_schemes": [{"name": name, "label": label} for name, label in SCHEMES.items()],
        "update_orders": [{"name": o.name, "label": o.label, "note": o.note}
                          for o in UPDATE_ORDERS.values()],
        "optimizers": optimizers(),
        "granularities": list(GRANULARITIES),
        "datasets": datasets(),
        "stage_kinds": [{"phase": phase, "name": name, "tag": tag}
                        for phase, (name, tag) in STAGE_KINDS.items()],
        "node_kinds": [{"kind": k.kind, "label": k.label, "symbol": k.symbol, "whole": k.whole,
                        "layered": k.layered} for k in NODE_KINDS.values()],
        "limits": limits.as_dict(),
    }
