"""Request models to engine objects, with engine errors re-addressed to request fields."""

from __future__ import annotations

from functools import lru_cache

from app.schemas.common import NetworkModel, ParamsModel
from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec, Params, SpecError


def spec_from(network: NetworkModel) -> NetworkSpec:
    """The engine spec, with its errors re-addressed under `network.`."""
    try:
        return _spec(tuple(network.layer_sizes), tuple(network.activations), network.loss)
    except SpecError as error:
        raise SpecError(f"network.{error.field}", error.message) from error


@lru_cache(maxsize=256)
def _spec(layer_sizes: tuple, activations: tuple, loss: str) -> NetworkSpec:
    """Specs are frozen and checked once: a class sends the same few shapes again and again.
    (A spec that fails its checks raises, and lru_cache keeps no exceptions.)"""
    return NetworkSpec(layer_sizes, activations, loss)


def params_from(spec: NetworkSpec, params: ParamsModel | None, seed: int,
                scheme: str = "auto") -> Params:
    """The given parameters checked against the spec, or fresh ones drawn from the seed."""
    if params is None:
        return init_params(spec, seed, scheme)
    return Params.from_lists(spec, params.weights, params.biases)
