"""JSON responses rendered by orjson (fast for large traces, NaN-safe: it writes null), and the
one shape every error response has."""

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


def error_content(loc: list[str | int], msg: str, type_: str) -> dict:
    """The one error shape: {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}."""
    return {"detail": [{"loc": loc, "msg": msg, "type": type_}]}


def error_response(status: int, loc: list[str | int], msg: str, type_: str,
                   headers: dict[str, str] | None = None) -> FastJSONResponse:
    """An error in the one shape, as a response."""
    return FastJSONResponse(error_content(loc, msg, type_), status_code=status, headers=headers)
