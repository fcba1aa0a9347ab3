"""POST /api/v1/gradcheck: backprop's gradient against central finite differences."""

from __future__ import annotations

from fastapi import APIRouter

from app.admission import heavy
from app.body_route import JSONBodyRoute
from app.convert import params_from, spec_from
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.gradcheck import GradcheckRequest, GradcheckResponse
from engine.demos.gradcheck import gradient_check
from engine.networks.spec import check_data

router = APIRouter(prefix="/api/v1/gradcheck", tags=["gradcheck"], route_class=JSONBodyRoute)


@router.post("", response_model=GradcheckResponse, responses=ERROR_RESPONSES,
             summary="Compare backprop with central finite differences for every parameter")
@heavy
def create_gradcheck(request: GradcheckRequest) -> FastJSONResponse:
    """For each weight and bias: dC/dp by one backward pass beside (C(p + h) - C(p - h)) / 2h,
    and their relative error. Networks are limited to 2000 parameters (two forward passes
    each)."""
    spec = spec_from(request.network, request.l2)
    params = params_from(spec, request.params, request.seed, request.init)
    inputs, targets = check_data(spec, request.inputs, request.targets)
    check = gradient_check(spec, params, inputs, targets, request.step, request.granularity)
    return FastJSONResponse(check.to_dict())
