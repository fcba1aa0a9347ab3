"""The one interface behind which live sessions are kept and their messages fanned out, so the
rules (sessions.py) and the WebSocket hub (hub.py) never know where: `MemoryStore` keeps them in
this process, `RedisStore` in Redis for every worker and machine at once.

Values cross it as bytes of JSON (a session's state, a poll, an answer) so both stores keep them
as they are. Every message for a session goes out on one ordered channel; a message is for
everyone or for the teacher's connections only (`Audience`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from enum import StrEnum

Handler = Callable[[str, "Audience", bytes], None]


class Audience(StrEnum):
    EVERYONE = "a"
    TEACHER = "t"


class Created(StrEnum):
    OK = "ok"
    TAKEN = "taken"   # the code is in use: draw another
    FULL = "full"     # as many sessions as allowed are live


def state_message(seq: int, state: bytes) -> bytes:
    """{"type": "state", "seq", "state"}, written around the state's JSON as it is stored."""
    return b'{"type":"state","seq":%d,"state":%s}' % (seq, state)


class Store(ABC):
    """Sessions (a record of short fields, with a state and its sequence number), their polls,
    answers and connected students, and the channel that carries their messages. Every session
    ends `ttl` seconds after it was last touched."""

    # Sessions

    @abstractmethod
    async def create_session(self, code: str, record: dict[str, str], max_sessions: int,
                             ttl: float) -> Created: ...

    @abstractmethod
    async def session(self, code: str) -> dict[str, str | bytes] | None:
        """The record with `seq` (as text) and `state` (JSON bytes), or None once ended."""

    @abstractmethod
    async def put_state(self, code: str, state: bytes, ttl: float) -> int | None:
        """Store the state under the next sequence number and send it to everyone, as one step
        (two teachers' tabs cannot interleave); the number, or None if the session ended."""

    @abstractmethod
    async def set_fields(self, code: str, fields: dict[str, str], ttl: float) -> None: ...

    @abstractmethod
    async def end_session(self, code: str) -> None: ...

    @abstractmethod
    async def session_count(self) -> int: ...

    # Polls and answers

    @abstractmethod
    async def add_poll(self, code: str, poll: bytes) -> int:
        """Append a poll; its number, from 1."""

    @abstractmethod
    async def replace_poll(self, code: str, number: int, poll: bytes) -> None: ...

    @abstractmethod
    async def polls(self, code: str) -> list[bytes]: ...

    @abstractmethod
    async def answer(self, code: str, number: int, student: str, value: bytes,
                     ttl: float) -> None:
        """Keep a student's answer to a poll (a later one replaces it)."""

    @abstractmethod
    async def answers(self, code: str, number: int) -> list[bytes]: ...

    # Students connected

    @abstractmethod
    async def seen(self, code: str, students: list[str]) -> None:
        """These students are connected now (each worker says so for its own, now and then)."""

    @abstractmethod
    async def left(self, code: str, student: str) -> None: ...

    @abstractmethod
    async def set_name(self, code: str, student: str, name: str) -> None:
        """A student's display name (kept as text; every page shows it escaped)."""

    @abstractmethod
    async def names(self, code: str, limit: int) -> list[str]:
        """The names of the students connected, the latest to join first, at most `limit`."""

    @abstractmethod
    async def student_count(self, code: str) -> int: ...

    # The channel

    @abstractmethod
    async def publish(self, code: str, audience: Audience, message: bytes) -> None: ...

    @abstractmethod
    async def subscribe(self, code: str, handler: Handler) -> None:
        """Call handler(code, audience, message) for each message of the session, in order."""

    @abstractmethod
    async def unsubscribe(self, code: str, handler: Handler) -> None: ...

    async def close(self) -> None:  # noqa: B027 (a store with nothing to release keeps this)
        """Release connections and tasks."""
