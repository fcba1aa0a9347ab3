"""The teacher's polls in a live session: ask a question at the current stage, close it, reveal
the engine's answer beside the class's, read the results. Each needs the teacher's token;
students answer over the session's WebSocket."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path

from app.body_route import JSONBodyRoute
from app.live.setup import LiveServices, live_services
from app.schemas.live import LIVE_ERRORS, PollCreate, PollOut, ResultsOut

router = APIRouter(prefix="/api/v1/sessions/{code}/polls", tags=["live sessions"],
                   route_class=JSONBodyRoute)
Services = Annotated[LiveServices, Depends(live_services)]
Authorization = Annotated[str | None, Header(description="Bearer <teacher_token>")]
Number = Annotated[int, Path(ge=1, le=100_000, description="The poll's number, from 1.")]


@router.post("", status_code=201, response_model=PollOut, responses=LIVE_ERRORS,
             summary="Ask the class a question")
async def open_poll(code: str, body: PollCreate, services: Services,
                    authorization: Authorization = None) -> PollOut:
    """Opens it on every student's screen (closing the one before)."""
    found = await services.live.authorize(code, authorization)
    return PollOut(**await services.live.open_poll(found, body))


@router.get("", response_model=list[PollOut], responses=LIVE_ERRORS,
            summary="Every question asked in the session")
async def list_polls(code: str, services: Services,
                     authorization: Authorization = None) -> list[PollOut]:
    """In the order they were asked, each with its status."""
    found = await services.live.authorize(code, authorization)
    return [PollOut(**poll) for poll in await services.live.polls(found["code"])]


@router.post("/{poll}/close", response_model=PollOut, responses=LIVE_ERRORS,
             summary="Stop taking answers")
async def close_poll(code: str, poll: Number, services: Services,
                     authorization: Authorization = None) -> PollOut:
    """Students see it closed; answers after this are refused."""
    found = await services.live.authorize(code, authorization)
    return PollOut(**await services.live.close_poll(found["code"], poll))


@router.post("/{poll}/reveal", response_model=ResultsOut, responses=LIVE_ERRORS,
             summary="Show every screen the answer beside the class's")
async def reveal_poll(code: str, poll: Number, services: Services,
                      authorization: Authorization = None) -> ResultsOut:
    """Closes the poll if it is open."""
    found = await services.live.authorize(code, authorization)
    return ResultsOut(**await services.live.reveal(found["code"], poll))


@router.get("/{poll}/results", response_model=ResultsOut, responses=LIVE_ERRORS,
            summary="How the class answered so far")
async def poll_results(code: str, poll: Number, services: Services,
                       authorization: Authorization = None) -> ResultsOut:
    """Counts per option or the numbers given, and how many are right."""
    found = await services.live.authorize(code, authorization)
    return ResultsOut(**await services.live.results(found["code"], poll))
