"""What a worker needs for live sessions and saved states, chosen from the settings: the store
(this process, or Redis), the saved states (SQLite, or Redis), the hub of its connections.

Several workers without Redis would each keep their own sessions, and app.serve spreads
connections over workers by a hash of the client's address: half a class would follow one
session and half another, or find none. So then live sessions are refused, clearly: app.serve
says so at start-up, and the live endpoints answer 503 naming BACKPROP_REDIS_URL. Every other
request is stateless and keeps being served by all the workers.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import redis
from fastapi import FastAPI, Request

from app.live.errors import refusal
from app.live.hub import Hub
from app.live.memory import MemoryStore
from app.live.redis_store import RedisStore
from app.live.saved import RedisSaved, SqliteSaved
from app.live.sessions import Live
from app.responses import error_response
from app.settings import Settings


def why_off(settings: Settings) -> str | None:
    """Why this server cannot hold live sessions, or None if it can."""
    if settings.workers > 1 and not settings.redis_url:
        return (f"live sessions need BACKPROP_REDIS_URL when the server runs more than one "
                f"worker (it runs {settings.workers}): each worker would hold its own sessions "
                "and split the class; set BACKPROP_REDIS_URL or serve with one worker")
    return None


class LiveServices:
    def __init__(self, settings: Settings):
        self.off = why_off(settings)
        if settings.redis_url:
            store = RedisStore(settings.redis_url)
            self.saved = RedisSaved(store.redis, settings.saved_days)
        else:
            store = MemoryStore()
            self.saved = SqliteSaved(settings.data_dir, settings.saved_max_count,
                                     settings.saved_days)
        self.store = store
        self.live = Live(store, settings)
        self.hub = Hub(store)

    def check(self) -> None:
        if self.off:
            raise refusal(503, ["server"], self.off, "live_sessions_off")


async def store_unavailable(request: Request, error: redis.RedisError):
    """Redis down or refusing: the class is not lost (it is in Redis), only out of reach."""
    return error_response(503, ["server"], f"the live-session store (Redis) cannot be reached "
                          f"({type(error).__name__}); retry in a moment", "store_unavailable",
                          headers={"retry-after": "2"})


def install(app: FastAPI, settings: Settings) -> None:
    """The services on app.state.live, the live pages, and Redis errors as 503s."""
    from app.live import pages  # the pages import the routers, which import this module

    app.state.live = LiveServices(settings)
    pages.install(app)
    app.add_exception_handler(redis.RedisError, store_unavailable)


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The hub's heartbeat while the app runs; the store's connections closed after."""
    services: LiveServices = app.state.live
    heartbeat = asyncio.create_task(services.hub.heartbeat())
    try:
        yield
    finally:
        heartbeat.cancel()
        await services.store.close()


def live_services(request: Request) -> LiveServices:
    services: LiveServices = request.app.state.live
    services.check()
    return services


def saved_states(request: Request):
    """Saved states work with any number of workers (SQLite is shared by them)."""
    return request.app.state.live.saved
