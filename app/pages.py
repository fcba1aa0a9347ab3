"""Page routes and static files: home, lessons, the table of symbols, playground, the optimiser
race, the offline API docs and the favicon.

Vendor files come from installed Python packages (Swagger UI, plotly.js), never from a CDN.
"""

from __future__ import annotations

import re
from functools import lru_cache
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
from app.module_graph import module_graph
from app.presets import PRESETS

ROOT = Path(__file__).resolve().parent.parent
# What templates/docs.html loads of Swagger UI; the package's own index.html, OAuth2 redirect
# page and other bundles are not served.
SWAGGER_UI_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js"})
templates = Jinja2Templates(directory=ROOT / "templates")
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@lru_cache(maxsize=1)
def plotly_map_style_id() -> str:
    """plotly.js adds the CSS of its map library (no page here draws a map) in a <style> element
    unless an element with this id is already in the page. The pages carry an empty one, so the
    content security policy never has to refuse that style. "" if this plotly.js has no such
    element (a test then sees the refusal)."""
    guard = r'getElementById\("([0-9a-f]{16,})"\)\)\{var \w+=document\.createElement\("style"\)'
    found = re.search(guard, PLOTLY_JS.read_text(encoding="utf-8"))
    return found.group(1) if found else ""


templates.env.globals["plotly_map_style_id"] = plotly_map_style_id
templates.env.globals["module_graph"] = module_graph


def formulas_for_page() -> dict:
    """The server's formulas as the page scripts read them from a JSON script element."""
    return {name: {"title": f.title, "mathml": f.mathml, "slots": list(f.slots)}
            for name, f in all_formulas().items()}


class SwaggerUIFiles(StaticFiles):
    """Swagger UI's installed files, those in SWAGGER_UI_FILES only."""

    def __init__(self):
        super().__init__(directory=str(swagger_ui_bundle.swagger_ui_path))

    def lookup_path(self, path: str):
        return super().lookup_path(path) if path in SWAGGER_UI_FILES else ("", None)


def install(app: FastAPI) -> None:
    """Mount static files (ours and Swagger UI's) and add the page routes."""
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    app.mount("/vendor/swagger-ui", SwaggerUIFiles(), name="swagger-ui")

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
