"""Page routes and static files: the home page, the offline API docs and the favicon."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

ROOT = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=ROOT / "templates")


def install(app: FastAPI) -> None:
    """Mount static files (ours and Swagger UI's) and add the page routes."""
    app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
    app.mount("/vendor/swagger-ui", StaticFiles(directory=str(swagger_ui_bundle.swagger_ui_path)),
              name="swagger-ui")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        return templates.TemplateResponse(request, "home.html", {"title": "backprop, visualized"})

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request):
        return templates.TemplateResponse(request, "docs.html", {"title": "API reference"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return FileResponse(ROOT / "static" / "favicon.svg", media_type="image/svg+xml")
