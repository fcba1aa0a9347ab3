"""POST /api/v1/projections: many-feature data projected on its first two principal components."""

from __future__ import annotations

from fastapi import APIRouter

from app.body_route import JSONBodyRoute
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.projections import ProjectionRequest, ProjectionResponse
from engine.data.datasets import DatasetError
from engine.data.projection import principal_components
from engine.views.serialize import clean

router = APIRouter(prefix="/api/v1/projections", tags=["datasets"], route_class=JSONBodyRoute)


@router.post("", response_model=ProjectionResponse, responses=ERROR_RESPONSES,
             summary="Project rows of many features on their first two principal components")
def create_projection(request: ProjectionRequest) -> FastJSONResponse:
    """The rows centred and projected on the two directions of largest variance, with the share
    of the variance each keeps, so data of up to 64 features can be plotted in a plane."""
    widths = {len(row) for row in request.inputs}
    if len(widths) > 1:
        raise DatasetError("inputs", "every row needs the same number of features, got rows of "
                           f"{', '.join(str(w) for w in sorted(widths))}")
    projection = principal_components(request.inputs)
    return FastJSONResponse({"points": clean(projection.points),
                             "explained": clean(projection.explained),
                             "components": clean(projection.components),
                             "mean": clean(projection.mean)})
