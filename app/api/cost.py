"""POST /api/v1/cost: why backprop is cheap, in passes and seconds per gradient."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from app.admission import heavy
from app.body_route import JSONBodyRoute
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.cost import MAX_PASSES, CostRequest, CostResponse
from app.settings import Settings, app_settings
from engine.demos.cost import MAX_COST_REPEATS, compare_costs, cost_spec, method_passes
from engine.networks.spec import SpecError

router = APIRouter(prefix="/api/v1/cost", tags=["cost"], route_class=JSONBodyRoute)


def timing_repeats(request: CostRequest, configured: int) -> int:
    """The configured repeats, lowered as far as 1 to keep within MAX_PASSES, or SpecError."""
    counts = [cost_spec(width, request.depth).parameter_count for width in set(request.widths)]
    per_repeat = sum(1 + sum(method_passes(count).values()) for count in counts)
    if per_repeat > MAX_PASSES:
        raise SpecError("widths", f"these widths at depth {request.depth} take {per_repeat} "
                        f"passes, more than the limit of {MAX_PASSES}: use fewer or smaller "
                        "widths, or less depth")
    return max(1, min(configured, MAX_COST_REPEATS, MAX_PASSES // per_repeat))


@router.post("", response_model=CostResponse, responses=ERROR_RESPONSES,
             summary="Compare the cost of one gradient: reverse mode, forward mode, differences")
@heavy
def create_cost(request: CostRequest,
                settings: Annotated[Settings, Depends(app_settings)]) -> FastJSONResponse:
    """For each width, one network's gradient by reverse mode (2 passes), forward mode (P + 1)
    and central finite differences (2P): passes, best wall time and time over one forward
    pass, and the largest difference between the three gradients.
    """
    repeats = timing_repeats(request, settings.cost_timing_repeats)
    rows = compare_costs(request.widths, request.depth, request.batch, request.seed, repeats)
    return FastJSONResponse({"rows": [row.to_dict() for row in rows], "depth": request.depth,
                             "batch": request.batch, "repeats": repeats})
