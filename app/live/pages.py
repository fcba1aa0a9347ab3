"""The live pages: /join (type a code), /join/{code} (a student's screen), /teach/{code} (the
teacher's, with the join screen and the polls), /s/{id} (a saved state in the playground) and
/worksheet (one iteration to work out by hand, printable, with an answer key)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from app.api.catalog import served_catalog
from app.api.sessions import join_url
from app.api.states import load_saved
from app.live.codes import CODE_PATTERN, normal_code
from app.live.errors import no_session
from app.pages import formulas_for_page, templates


def page_data(**live) -> dict:
    """What a page that mounts the playground needs (templates/_diagram_head.html), and the
    session's own data."""
    return {"formulas": formulas_for_page(), "catalog": served_catalog(), "live": live}


async def live_session(request: Request, code: str) -> dict:
    """The session a page is for (404 if none), its code as stored."""
    services = request.app.state.live
    services.check()
    return await services.live.session(code)


def install(app: FastAPI) -> None:
    @app.get("/join", response_class=HTMLResponse, include_in_schema=False)
    def join(request: Request, code: str = ""):
        return templates.TemplateResponse(request, "join.html", {
            "title": "Join a class · backprop, visualized", "code": normal_code(code)[:6]})

    @app.get("/join/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def student(request: Request, code: str):
        found = await live_session(request, code)
        return templates.TemplateResponse(request, "student.html", {
            "title": f"{found['title'] or 'Live class'} · backprop, visualized",
            **page_data(code=found["code"], title=found["title"])})

    @app.get("/teach/{code}", response_class=HTMLResponse, include_in_schema=False)
    async def teach(request: Request, code: str):
        code = normal_code(code)
        if not CODE_PATTERN.match(code):
            raise no_session(code)
        found = await live_session(request, code)
        settings = request.app.state.settings
        return templates.TemplateResponse(request, "teach.html", {
            "title": f"Teaching {found['code']} · backprop, visualized",
            **page_data(code=found["code"], title=found["title"],
                        joinUrl=join_url(request, settings, found["code"]))})

    @app.get("/s/{key}", response_class=HTMLResponse, include_in_schema=False)
    async def saved(request: Request, key: str):
        state = await load_saved(request.app.state.live.saved, key)
        return templates.TemplateResponse(request, "playground.html", {
            "title": "Playground · backprop, visualized", "formulas": formulas_for_page(),
            "catalog": served_catalog(), "saved": state})

    @app.get("/worksheet", response_class=HTMLResponse, include_in_schema=False)
    def worksheet(request: Request):
        return templates.TemplateResponse(request, "worksheet.html", {
            "title": "Worksheet · backprop, visualized", **page_data()})
