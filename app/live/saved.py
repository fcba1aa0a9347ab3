"""Saved states behind a short link (/s/<id>): a playground state too large for a URL (custom
data, hand-edited weights) kept by its content's hash. In SQLite under the data directory by
default, in Redis when several workers or machines must all find it. Each is kept for
`saved_days` after it was last opened, and at most `saved_max_count` of them (the least
recently opened go first)."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from starlette.concurrency import run_in_threadpool

DAY = 86400.0


class SqliteSaved:
    """Saved states in one SQLite file, `saved.sqlite3` in the data directory (created)."""

    def __init__(self, data_dir: str, max_count: int, days: float):
        directory = Path(data_dir)
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "saved.sqlite3"
        self.max_count, self.keep = max_count, days * DAY
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS saved (id TEXT PRIMARY KEY, state BLOB NOT "
                       "NULL, used REAL NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS saved_used ON saved (used)")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5)
        db.execute("PRAGMA journal_mode=WAL")   # readers never wait for a writer
        return db

    def _save(self, key: str, state: bytes) -> None:
        now = time.time()
        with self._connect() as db:
            db.execute("INSERT INTO saved VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                       "used = excluded.used", (key, state, now))
            db.execute("DELETE FROM saved WHERE used < ?", (now - self.keep,))
            db.execute("DELETE FROM saved WHERE id IN (SELECT id FROM saved ORDER BY used DESC "
                       "LIMIT -1 OFFSET ?)", (self.max_count,))

    def _load(self, key: str) -> bytes | None:
        now = time.time()
        with self._connect() as db:
            row = db.execute("SELECT state FROM saved WHERE id = ? AND used >= ?",
                             (key, now - self.keep)).fetchone()
            if row is not None:
                db.execute("UPDATE saved SET used = ? WHERE id = ?", (now, key))
        return bytes(row[0]) if row else None

    async def save(self, key: str, state: bytes) -> None:
        await run_in_threadpool(self._save, key, state)

    async def load(self, key: str) -> bytes | None:
        return await run_in_threadpool(self._load, key)


class RedisSaved:
    """Saved states as Redis keys that expire `saved_days` after they were last opened."""

    def __init__(self, redis, days: float):
        self.redis, self.keep = redis, int(days * DAY)

    async def save(self, key: str, state: bytes) -> None:
        await self.redis.set(f"saved:{key}", state, ex=self.keep)

    async def load(self, key: str) -> bytes | None:
        return await self.redis.getex(f"saved:{key}", ex=self.keep)
