"""Page routes and static files: home, lessons, the table of symbols, playground, the optimiser
race, the offline API docs and the favicon.

Vendor files come from installed Python packages (Swagger UI, plotly.js), never from a CDN.
"""

from __future__ import annotations

from pathlib import Path

import plotly
import swagger_ui_bundle
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.api.catalog import served_catalog
from app.formulas import all_formulas
from app.lessons import all_lessons, symbols_page
from app.presets import PRESETS

ROOT = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=ROOT / "templates")
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def formulas_for_page() -> dict:
    """The server's formulas as the page scripts read them from a JSON script element."""
    return {name: {"title": f.title, "mathml": f.mathml, "slots": list(f.slots)}
            for name, f in all_formulas().items()}


def install(app: FastAPI) -> None:
    """Mount static files (ours and Swagger UI's) and add the page routes."""
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    app.mount("/vendor/swagger-ui", StaticFiles(directory=str(swagger_ui_bundle.swagger_ui_path)),
              name="swagger-ui")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        return templates.TemplateResponse(request, "home.html", {"title": "backprop, visualized",
                                                                 "lessons": all_lessons()})

    @app.get("/lessons/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def lesson(request: Request, slug: str, present: bool = False):
        lessons = all_lessons()
        index = next((i for i, lesson in enumerate(lessons) if lesson.slug == slug), None)
        if index is None:
            raise HTTPException(404, detail=[{"loc": ["path", "slug"], "type": "not_found",
                                              "msg": f"no lesson is called {slug!r}"}])
        found = lessons[index]
        return templates.TemplateResponse(request, "lesson.html", {
            "title": f"{found.title} · backprop, visualized", "lesson": found,
            "number": index + 1, "count": len(lessons),
            "previous": lessons[index - 1] if index else None,
            "next": lessons[index + 1] if index + 1 < len(lessons) else None,
            "present": present, "formulas": formulas_for_page(), "catalog": served_catalog()})

    @app.get("/symbols", response_class=HTMLResponse, include_in_schema=False)
    def symbols(request: Request):
        page = symbols_page()
        return templates.TemplateResponse(request, "symbols.html", {
            "title": f"{page.title} · backprop, visualized", "page": page})

    @app.get("/playground", response_class=HTMLResponse, include_in_schema=False)
    def playground(request: Request):
        return templates.TemplateResponse(request, "playground.html",
                                          {"title": "Playground · backprop, visualized",
                                           "formulas": formulas_for_page(),
                                           "catalog": served_catalog()})

    @app.get("/race", response_class=HTMLResponse, include_in_schema=False)
    def race(request: Request):
        return templates.TemplateResponse(request, "race.html", {
            "title": "Optimiser race · backprop, visualized", "catalog": served_catalog(),
            "presets": PRESETS})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        return templates.TemplateResponse(request, "docs.html", {"title": "API reference"})

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js():
        return FileResponse(PLOTLY_JS, media_type="text/javascript",
                            headers={"cache-control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(ROOT / "static" / "favicon.svg", media_type="image/svg+xml")
