"""Fan-out inside one worker: the WebSocket connections it holds, grouped by session, each with
a bounded queue of messages drained by its own task, so a slow student never delays the others.

The store's channel delivers each session's messages to the worker once; the hub copies them
into its connections' queues without waiting. A queue that overflows is emptied and its
connection is sent, when it reads again, the latest state and the question on screen instead
("resync"): a state message carries the whole state, so nothing in between is needed.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import orjson

from app.live.store import Audience, Store

RESYNC = object()   # what a queue yields once it overflowed
SEND_TIMEOUT = 15.0  # seconds a send may stall before the heartbeat drops its connection
STATE_PREFIX = '{"type":"state","seq":'


def state_seq(message: str) -> int | None:
    """The sequence number of a state message (read from its fixed start), else None."""
    if not message.startswith(STATE_PREFIX):
        return None
    end = message.index(",", len(STATE_PREFIX))
    return int(message[len(STATE_PREFIX):end])


class Outbox:
    """One connection's messages waiting to be sent, at most `limit` of them. Past the limit
    they are dropped for a RESYNC; until the connection reads it, new states are dropped too
    (the resync sends the latest), other messages still queue (to the limit)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.items: deque = deque()
        self.ready = asyncio.Event()
        self.overflows = 0
        self.resyncing = False

    def put(self, item) -> None:
        if self.resyncing and state_seq(item) is not None:
            return
        if len(self.items) >= self.limit:
            ended = item.startswith('{"type":"ended"')
            self.items.clear()
            self.items.append(RESYNC)
            if ended:
                self.items.append(item)
            self.resyncing = True
            self.overflows += 1
        else:
            self.items.append(item)
        self.ready.set()

    async def get(self):
        while not self.items:
            self.ready.clear()
            await self.ready.wait()
        item = self.items.popleft()
        if item is RESYNC:
            self.resyncing = False
        return item


@dataclass(eq=False)
class Member:
    """A connection in a session: a student (with an id) or the teacher."""

    outbox: Outbox
    role: str = "student"
    student: str = ""
    name: str = ""
    last_seq: int = 0           # the newest state sent to it
    sending_since: float = 0.0  # when the send under way started (monotonic), 0 when none
    close: Callable[[], Awaitable[None]] | None = None   # drops the connection
    changed: asyncio.Event = field(default_factory=asyncio.Event)   # the teacher's figures


@dataclass
class Room:
    """This worker's connections to one session, and the latest of what a late reader needs."""

    members: set[Member] = field(default_factory=set)
    state: str | None = None
    seq: int = 0
    poll: str | None = None
    reveal: str | None = None


class Hub:
    def __init__(self, store: Store):
        self.store = store
        self.rooms: dict[str, Room] = {}

    async def enter(self, code: str, member: Member) -> Room:
        room = self.rooms.get(code)
        if room is None:
            room = self.rooms[code] = Room()
            await self.store.subscribe(code, self.deliver)
        room.members.add(member)
        return room

    async def leave(self, code: str, member: Member) -> None:
        room = self.rooms.get(code)
        if room is None:
            return
        room.members.discard(member)
        if not room.members:
            del self.rooms[code]
            await self.store.unsubscribe(code, self.deliver)

    def deliver(self, code: str, audience: Audience, message: bytes) -> None:
        """A message of the session's channel, into the queue of each connection it is for."""
        room = self.rooms.get(code)
        if room is None:
            return
        text = message.decode()
        if audience is Audience.TEACHER:
            for member in room.members:
                if member.role == "teacher":
                    member.changed.set()
            return
        self.remember(room, text)
        seq = state_seq(text)
        for member in room.members:
            if seq is None or seq > member.last_seq:
                member.outbox.put(text)

    @staticmethod
    def remember(room: Room, text: str) -> None:
        seq = state_seq(text)
        if seq is not None:
            if seq > room.seq:
                room.state, room.seq = text, seq
        elif text.startswith('{"type":"poll"'):
            room.poll, room.reveal = text, None
        elif text.startswith('{"type":"reveal"'):
            room.reveal = text

    def catch_up(self, room: Room) -> list[str]:
        """What a connection that fell behind is sent: the latest state, the question."""
        return [orjson.dumps({"type": "resync"}).decode()] + [
            text for text in (room.state, room.poll, room.reveal) if text]

    def members(self, role: str | None = None) -> list[tuple[str, Member]]:
        return [(code, member) for code, room in self.rooms.items() for member in room.members
                if role is None or member.role == role]

    async def heartbeat(self, every: float = 5.0) -> None:
        """Now and then: drop connections whose send has stalled, tell the store which students
        this worker holds (so a dead worker's students stop counting), and end connections
        whose session is gone."""
        while True:
            await asyncio.sleep(every)
            for code in list(self.rooms):
                with contextlib.suppress(Exception):   # a store that is briefly away: next time
                    await self.check_room(code)

    async def check_room(self, code: str) -> None:
        room = self.rooms.get(code)
        if room is None:
            return
        stalled = time.monotonic() - SEND_TIMEOUT
        for member in list(room.members):
            if 0 < member.sending_since < stalled and member.close is not None:
                await member.close()
        if await self.store.session(code) is None:
            self.deliver(code, Audience.EVERYONE, b'{"type":"ended","reason":"expired"}')
            return
        students = [m for m in room.members if m.role == "student"]
        await self.store.seen(code, [m.student for m in students])
        for member in students:
            if member.name:
                await self.store.set_name(code, member.student, member.name)
