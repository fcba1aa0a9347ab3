"""Live sessions in Redis, for several workers or machines: every worker reads and writes the
same keys, and every session's messages go through one Redis pub/sub channel, which each worker
holding a connection to that session subscribes to. A worker can die: the session is in Redis,
and its students reconnect to another worker and resume at the current state.

Keys (all expire `ttl` after the session was last touched):
  live:{code}            hash: title, token_hash, poll (the latest poll's number), seq, state
  live:{code}:polls      list of polls (JSON), the first is poll 1
  live:{code}:a:{n}      hash of poll n's answers, by student
  live:{code}:students   sorted set of students, by when a worker last said they were connected
                         (it expires once none has been seen for a while)
  live:{code}:names      hash of their display names, by student (expires likewise)
  live:sessions          sorted set of codes, by when they expire (counts the live sessions)
A message on channel live:{code} is one byte of audience ("a" everyone, "t" the teacher) and
its JSON. Sequence numbers are given, stored and published in one script, so the channel
carries states in the order of their numbers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

import redis.asyncio as redis

from app.live.memory import STUDENT_FRESH
from app.live.store import Audience, Created, Handler, Store, state_message

logger = logging.getLogger("app.live")
SESSIONS = "live:sessions"
IDLE_CHANNEL = "live:_"     # subscribed from the start, so the listener always has a channel
TOUCH_EVERY = 30.0          # seconds: a worker refreshes a session's expiry at most this often
POOL = 32                   # Redis connections per worker

CREATE = """
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then return 'taken' end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 'full' end
redis.call('HSET', KEYS[1], 'seq', '0', 'state', '{}', unpack(ARGV, 5))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[1]) + tonumber(ARGV[2]) / 1000, ARGV[4])
return 'ok'
"""
PUT_STATE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[1], 'state', ARGV[1])
redis.call('PUBLISH', KEYS[1], 'a{"type":"state","seq":' .. seq .. ',"state":' .. ARGV[1] .. '}')
return seq
"""
TOUCH = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local polls = tonumber(redis.call('HGET', KEYS[1], 'poll') or '0')
for _, key in ipairs({KEYS[1], KEYS[1] .. ':polls'}) do
  redis.call('PEXPIRE', key, ARGV[1])
