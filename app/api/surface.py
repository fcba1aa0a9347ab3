"""POST /api/v1/loss-surface: the cost over a grid of two parameters, the others held."""

from __future__ import annotations

import numpy as np
from fastapi import APIRouter

from app.body_route import JSONBodyRoute
from app.convert import params_from, spec_from
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.surface import SurfaceRequest, SurfaceResponse
from engine.demos.surface import Axis, Surface, loss_surface
from engine.limits import MAX_SURFACE_WORK
from engine.networks.spec import check_data
from engine.views.serialize import clean

router = APIRouter(prefix="/api/v1/loss-surface", tags=["loss-surface"],
                   route_class=JSONBodyRoute)


def _lowest(surface: Surface) -> dict | None:
    finite = np.isfinite(surface.cost)
    if not finite.any():
        return None
    i, j = np.unravel_index(np.argmin(np.where(finite, surface.cost, np.inf)), surface.cost.shape)
    return {"x": float(surface.x[j]), "y": float(surface.y[i]), "cost": float(surface.cost[i, j])}


def surface_body(surface: Surface, l2: float) -> dict:
    axes = [{"layer": axis.layer, "kind": axis.kind, "index": list(axis.index),
             "name": axis.name, "value": value, "low": axis.low, "high": axis.high}
            for axis, value in zip(surface.axes, surface.at, strict=True)]
    return {"axes": axes, "x": clean(surface.x), "y": clean(surface.y),
            "cost": clean(surface.cost), "cost_at_params": clean(surface.cost_at),
            "lowest": _lowest(surface), "non_finite": int((~np.isfinite(surface.cost)).sum()),
            "l2": l2, "work": {"units": surface.work, "limit": MAX_SURFACE_WORK}}


@router.post("", response_model=SurfaceResponse, responses=ERROR_RESPONSES,
             summary="The cost over a grid of two parameters' values, the others held")
def create_surface(request: SurfaceRequest) -> FastJSONResponse:
    """C at every point of a resolution x resolution grid spanned by two parameters (a weight or
    a bias each), every other parameter at its value in `params`: one forward pass per point,
    over all the rows given, with the L2 penalty if `l2` is set. A parameter that is not the
    network's, the same parameter twice, low >= high, or a grid over the work limit is a 422
    naming the field."""
    spec = spec_from(request.network, request.l2)
    params = params_from(spec, request.params, request.seed, request.init)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    axes = tuple(Axis(a.layer, a.kind, tuple(a.index), a.low, a.high) for a in request.axes)
    surface = loss_surface(spec, params, inputs, targets, axes, request.resolution)
    return FastJSONResponse(surface_body(surface, spec.l2))
