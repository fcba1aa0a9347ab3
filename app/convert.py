"""Request models to engine objects, with engine errors re-addressed to request fields."""

from __future__ import annotations

from functools import lru_cache

from app.schemas.common import NetworkModel, ParamsModel
from app.schemas.optimizers import OptimizerRequest
from engine.learning.optimizers import OptimizerState, Settings, state_from
from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec, Params, SpecError


def spec_from(network: NetworkModel, l2: float = 0.0) -> NetworkSpec:
    """The engine spec (with the request's L2 penalty), its errors re-addressed under
    `network.`."""
    try:
        return _spec(tuple(network.layer_sizes), tuple(network.activations), network.loss, l2)
    except SpecError as error:
        raise SpecError(f"network.{error.field}", error.message) from error


@lru_cache(maxsize=256)
def _spec(layer_sizes: tuple, activations: tuple, loss: str, l2: float) -> NetworkSpec:
    """Specs are frozen and checked once: a class sends the same few shapes again and again.
    (A spec that fails its checks raises, and lru_cache keeps no exceptions.)"""
    return NetworkSpec(layer_sizes, activations, loss, l2)


def optimizer_from(spec: NetworkSpec,
                   request: OptimizerRequest) -> tuple[Settings | None, OptimizerState | None]:
    """The named optimiser's settings and the state sent back, both checked; (None, None) for
    plain SGD, whose response is as it was before optimisers."""
    if request.optimizer is None:
        if request.optimizer_state is not None:
            raise SpecError("optimizer_state", "goes with the `optimizer` it came from; name it")
        return None, None
    settings = request.optimizer.settings()
    sent = request.optimizer_state
    if sent is None:
        return settings, None
    buffers = {name: (p.weights, p.biases) for name, p in sent.model_extra.items()}
    return settings, state_from(settings, spec, sent.step, buffers)


def params_from(spec: NetworkSpec, params: ParamsModel | None, seed: int,
                scheme: str = "auto") -> Params:
    """The given parameters checked against the spec, or fresh ones drawn from the seed."""
    if params is None:
        return init_params(spec, seed, scheme)
    return Params.from_lists(spec, params.weights, params.biases)