end
for n = 1, polls do redis.call('PEXPIRE', KEYS[1] .. ':a:' .. n, ARGV[1]) end
redis.call('ZADD', KEYS[2], tonumber(ARGV[2]) + tonumber(ARGV[1]) / 1000, ARGV[3])
return 1
"""


class RedisStore(Store):
    def __init__(self, url: str):
        # Connections are shared by every request and socket of the worker; past POOL in use,
        # a command waits for one (a class of 100 connecting at once) rather than failing.
        pool = redis.BlockingConnectionPool.from_url(url, max_connections=POOL, timeout=10,
                                                     health_check_interval=30)
        self.redis = redis.Redis(connection_pool=pool)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.handlers: dict[str, list[Handler]] = {}
        self.touched: dict[str, float] = {}
        self.listener: asyncio.Task | None = None
        self.create_script = self.redis.register_script(CREATE)
        self.put_script = self.redis.register_script(PUT_STATE)
        self.touch_script = self.redis.register_script(TOUCH)

    async def _touch(self, code: str, ttl: float, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.touched.get(code, 0.0) < TOUCH_EVERY:
            return
        self.touched[code] = now
        await self.touch_script(keys=[f"live:{code}", SESSIONS],
                                args=[int(ttl * 1000), time.time(), code])

    async def create_session(self, code, record, max_sessions, ttl):
        pairs = [item for pair in record.items() for item in pair]
        made = await self.create_script(keys=[f"live:{code}", SESSIONS],
                                        args=[time.time(), int(ttl * 1000), max_sessions, code,
                                              *pairs])
        return Created(made.decode() if isinstance(made, bytes) else made)

    async def session(self, code):
        found = await self.redis.hgetall(f"live:{code}")
        if not found:
            return None
        return {key.decode(): (value if key == b"state" else value.decode())
                for key, value in found.items()}

    async def put_state(self, code, state, ttl):
        seq = await self.put_script(keys=[f"live:{code}"], args=[state])
        if seq < 0:
            return None
        await self._touch(code, ttl)
        return seq

    async def set_fields(self, code, fields, ttl):
        if fields:
            await self.redis.hset(f"live:{code}", mapping=fields)
        await self._touch(code, ttl, force=bool(fields))

    async def end_session(self, code):
        keys = [f"live:{code}", f"live:{code}:polls", f"live:{code}:students",
                f"live:{code}:names"]
        polls = int(await self.redis.hget(f"live:{code}", "poll") or 0)
        keys += [f"live:{code}:a:{n}" for n in range(1, polls + 1)]
        async with self.redis.pipeline() as pipe:
            pipe.delete(*keys).zrem(SESSIONS, code)
            pipe.publish(f"live:{code}", b'a{"type":"ended","reason":"ended"}')
            await pipe.execute()

    async def session_count(self):
        return await self.redis.zcount(SESSIONS, time.time(), "+inf")

    async def add_poll(self, code, poll):
        return await self.redis.rpush(f"live:{code}:polls", poll)

    async def replace_poll(self, code, number, poll):
        await self.redis.lset(f"live:{code}:polls", number - 1, poll)

    async def polls(self, code):
        return await self.redis.lrange(f"live:{code}:polls", 0, -1)

    async def answer(self, code, number, student, value, ttl):
        key = f"live:{code}:a:{number}"
        async with self.redis.pipeline(transaction=False) as pipe:
            await pipe.hset(key, student, value).pexpire(key, int(ttl * 1000)).execute()

    async def answers(self, code, number):
        return await self.redis.hvals(f"live:{code}:a:{number}")

    async def seen(self, code, students):
        if students:
            key = f"live:{code}:students"
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.zadd(key, dict.fromkeys(students, time.time()))
                await pipe.expire(key, int(2 * STUDENT_FRESH)).execute()

    async def left(self, code, student):
        await self.redis.zrem(f"live:{code}:students", student)

    async def set_name(self, code, student, name):
        key = f"live:{code}:names"
        async with self.redis.pipeline(transaction=False) as pipe:
            await pipe.hset(key, student, name).expire(key, int(2 * STUDENT_FRESH)).execute()

    async def names(self, code, limit):
        fresh = time.time() - STUDENT_FRESH
        latest = await self.redis.zrevrangebyscore(f"live:{code}:students", "+inf", fresh,
                                                   start=0, num=4 * limit)
        if not latest:
            return []
        found = await self.redis.hmget(f"live:{code}:names", latest)
        return [name.decode() for name in found if name][:limit]

    async def student_count(self, code):
        key = f"live:{code}:students"
        fresh = time.time() - STUDENT_FRESH
        await self.redis.zremrangebyscore(key, "-inf", fresh)
        return await self.redis.zcard(key)

    async def publish(self, code, audience, message):
        await self.redis.publish(f"live:{code}", audience.value.encode() + message)

    async def subscribe(self, code, handler):
        handlers = self.handlers.setdefault(code, [])
        handlers.append(handler)
        if len(handlers) == 1:
            await self._start()
            await self.pubsub.subscribe(f"live:{code}")

    async def unsubscribe(self, code, handler):
        handlers = self.handlers.get(code, [])
        if handler in handlers:
            handlers.remove(handler)
        if not handlers and code in self.handlers:
            del self.handlers[code]
            await self.pubsub.unsubscribe(f"live:{code}")

    async def _start(self) -> None:
        if self.listener is None:
            await self.pubsub.subscribe(IDLE_CHANNEL)
            self.listener = asyncio.create_task(self._listen())

    async def _listen(self) -> None:
        """Hand each message to the session's handlers; after a lost connection (redis-py
        reconnects and subscribes again), send every session's current state, since messages
        may have been missed."""
        while True:
            try:
                async for message in self.pubsub.listen():
                    if message["type"] == "message":
                        self._dispatch(message["channel"].decode(), message["data"])
            except (redis.ConnectionError, redis.TimeoutError, OSError) as error:
                logger.warning("live sessions lost Redis (%s); reconnecting", error)
                await asyncio.sleep(0.5)
                with contextlib.suppress(Exception):
                    await self._resend_states()

    def _dispatch(self, channel: str, data: bytes) -> None:
        code = channel.removeprefix("live:")
        audience = Audience(chr(data[0]))
        for handler in list(self.handlers.get(code, ())):
            handler(code, audience, data[1:])

    async def _resend_states(self) -> None:
        for code in list(self.handlers):
            found = await self.session(code)
            if found is not None:
                message = state_message(int(found["seq"]), found["state"])
                self._dispatch(f"live:{code}", b"a" + message)

    async def close(self):
        if self.listener is not None:
            self.listener.cancel()
        with contextlib.suppress(Exception):
            await self.pubsub.aclose()
        await self.redis.aclose()
