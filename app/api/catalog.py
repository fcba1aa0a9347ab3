"""GET /api/v1/catalog: the engine's catalog, with its formulas as MathML and the API's own
training budget among the limits."""

from __future__ import annotations

from fastapi import APIRouter

from app.formulas import math
from app.responses import FastJSONResponse
from app.schemas.catalog import CatalogOut
from app.workload import WORK_BUDGET
from engine.catalog import catalog

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"])


def with_mathml(entry: dict, *keys: str) -> dict:
    """The entry with each LaTeX field as {latex, mathml}."""
    return {**entry, **{key: {"latex": entry[key], "mathml": math(entry[key])} for key in keys}}


def served_catalog() -> dict:
    """The catalog as this API serves it."""
    found = catalog()
    found["activations"] = [with_mathml(a, "formula", "derivative") for a in found["activations"]]
    found["limits"]["train_work_budget"] = WORK_BUDGET
    return found


@router.get("", response_model=CatalogOut, summary="What the engine offers, and its limits")
def get_catalog() -> FastJSONResponse:
    """Activations (with f and f' as MathML), losses, initialisation schemes, update orders,
    optimisers, datasets, the kinds of stages and nodes in a trace, and every limit."""
    return FastJSONResponse(served_catalog())
