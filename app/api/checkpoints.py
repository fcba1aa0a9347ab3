"""POST /api/v1/checkpoints: a hand-calculated δ, gradient or updated weight checked against
the engine; when wrong, which factor of the chain rule differs."""

from __future__ import annotations

from fastapi import APIRouter

from app.admission import heavy
from app.api.iterations import is_large
from app.body_route import JSONBodyRoute
from app.convert import optimizer_from, params_from, spec_from
from app.responses import FastJSONResponse
from app.schemas.checkpoints import CheckpointRequest, CheckpointResponse
from app.schemas.common import ERROR_RESPONSES
from engine.demos.checkpoints import check
from engine.learning.iteration import run_iteration
from engine.networks.spec import check_data

router = APIRouter(prefix="/api/v1/checkpoints", tags=["checkpoints"], route_class=JSONBodyRoute)


@router.post("", response_model=CheckpointResponse, responses=ERROR_RESPONSES,
             summary="Check a hand-calculated number")
@heavy(when=is_large)
def check_number(request: CheckpointRequest) -> FastJSONResponse:
    """The iteration as /iterations computes it, the quantity named, and the verdict."""
    spec = spec_from(request.network, request.l2)
    params = params_from(spec, request.params, request.seed, request.init)
    optimizer, state = optimizer_from(spec, request)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    trace = run_iteration(spec, params, inputs, targets, request.learning_rate,
                          request.update_order, record=False, optimizer=optimizer,
                          optimizer_state=state)
    q = request.quantity
    return FastJSONResponse(check(trace, inputs, q.kind, q.layer, q.j, q.k, q.sample,
                                  request.answer))
