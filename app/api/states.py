"""Saved states: POST /api/v1/states keeps a playground state too large for a URL and answers
its short link (/s/<id>); GET /api/v1/states/{id} gives it back."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends

from app.body_route import JSONBodyRoute
from app.live.codes import SAVED_ID_PATTERN, saved_id
from app.live.errors import refusal
from app.live.sessions import state_bytes
from app.live.setup import saved_states
from app.schemas.live import LIVE_ERRORS, SavedIn, SavedOut
from app.settings import Settings, app_settings

router = APIRouter(prefix="/api/v1/states", tags=["saved states"], route_class=JSONBodyRoute)
Saved = Annotated[object, Depends(saved_states)]


async def load_saved(saved, key: str) -> dict:
    """The saved state with this id, or 404."""
    found = await saved.load(key) if SAVED_ID_PATTERN.match(key) else None
    if found is None:
        raise refusal(404, ["path", "id"], f"no saved state has the id {key!r}; saved states "
                      "are kept for a while after they were last opened", "saved_not_found")
    return orjson.loads(found)


@router.post("", status_code=201, response_model=SavedOut, responses=LIVE_ERRORS,
             summary="Keep a state behind a short link")
async def save_state(body: SavedIn, saved: Saved,
                     settings: Annotated[Settings, Depends(app_settings)]) -> SavedOut:
    """The same state always gets the same id."""
    encoded = state_bytes(body.state, settings.saved_max_bytes, ["body", "state"])
    key = saved_id(encoded)
    await saved.save(key, encoded)
    return SavedOut(id=key, url=f"/s/{key}")


@router.get("/{key}", response_model=SavedOut, responses=LIVE_ERRORS,
            summary="A saved state")
async def get_state(key: str, saved: Saved) -> SavedOut:
    """Opening it keeps it for another `saved_days`."""
    return SavedOut(id=key, url=f"/s/{key}", state=await load_saved(saved, key))
