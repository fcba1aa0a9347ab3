"""Admission control: a bounded number of CPU-heavy requests computing at once in a worker and a
bounded queue of them waiting; past both, an immediate 503 with Retry-After.

Without it every heavy request got a thread of its own, and the threads shared one process's
interpreter lock with the event loop: 64 clients at the training budget pushed /healthz p99 to
4.6 s. An endpoint says it is heavy with `@heavy` (or `@heavy(when=...)` for a request that is
heavy only above some size); `app.body_route.JSONBodyRoute` admits it once its body is read, so
a client slow to send its body holds no slot.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from contextlib import asynccontextmanager

from pydantic import BaseModel
from starlette.requests import ClientDisconnect, Request

RETRY_AFTER_SECONDS = 2   # about the longest a heavy request computes (the training budget)
HEAVY = "__heavy__"       # the endpoint attribute that holds its predicate


class Overloaded(Exception):
    """Raised when a heavy request finds every slot busy and the queue full."""

    def __init__(self, slots: int, queue: int):
        super().__init__(f"this worker is computing {slots} heavy request"
                         f"{'s' if slots > 1 else ''} with {queue} more waiting, its limit "
                         "(BACKPROP_HEAVY_SLOTS, BACKPROP_HEAVY_QUEUE); retry in "
                         f"{RETRY_AFTER_SECONDS} s")


class Admission:
    """At most `slots` heavy requests at once, at most `queue` waiting, served in order;
    `on_idle` is called whenever the last one is done."""

    def __init__(self, slots: int, queue: int, on_idle: Callable[[], None] = lambda: None):
        self.slots, self.queue, self.on_idle = slots, queue, on_idle
        self.running = 0
        self.waiting: deque[asyncio.Future] = deque()

    @asynccontextmanager
    async def slot(self):
        """Hold a slot for the block: at once, after waiting in the queue, or Overloaded."""
        await self._acquire()
        try:
            yield
        finally:
            self._release()

    @property
    def full(self) -> bool:
        """Every slot busy and the queue full: another heavy request would be refused."""
        return self.running >= self.slots and len(self.waiting) >= self.queue

    def check(self) -> None:
        """Raise Overloaded if another heavy request would be refused."""
        if self.full:
            raise Overloaded(self.slots, self.queue)

    async def _acquire(self) -> None:
        if self.running < self.slots and not self.waiting:
            self.running += 1
            return
        self.check()
        turn = asyncio.get_running_loop().create_future()
        self.waiting.append(turn)
        try:
            await turn   # _release hands its slot over by setting the result
        except asyncio.CancelledError:
            if not turn.cancelled():   # the slot was handed over just as the request was cancelled
                self._release()
            elif turn in self.waiting:
                self.waiting.remove(turn)
            raise

    def _release(self) -> None:
        while self.waiting:
            turn = self.waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self.running -= 1
        if self.running == 0:
            self.on_idle()

    def state(self) -> dict[str, int]:
        return {"running": self.running, "waiting": len(self.waiting), "slots": self.slots,
                "queue": self.queue}


@asynccontextmanager
async def heavy_slot(request: Request):
    """A slot of the app's admission for the block; a request whose client left while it waited
    is dropped rather than computed for nobody."""
    async with request.app.state.admission.slot():
        if await request.is_disconnected():
            raise ClientDisconnect
        yield


def heavy(endpoint: Callable | None = None, *, when: Callable[[BaseModel], bool] | None = None):
    """Mark an endpoint as heavy, always or `when` its parsed body says so."""
    def mark(function: Callable) -> Callable:
        setattr(function, HEAVY, when or (lambda body: True))
        return function
    return mark(endpoint) if endpoint is not None else mark
