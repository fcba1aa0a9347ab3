"""Live sessions in this process: the default, for one worker (`make run`). Nothing to start,
and nothing shared: several workers would each hold their own sessions, so app/live/setup.py
refuses live sessions there unless Redis is set."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.live.store import Audience, Created, Handler, Store, state_message

STUDENT_FRESH = 75.0   # seconds a student counts as connected after a worker last said so


@dataclass
class Session:
    record: dict[str, str]
    expires: float
    seq: int = 0
    state: bytes = b"{}"
    polls: list[bytes] = field(default_factory=list)
    answers: dict[int, dict[str, bytes]] = field(default_factory=dict)
    students: dict[str, float] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


class MemoryStore(Store):
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.sessions: dict[str, Session] = {}
        self.handlers: dict[str, list[Handler]] = {}

    def _live(self, code: str) -> Session | None:
        found = self.sessions.get(code)
        if found is not None and found.expires <= self.clock():
            self._end(code)
            return None
        return found

    def _end(self, code: str) -> None:
        if self.sessions.pop(code, None) is not None:
            self._send(code, Audience.EVERYONE, b'{"type":"ended","reason":"expired"}')

    def sweep(self) -> None:
        """End every session past its time (their connections are told)."""
        now = self.clock()
        for code in [code for code, s in self.sessions.items() if s.expires <= now]:
            self._end(code)

    def _touch(self, code: str, ttl: float) -> Session | None:
        found = self._live(code)
        if found is not None:
            found.expires = self.clock() + ttl
        return found

    async def create_session(self, code, record, max_sessions, ttl):
        self.sweep()
        if code in self.sessions:
            return Created.TAKEN
        if len(self.sessions) >= max_sessions:
            return Created.FULL
        self.sessions[code] = Session(dict(record), self.clock() + ttl)
        return Created.OK

    async def session(self, code):
        found = self._live(code)
        if found is None:
            return None
        return {**found.record, "seq": str(found.seq), "state": found.state}

    async def put_state(self, code, state, ttl):
        found = self._touch(code, ttl)
        if found is None:
            return None
        found.seq += 1
        found.state = state
        self._send(code, Audience.EVERYONE, state_message(found.seq, state))
        return found.seq

    async def set_fields(self, code, fields, ttl):
        found = self._touch(code, ttl)
        if found is not None:
            found.record.update(fields)

    async def end_session(self, code):
        if self.sessions.pop(code, None) is not None:
            self._send(code, Audience.EVERYONE, b'{"type":"ended","reason":"ended"}')

    async def session_count(self):
        self.sweep()
        return len(self.sessions)

    async def add_poll(self, code, poll):
        found = self._live(code)
        if found is None:
            return 0
        found.polls.append(poll)
        return len(found.polls)

    async def replace_poll(self, code, number, poll):
        found = self._live(code)
        if found is not None and 0 < number <= len(found.polls):
            found.polls[number - 1] = poll

    async def polls(self, code):
        found = self._live(code)
        return list(found.polls) if found else []

    async def answer(self, code, number, student, value, ttl):
        found = self._touch(code, ttl)
        if found is not None:
            found.answers.setdefault(number, {})[student] = value

    async def answers(self, code, number):
        found = self._live(code)
        return list(found.answers.get(number, {}).values()) if found else []

    async def seen(self, code, students):
        found = self._live(code)
        if found is not None:
            now = self.clock()
            found.students.update((student, now) for student in students)

    async def left(self, code, student):
        found = self._live(code)
        if found is not None:
            found.students.pop(student, None)

    async def set_name(self, code, student, name):
        found = self._live(code)
        if found is not None:
            found.names[student] = name

    async def names(self, code, limit):
        found = self._live(code)
        if found is None:
            return []
        latest = sorted(found.students, key=found.students.get, reverse=True)
        return [found.names[s] for s in latest if found.names.get(s)][:limit]

    async def student_count(self, code):
        found = self._live(code)
        if found is None:
            return 0
        fresh = self.clock() - STUDENT_FRESH
        for student in [s for s, at in found.students.items() if at < fresh]:
            del found.students[student]
        return len(found.students)

    async def publish(self, code, audience, message):
        self._send(code, audience, message)

    def _send(self, code: str, audience: Audience, message: bytes) -> None:
        for handler in list(self.handlers.get(code, ())):
            handler(code, audience, message)

    async def subscribe(self, code, handler):
        self.handlers.setdefault(code, []).append(handler)

    async def unsubscribe(self, code, handler):
        handlers = self.handlers.get(code, [])
        if handler in handlers:
            handlers.remove(handler)
        if not handlers:
            self.handlers.pop(code, None)
