"""Live sessions: POST /api/v1/sessions starts one, GET shows it, PUT .../state (the teacher's
token) sends every student's screen the teacher's state, WebSocket .../live follows it
(app/live/socket.py lists its messages), .../qr.svg is the join screen's QR code and
.../results.csv the questions and answers after class."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request, Response, WebSocket

from app.body_route import JSONBodyRoute
from app.live.codes import normal_code
from app.live.qr import qr_svg
from app.live.report import session_csv
from app.live.setup import LiveServices, live_services
from app.live.socket import LiveSocket
from app.schemas.live import (
    LIVE_ERRORS,
    SeqOut,
    SessionCreate,
    SessionCreated,
    SessionView,
    StatePut,
)
from app.settings import Settings, app_settings

router = APIRouter(prefix="/api/v1/sessions", tags=["live sessions"], route_class=JSONBodyRoute)
Services = Annotated[LiveServices, Depends(live_services)]
Authorization = Annotated[str | None, Header(description="Bearer <teacher_token>")]


def join_url(request: Request, settings: Settings, code: str) -> str:
    """Where students join: the public address if one is set, else the one this request came
    to (behind a proxy, its Host and X-Forwarded-Proto)."""
    base = settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
    return f"{base}/join/{code}"


@router.post("", status_code=201, response_model=SessionCreated, responses=LIVE_ERRORS,
             summary="Start a live session")
async def create_session(body: SessionCreate, request: Request, services: Services,
                         settings: Annotated[Settings, Depends(app_settings)]) -> SessionCreated:
    """A join code for the students and a token that only the teacher's browser keeps."""
    code, token = await services.live.create(body.title)
    return SessionCreated(code=code, teacher_token=token,
                          join_url=join_url(request, settings, code))


@router.get("/{code}", response_model=SessionView, responses=LIVE_ERRORS,
            summary="A session's current state")
async def get_session(code: str, services: Services) -> SessionView:
    """Its title, the teacher's latest state and its number, and the students connected."""
    return SessionView(**await services.live.view(code))


@router.put("/{code}/state", response_model=SeqOut, responses=LIVE_ERRORS,
            summary="Send the teacher's state to every student")
async def put_state(code: str, body: StatePut, services: Services,
                    authorization: Authorization = None) -> SeqOut:
    """Only with the teacher's token; at most 64 kB of JSON. Students receive it in order."""
    found = await services.live.authorize(code, authorization)
    return SeqOut(seq=await services.live.put_state(found["code"], body.state))


@router.delete("/{code}", status_code=204, responses=LIVE_ERRORS, summary="End a session")
async def end_session(code: str, services: Services,
                      authorization: Authorization = None) -> Response:
    """Every connected screen is told the session ended."""
    found = await services.live.authorize(code, authorization)
    await services.live.end(found["code"])
    return Response(status_code=204)


@router.get("/{code}/qr.svg", responses={**LIVE_ERRORS, 200: {"content": {"image/svg+xml": {}}}},
            response_class=Response, summary="The join screen's QR code")
async def qr_code(code: str, request: Request, services: Services,
                  settings: Annotated[Settings, Depends(app_settings)]) -> Response:
    """An SVG QR code of the session's join URL, made on this server."""
    found = await services.live.session(code)
    return Response(qr_svg(join_url(request, settings, found["code"])),
                    media_type="image/svg+xml", headers={"cache-control": "no-store"})


@router.get("/{code}/results.csv", responses={**LIVE_ERRORS, 200: {"content": {"text/csv": {}}}},
            response_class=Response, summary="The session's questions and answers as CSV")
async def results_csv(code: str, services: Services,
                      authorization: Authorization = None) -> Response:
    """One row per option of each question, or per distinct number given, with counts."""
    found = await services.live.authorize(code, authorization)
    rows = [(poll, await services.live.answer_values(found["code"], poll["id"]))
            for poll in await services.live.polls(found["code"])]
    return Response(session_csv(rows), media_type="text/csv; charset=utf-8", headers={
        "content-disposition": f'attachment; filename="session-{found["code"]}.csv"'})


@router.websocket("/{code}/live")
async def live_socket(websocket: WebSocket, code: str, role: str = "student", name: str = "",
                      student: str = "") -> None:
    """Follow the session: see app/live/socket.py for the messages."""
    services: LiveServices = websocket.app.state.live
    if services.off:
        await websocket.accept()
        await websocket.send_json({"type": "error", "detail": [
            {"loc": ["server"], "msg": services.off, "type": "live_sessions_off"}]})
        await websocket.close(4503)
        return
    await LiveSocket(websocket, services.live, services.hub, normal_code(code)).run(
        role, name[:200], student[:100])
