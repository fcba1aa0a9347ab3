"""GET /api/v1/presets: named starting points for lessons and demos."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from app.presets import PRESETS, PRESETS_BY_NAME
from app.responses import FastJSONResponse
from app.schemas.common import ErrorOut
from app.schemas.presets import Preset

router = APIRouter(prefix="/api/v1/presets", tags=["presets"])


@router.get("", response_model=list[Preset], summary="List the named starting points")
def list_presets() -> FastJSONResponse:
    """Every preset: a network, its parameters (or null and a seed), its data (explicit rows or
    a dataset reference) and the SGD settings that suit it."""
    return FastJSONResponse(PRESETS)


@router.get("/{name}", response_model=Preset, summary="One named starting point",
            responses={404: {"model": ErrorOut, "description": "No preset has this name."}})
def get_preset(name: str) -> FastJSONResponse:
    """The preset called `name`, e.g. `tiny-2-2-2`, `xor` or `spiral`."""
    preset = PRESETS_BY_NAME.get(name)
    if preset is None:
        raise HTTPException(status_code=404, detail=[{
            "loc": ["path", "name"], "type": "not_found",
            "msg": f"unknown preset '{name}'; known: {', '.join(PRESETS_BY_NAME)}"}])
    return FastJSONResponse(preset)
