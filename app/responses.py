"""JSON responses rendered by orjson: fast for large traces, and NaN-safe (it writes null)."""

from __future__ import annotations

from fastapi.responses import JSONResponse

from engine.views.serialize import to_json


class FastJSONResponse(JSONResponse):
    """A JSONResponse whose body orjson renders, NumPy arrays included (`to_json`).

    orjson writes NaN and ±Infinity as null, in floats and in float64 arrays alike, so a response
    never carries them.
    """

    def render(self, content) -> bytes:
        return to_json(content)
