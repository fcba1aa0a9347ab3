"""The FastAPI application: `create_app()` builds it, `app` is what uvicorn serves."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from app import errors, pages
from app.admission import Admission
from app.api import (
    catalog,
    checkpoints,
    cost,
    datasets,
    exports,
    expressions,
    formulas,
    gradcheck,
    health,
    iterations,
    logistic,
    maps,
    networks,
    polls,
    presets,
    projections,
    rnn,
    sessions,
    states,
    surface,
    train,
)
from app.compression import GZip
from app.head import HeadAsGet
from app.live import setup as live_setup
from app.memory import give_back_free_memory
from app.responses import FastJSONResponse
from app.security import CORS, BodySizeLimit, SecurityHeaders
from app.settings import Settings, get_settings

# Routes are matched in this order, and each router passed over costs several microseconds:
# the iteration trace, the request a lesson or the playground sends most, comes first.
ROUTERS = [iterations.router, health.router, networks.router, train.router, gradcheck.router,
           maps.router,  # asked for beside every trace the playground draws
           expressions.router, rnn.router, cost.router, datasets.router, presets.router,
           formulas.router, logistic.router, catalog.router, exports.router, surface.router,
           projections.router, sessions.router, polls.router, states.router, checkpoints.router]

DESCRIPTION = (
    "Every number of a small neural network's training iteration, stage by stage: forward "
    "through each layer, the loss, backward through each layer, the update. All numbers come "
    "from a NumPy reverse-mode autodiff engine in float64; no response carries NaN or Infinity."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API routers, the pages, error handlers and middleware, configured by `settings`."""
    settings = settings or get_settings()
    app = FastAPI(title="backprop, visualized", version="1.0.0", description=DESCRIPTION,
                  default_response_class=FastJSONResponse, docs_url=None, redoc_url=None,
                  lifespan=live_setup.lifespan)
    app.state.settings = settings
    live_setup.install(app, settings)
    app.state.admission = Admission(settings.heavy_slots, settings.heavy_queue,
                                    on_idle=give_back_free_memory)
    for router in ROUTERS:
        app.include_router(router)
    pages.install(app)
    errors.install(app)
    app.add_middleware(GZip, minimum_size=settings.gzip_minimum_bytes,
                       compresslevel=settings.gzip_level)
    if settings.cors_origins:
        app.add_middleware(CORS, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["content-type"])
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders, frame_ancestors=settings.frame_ancestors)
    app.add_middleware(HeadAsGet)
    return app


app = create_app()
# What importing and building the app made lives as long as the process. Frozen, it is out of the
# collector's reach: a full collection then takes about 0.5 ms instead of 30 ms, a pause that
# under load came every few seconds and held up every request in flight.
gc.freeze()
