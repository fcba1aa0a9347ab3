"""The rules of live sessions, the same whatever store holds them: creating one with its join
code and teacher token, checking the token, the teacher's state, polls and their results, and
the CSV of a session's questions after class."""

from __future__ import annotations

import json
import math
import time

import orjson

from app.live.codes import CODE_PATTERN, new_code, new_token, normal_code, token_hash, token_matches
from app.live.errors import no_session, refusal
from app.live.store import Audience, Created, Store
from app.schemas.live import PollCreate
from app.settings import Settings

MAX_STATE_BYTES = 65_536   # the contract's 64 kB: a playground's link state is far below it
CODE_TRIES = 20


def state_bytes(state: dict, limit: int, loc: list[str | int]) -> bytes:
    """A state as compact JSON, refused past `limit` bytes or with a non-finite number."""
    try:
        text = json.dumps(state, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise refusal(422, loc, "the state holds NaN or Infinity, which JSON cannot carry",
                      "finite_number") from None
    encoded = text.encode()
    if len(encoded) > limit:
        raise refusal(413, loc, f"the state is {len(encoded)} bytes as JSON, more than the limit "
                      f"of {limit} bytes", "state_too_large")
    return encoded


class Live:
    """Live sessions on top of a store, with the server's limits."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self.ttl = settings.live_idle_seconds

    # Sessions

    async def create(self, title: str | None) -> tuple[str, str]:
        """A new session's code and teacher token."""
        token = new_token()
        record = {"title": (title or "").strip(), "token_hash": token_hash(token),
                  "poll": "0", "created": str(time.time())}
        for _ in range(CODE_TRIES):
            code = new_code()
            made = await self.store.create_session(code, record, self.settings.live_max_sessions,
                                                   self.ttl)
            if made is Created.OK:
                return code, token
            if made is Created.FULL:
                raise refusal(503, ["request"], f"the server runs "
                              f"{self.settings.live_max_sessions} live sessions, its limit "
                              "(BACKPROP_LIVE_MAX_SESSIONS); end one or retry later",
                              "too_many_sessions", {"retry-after": "60"})
        raise refusal(503, ["request"], "no free join code was found; retry", "no_free_code")

    async def session(self, code: str) -> dict:
        """The session's record, or 404."""
        code = normal_code(code)
        found = await self.store.session(code) if CODE_PATTERN.match(code) else None
        if found is None:
            raise no_session(code)
        return {**found, "code": code}

    async def authorize(self, code: str, authorization: str | None) -> dict:
        """The session, if `authorization` is its teacher's bearer token: else 401 or 403."""
        found = await self.session(code)
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise refusal(401, ["header", "authorization"], "this needs the session's teacher "
                          "token, sent as Authorization: Bearer <teacher_token>",
                          "token_missing", {"www-authenticate": "Bearer"})
        if not token_matches(token.strip(), str(found["token_hash"])):
            raise refusal(403, ["header", "authorization"], "this token does not drive this "
                          "session", "token_wrong")
        return found

    async def put_state(self, code: str, state: dict) -> int:
        encoded = state_bytes(state, MAX_STATE_BYTES, ["body", "state"])
        seq = await self.store.put_state(code, encoded, self.ttl)
        if seq is None:
            raise no_session(code)
        return seq

    async def view(self, code: str) -> dict:
        found = await self.session(code)
        return {"code": found["code"], "title": found["title"], "seq": int(found["seq"]),
                "state": orjson.loads(found["state"]),
                "students": await self.store.student_count(found["code"])}

    async def end(self, code: str) -> None:
        await self.store.end_session(code)

    # Polls

    async def polls(self, code: str) -> list[dict]:
        return [orjson.loads(poll) for poll in await self.store.polls(code)]

    async def poll(self, code: str, number: int) -> dict:
        polls = await self.store.polls(code)
        if not 0 < number <= len(polls):
            raise refusal(404, ["path", "poll"], f"this session has no poll {number}; it has "
                          f"{len(polls)}", "poll_not_found")
        return orjson.loads(polls[number - 1])

    async def open_poll(self, session: dict, request: PollCreate) -> dict:
        """Ask a new question (the open one, if any, closes) and send it to every student."""
        code = session["code"]
        polls = await self.store.polls(code)
        if len(polls) >= self.settings.live_max_polls:
            raise refusal(422, ["body"], f"this session has asked {len(polls)} questions, the "
                          "limit (BACKPROP_LIVE_MAX_POLLS); start a new session",
                          "too_many_polls")
        current = int(session.get("poll") or 0)
        if current:
            previous = orjson.loads(polls[current - 1])
            if previous["status"] == "open":
                await self._set_status(code, previous, "closed")
        poll = {**request.model_dump(), "status": "open", "seq": int(session["seq"])}
        poll["id"] = await self.store.add_poll(code, orjson.dumps(poll))
        await self.store.replace_poll(code, poll["id"], orjson.dumps(poll))
        await self.store.set_fields(code, {"poll": str(poll["id"])}, self.ttl)
        await self.store.publish(code, Audience.EVERYONE, poll_message(poll))
        return poll

    async def _set_status(self, code: str, poll: dict, status: str) -> dict:
        poll = {**poll, "status": status}
        await self.store.replace_poll(code, poll["id"], orjson.dumps(poll))
        await self.store.publish(code, Audience.EVERYONE, poll_message(poll))
        return poll

    async def close_poll(self, code: str, number: int) -> dict:
        poll = await self.poll(code, number)
        if poll["status"] != "open":
            return poll
        return await self._set_status(code, poll, "closed")

    async def reveal(self, code: str, number: int) -> dict:
        """Close the poll and show every screen the engine's answer beside the class's."""
        poll = await self.poll(code, number)
        if poll["status"] != "revealed":
            poll = await self._set_status(code, poll, "revealed")
        results = await self.results(code, number, poll)
        await self.store.publish(code, Audience.EVERYONE, orjson.dumps(
            {"type": "reveal", "poll": number, "answer": poll["answer"], "results": results}))
        return results

    async def answer_values(self, code: str, number: int) -> list[float]:
        return [orjson.loads(a) for a in await self.store.answers(code, number)]

    async def results(self, code: str, number: int, poll: dict | None = None) -> dict:
        poll = poll or await self.poll(code, number)
        return summarise(poll, await self.answer_values(code, number))

    async def answer(self, code: str, student: str, number: int, value) -> str | None:
        """Keep a student's answer; a sentence saying why not, if it cannot be kept."""
        polls = await self.store.polls(code)
        if not isinstance(number, int) or not 0 < number <= len(polls):
            return f"there is no poll {number} in this session"
        poll = orjson.loads(polls[number - 1])
        if poll["status"] != "open":
            return "this question is closed: answers are no longer taken"
        problem = answer_problem(poll, value)
        if problem:
            return problem
        await self.store.answer(code, number, student, orjson.dumps(value), self.ttl)
        await self.store.set_fields(code, {}, self.ttl)   # an answer keeps the session alive
        await self.store.publish(code, Audience.TEACHER,
                                 b'{"type":"answered","poll":%d}' % number)
        return None


def answer_problem(poll: dict, value) -> str | None:
    """Why this value cannot answer this poll, or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "an answer is a number (a choice's index, or the value asked for)"
    if not math.isfinite(value) or abs(value) > 1e12:
        return "an answer must be a finite number of at most 1e12 in size"
    if poll["kind"] == "choice" and (value != int(value)
                                     or not 0 <= value < len(poll["options"])):
        return f"a choice's answer is an option's index, 0 to {len(poll['options']) - 1}"
    return None


def is_right(poll: dict, value: float) -> bool:
    answer = poll["answer"]
    if poll["kind"] == "choice":
        return int(value) == int(answer)
    return abs(value - answer) <= poll["tolerance"] * max(abs(answer), 1e-12)


def summarise(poll: dict, answers: list[float]) -> dict:
    """How the class answered: counts per option, or every number sorted; how many are right."""
    summary = {"poll": poll["id"], "kind": poll["kind"], "status": poll["status"],
               "answered": len(answers), "answer": poll["answer"]}
    if poll["kind"] == "choice":
        counts = [0] * len(poll["options"])
        for value in answers:
            counts[int(value)] += 1
        summary["counts"] = counts
    else:
        summary["values"] = sorted(float(v) for v in answers)
    if poll["answer"] is not None:
        summary["correct"] = sum(is_right(poll, v) for v in answers)
    return summary


def student_view(poll: dict) -> dict:
    """A poll as students see it: the engine's answer only once revealed."""
    return poll if poll["status"] == "revealed" else {**poll, "answer": None}


def poll_message(poll: dict) -> bytes:
    return orjson.dumps({"type": "poll", "poll": student_view(poll)})
