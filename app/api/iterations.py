"""POST /api/v1/iterations: one training iteration, stage by stage."""

from __future__ import annotations

from fastapi import APIRouter

from app.convert import params_from, spec_from
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.iterations import IterationRequest, IterationResponse
from engine.iteration import run_iteration
from engine.spec import check_data

router = APIRouter(prefix="/api/v1/iterations", tags=["iterations"])


@router.post("", response_model=IterationResponse, responses=ERROR_RESPONSES,
             summary="Run one training iteration and return every stage")
def create_iteration(request: IterationRequest) -> FastJSONResponse:
    """Forward per layer, the loss, backward per layer from the last, then the update."""
    spec = spec_from(request.network)
    params = params_from(spec, request.params, request.seed, request.init)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    trace = run_iteration(spec, params, inputs, targets, request.learning_rate,
                          request.update_order, request.granularity)
    return FastJSONResponse(trace.to_dict(include_events=request.include_events))
