"""GET /healthz: liveness; GET /readyz: readiness for more heavy work."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.responses import FastJSONResponse
from app.schemas.common import ErrorOut

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str


class HeavyState(BaseModel):
    running: int
    waiting: int
    slots: int
    queue: int


class Readiness(BaseModel):
    status: str
    heavy: HeavyState


@router.get("/healthz", response_model=Health, summary="Liveness check")
def healthz() -> Health:
    """Answers as long as the process serves requests."""
    return Health(status="ok")


@router.get("/readyz", response_model=Readiness, summary="Readiness check",
            responses={503: {"model": ErrorOut, "description": "Every heavy slot is busy and "
                                                              "the queue is full."}})
async def readyz(request: Request) -> FastJSONResponse:
    """Ready while the worker that answers would take another heavy request (computing it or
    queueing it); 503 with Retry-After when it would refuse one, so a load balancer can send
    work elsewhere. Answered on the event loop, never behind busy threads."""
    admission = request.app.state.admission
    admission.check()
    return FastJSONResponse({"status": "ready", "heavy": admission.state()})
