"""POST /api/v1/networks: check a spec, initialise or check its parameters, show its graph."""

from __future__ import annotations

from fastapi import APIRouter

from app.body_route import JSONBodyRoute
from app.convert import params_from, spec_from
from app.graph_views import graph_view
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.networks import NetworkRequest, NetworkResponse
from engine.networks.spec import NetworkSpec, Params

router = APIRouter(prefix="/api/v1/networks", tags=["networks"], route_class=JSONBodyRoute)


def describe(spec: NetworkSpec, params: Params, granularity: str) -> dict:
    """The spec, its parameters, counts, per-layer shapes and its graph on one row."""
    return {
        "network": {"layer_sizes": list(spec.layer_sizes), "activations": list(spec.activations),
                    "loss": spec.loss},
        "params": params.to_dict(),
        "parameter_count": spec.parameter_count,
        "weight_count": spec.weight_count,
        "depth": spec.depth,
        "layers": [{"layer": l, "n_in": spec.layer_sizes[l - 1], "n_out": spec.layer_sizes[l],
                    "activation": spec.activations[l - 1],
                    "weight_shape": list(spec.weight_shape(l))}
                   for l in range(1, spec.depth + 1)],
        "granularity": granularity,
        "graph": graph_view(spec, granularity, 1),
    }


@router.post("", response_model=NetworkResponse, responses=ERROR_RESPONSES,
             summary="Check a network and return its parameters and graph")
def create_network(request: NetworkRequest) -> FastJSONResponse:
    """Validate the spec, draw the parameters from the seed (or check the given ones against the
    spec's shapes) and build the computational graph at the requested granularity."""
    spec = spec_from(request.network)
    params = params_from(spec, request.params, request.seed, request.init)
    return FastJSONResponse(describe(spec, params, request.granularity))
