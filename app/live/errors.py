"""Refusals of the live endpoints, in the one error shape (app/errors.py keeps a detail list)."""

from __future__ import annotations

from fastapi import HTTPException


def refusal(status: int, loc: list[str | int], msg: str, type_: str,
            headers: dict[str, str] | None = None) -> HTTPException:
    return HTTPException(status, detail=[{"loc": loc, "msg": msg, "type": type_}],
                         headers=headers)


def no_session(code: str) -> HTTPException:
    return refusal(404, ["path", "code"], f"no live session has the code {code!r}: it may have "
                   "ended or expired; check the code on the teacher's screen", "session_not_found")
