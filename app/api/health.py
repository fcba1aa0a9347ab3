"""GET /healthz: liveness."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/healthz", response_model=Health, summary="Liveness check")
def healthz() -> Health:
    """Answers as long as the process serves requests."""
    return Health(status="ok")
