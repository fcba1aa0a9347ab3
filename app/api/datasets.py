"""GET /api/v1/datasets: the datasets; POST /api/v1/datasets/{name}: draw one of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path

from app.body_route import JSONBodyRoute
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES, ErrorOut
from app.schemas.datasets import (
    KNOWN_NAMES,
    DatasetOut,
    DatasetRequest,
    DatasetSample,
)
from engine.catalog import datasets
from engine.data.datasets import DATASETS, generate

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"], route_class=JSONBodyRoute)

NOT_FOUND = {404: {"model": ErrorOut, "description": "No dataset has this name."}}
DatasetName = Annotated[str, Path(description=f"One of: {KNOWN_NAMES}.", examples=["xor"])]


@router.get("", response_model=list[DatasetOut], summary="List the toy datasets")
def list_datasets() -> FastJSONResponse:
    """Each dataset's name, description, kind, sizes, and the limits of its parameters."""
    return FastJSONResponse(datasets())


@router.post("/{name}", response_model=DatasetSample, responses={**ERROR_RESPONSES, **NOT_FOUND},
             summary="Draw a seeded sample of a toy dataset")
def create_dataset(name: DatasetName, request: DatasetRequest) -> FastJSONResponse:
    """`samples` rows of the named dataset; the same seed always gives the same rows."""
    if name not in DATASETS:
        raise HTTPException(404, detail=[{
            "loc": ["path", "name"], "type": "not_found",
            "msg": f"unknown dataset {name!r}; known: {KNOWN_NAMES}"}])
    data = generate(name, request.samples, request.noise, request.seed)
    image = DATASETS[name].image
    return FastJSONResponse({"name": data.name, "inputs": data.inputs.tolist(),
                             "targets": data.targets.tolist(),
                             "image": list(image) if image else None})
