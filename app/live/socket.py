"""One WebSocket connection to a live session: `WebSocket /api/v1/sessions/{code}/live`.

Server to client, each a JSON object with a `type`:
- `state` {seq, state}: at once on connecting, then every change the teacher makes, in order.
- `hello` {role, student, name}: who this connection is; a student keeps `student` and sends it
  back (`?student=`) when reconnecting, so their answers are not counted twice.
- `poll` {poll}: a question opened, closed or revealed (its `status`); students see its
  `answer` only once revealed.
- `reveal` {poll, answer, results}: the engine's answer beside the class's.
- `results` {poll, answered, counts | values, correct} and `students` {count, names (of the
  latest to join, at most 60)}: to the teacher, as answers and students come (at most four
  times a second).
- `ack` {poll}: a student's answer was kept. `error` {detail}: in the one error shape.
- `resync`: this connection fell behind; the latest state and question follow.
- `ended` {reason}: the session is over ("ended" by the teacher, or "expired"); then it closes.

Client to server: a student sends `{"type": "answer", "poll": n, "value": x}` (an option's index
or a number); the teacher's page connects with `?role=teacher` and sends
`{"type": "teacher", "token": "..."}` first. Nothing else is taken: a student cannot send state.

Close codes: 4404 no such session, 4429 the session is full, 4401/4403 a teacher's token missing
or wrong, 1008 a client flooding, 1009 a message too large (BACKPROP_LIVE_MESSAGE_BYTES).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time

import orjson
import redis
from starlette.websockets import WebSocket, WebSocketDisconnect

from app.live.codes import CODE_PATTERN, STUDENT_PATTERN, new_student_id, token_matches
from app.live.hub import RESYNC, Hub, Member, Outbox, Room, state_seq
from app.live.sessions import Live, student_view
from app.live.store import Audience

BURST = 5             # messages a client may send at once beyond its rate
FLOOD = 30            # messages past its allowance after which a client is disconnected
TEACHER_EVERY = 0.25  # seconds between the teacher's figures
NAMES_SHOWN = 60      # names of the latest students to join, for the join screen
MAX_NAME = 40
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def error_message(msg: str, type_: str, loc: str = "message") -> str:
    return orjson.dumps({"type": "error",
                         "detail": [{"loc": [loc], "msg": msg, "type": type_}]}).decode()


def clean_name(name: str) -> str:
    """A display name without control or direction characters, at most MAX_NAME long. It is
    only ever shown as text (escaped)."""
    return CONTROL.sub("", name).strip()[:MAX_NAME]


class Allowance:
    """A token bucket: `rate` messages a second, bursts of BURST."""

    def __init__(self, rate: float):
        self.rate, self.tokens, self.at = rate, float(BURST), time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(BURST, self.tokens + (now - self.at) * self.rate)
        self.at = now
        self.tokens -= 1
        return self.tokens >= 0

    @property
    def flooding(self) -> bool:
        return self.tokens < -FLOOD


async def refuse(ws: WebSocket, msg: str, type_: str, close_code: int, loc: str = "path") -> None:
    await ws.send_text(error_message(msg, type_, loc))
    await ws.close(close_code)


class LiveSocket:
    """The conversation with one connected client."""

    def __init__(self, ws: WebSocket, live: Live, hub: Hub, code: str):
        self.ws, self.live, self.hub, self.code = ws, live, hub, code
        self.settings = live.settings
        self.member = Member(Outbox(self.settings.live_queue), close=self.drop)
        self.room: Room | None = None
        self.allowance = Allowance(self.settings.live_answer_rate)
        self.tasks: list[asyncio.Task] = []

    async def run(self, role: str, name: str, student: str) -> None:
        """The whole conversation; the store out of reach closes it with 1013 (try again
        later): the client reconnects and resumes."""
        try:
            await self.converse(role, name, student)
        except redis.RedisError:
            with contextlib.suppress(Exception):
                await self.ws.close(1013)

    async def converse(self, role: str, name: str, student: str) -> None:
        await self.ws.accept()
        if not CODE_PATTERN.match(self.code) or await self.live.store.session(self.code) is None:
            await refuse(self.ws, f"no live session has the code {self.code!r}",
                         "session_not_found", 4404)
            return
        if role == "teacher":
            self.member.role = "pending"   # until its first message shows the token
        elif not await self.admit_student(name, student):
            return
        self.room = await self.hub.enter(self.code, self.member)
        try:
            if not await self.send_current():
                return
            self.tasks.append(asyncio.create_task(self.write()))
            if self.member.role == "student":
                await self.live.store.seen(self.code, [self.member.student])
                if self.member.name:
                    await self.live.store.set_name(self.code, self.member.student,
                                                   self.member.name)
                await self.live.store.publish(self.code, Audience.TEACHER, b'{"type":"roster"}')
            await self.read(role)
        except WebSocketDisconnect:
            pass
        finally:
            for task in self.tasks:
                task.cancel()
            await self.hub.leave(self.code, self.member)
            if self.member.role == "student":
                with contextlib.suppress(Exception):
                    await self.live.store.left(self.code, self.member.student)
                    await self.live.store.publish(self.code, Audience.TEACHER,
                                                  b'{"type":"roster"}')

    async def drop(self) -> None:
        """Close a connection whose client stopped reading (its writer is stuck in a send)."""
        for task in self.tasks:
            task.cancel()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1):   # else uvicorn's ping timeout ends it
                await self.ws.close(1011)

    async def admit_student(self, name: str, student: str) -> bool:
        limit = self.settings.live_max_students
        if await self.live.store.student_count(self.code) >= limit:
            await refuse(self.ws, f"this session has {limit} students, its limit "
                         "(BACKPROP_LIVE_MAX_STUDENTS)", "session_full", 4429)
            return False
        self.member.student = student if STUDENT_PATTERN.match(student) else new_student_id()
        self.member.name = clean_name(name)
        return True

    async def send_current(self) -> bool:
        """The state at once, then who this is and the question on screen; False if the
        session ended meanwhile."""
        found = await self.live.store.session(self.code)
        if found is None:
            await refuse(self.ws, "the session ended", "session_not_found", 4404)
            return False
        seq = int(found["seq"])
        await self.ws.send_text(f'{{"type":"state","seq":{seq},"state":{found["state"].decode()}}}')
        self.member.last_seq = max(self.member.last_seq, seq)
        if self.member.role == "student":
            await self.ws.send_text(orjson.dumps({"type": "hello", "role": "student",
                                                  "student": self.member.student,
                                                  "name": self.member.name}).decode())
        poll_number = int(found.get("poll") or 0)
        if poll_number:
            poll = await self.live.poll(self.code, poll_number)
            await self.ws.send_text(orjson.dumps({"type": "poll",
                                                  "poll": student_view(poll)}).decode())
            if poll["status"] == "revealed":
                results = await self.live.results(self.code, poll_number, poll)
                await self.ws.send_text(orjson.dumps({"type": "reveal", "poll": poll_number,
                                                      "answer": poll["answer"],
                                                      "results": results}).decode())
        return True

    async def write(self) -> None:
        """Drain this connection's queue. A send that stalls (a client that stopped reading)
        is found by the hub's heartbeat, which drops the connection: the client reconnects
        and resumes at the current state, instead of a timer for every message to every
        student."""
        try:
            while True:
                item = await self.member.outbox.get()
                texts = self.hub.catch_up(self.room) if item is RESYNC else [item]
                for text in texts:
                    seq = state_seq(text)
                    if seq is not None:
                        if seq <= self.member.last_seq and item is not RESYNC:
                            continue
                        self.member.last_seq = seq
                    self.member.sending_since = time.monotonic()
                    await self.ws.send_text(text)
                    self.member.sending_since = 0.0
                    if text.startswith('{"type":"ended"'):
                        await self.ws.close(1000)
                        return
        except (WebSocketDisconnect, RuntimeError):
            with contextlib.suppress(Exception):
                await self.ws.close(1011)

    async def read(self, role: str) -> None:
        limit = self.settings.live_message_bytes
        while True:
            text = await self.ws.receive_text()
            if len(text.encode()) > limit:
                await refuse(self.ws, f"a message may be at most {limit} bytes "
                             "(BACKPROP_LIVE_MESSAGE_BYTES)", "message_too_large", 1009, "message")
                return
            if not self.allowance.take():
                if self.allowance.flooding:
                    await self.ws.close(1008)
                    return
                self.member.outbox.put(error_message(
                    f"too many messages: at most {self.settings.live_answer_rate:g} a second "
                    "(BACKPROP_LIVE_ANSWER_RATE)", "rate_limited"))
                continue
            if not await self.handle(text, role):
                return

    async def handle(self, text: str, role: str) -> bool:
        """Act on one message; False to end the connection."""
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            message = None
        kind = message.get("type") if isinstance(message, dict) else None
        if role == "teacher" and self.member.role != "teacher":
            return await self.become_teacher(message if kind == "teacher" else {})
        if kind == "answer" and self.member.role == "student":
            problem = await self.live.answer(self.code, self.member.student, message.get("poll"),
                                             message.get("value"))
            self.member.outbox.put(error_message(problem, "answer_refused") if problem else
                                   orjson.dumps({"type": "ack",
                                                 "poll": message["poll"]}).decode())
            return True
        self.member.outbox.put(error_message(
            "a student sends only {\"type\": \"answer\", \"poll\": n, \"value\": x}; the "
            "teacher's state goes by PUT with the teacher's token", "message_refused"))
        return True

    async def become_teacher(self, message: dict) -> bool:
        token = message.get("token")
        if not isinstance(token, str) or not token:
            await refuse(self.ws, "a teacher's connection sends {\"type\": \"teacher\", "
                         "\"token\": ...} first", "token_missing", 4401, "message")
            return False
        found = await self.live.store.session(self.code)
        if found is None or not token_matches(token, str(found["token_hash"])):
            await refuse(self.ws, "this token does not drive this session", "token_wrong", 4403,
                         "message")
            return False
        self.member.role = "teacher"
        self.member.outbox.put(orjson.dumps({"type": "hello", "role": "teacher"}).decode())
        self.member.changed.set()
        self.tasks.append(asyncio.create_task(self.report()))
        return True

    async def report(self) -> None:
        """The teacher's figures (answers to the open question, students connected), at most
        every TEACHER_EVERY seconds, while this connection lasts."""
        with contextlib.suppress(Exception):
            while True:
                await self.member.changed.wait()
                self.member.changed.clear()
                found = await self.live.store.session(self.code)
                if found is None:
                    return
                count = await self.live.store.student_count(self.code)
                names = await self.live.store.names(self.code, NAMES_SHOWN)
                self.member.outbox.put(orjson.dumps({"type": "students", "count": count,
                                                     "names": names}).decode())
                if int(found.get("poll") or 0):
                    results = await self.live.results(self.code, int(found["poll"]))
                    self.member.outbox.put(orjson.dumps({"type": "results", **results}).decode())
                await asyncio.sleep(TEACHER_EVERY)

