"""Server settings, read once from BACKPROP_* environment variables with safe defaults."""

from __future__ import annotations

from functools import lru_cache

from fastapi import Request
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What an operator can change without touching code."""

    model_config = SettingsConfigDict(env_prefix="BACKPROP_")

    max_body_bytes: int = Field(2_000_000, ge=1024, description="Larger request bodies get 413.")
    cors_origins: list[str] = Field(default_factory=list,
                                    description="Origins allowed by CORS; empty turns CORS off.")
    frame_ancestors: list[str] = Field(
        default_factory=lambda: ["'self'"],
        description="Who may embed the pages in a frame (CSP frame-ancestors), e.g. "
                    "[\"'self'\", \"https://course.example.org\"] for lessons on another site.")
    gzip_minimum_bytes: int = Field(1000, ge=0, description="Responses above this are gzipped.")
    # ISA-L levels 0-3 (app/compression.py). Level 1 compresses a 70 kB trace to 31 kB in 0.3 ms,
    # as small as zlib's level 1 and four times as fast; zlib's level 9 saved 7% more bytes for
    # ten times the time, which on two cores costs more throughput than it saves on a local network.
    gzip_level: int = Field(1, ge=0, le=3, description="gzip (ISA-L) compression level, 0-3.")
    cost_timing_repeats: int = Field(3, ge=1, le=10,
                                     description="Timing repeats for /api/v1/cost rows.")
    # Admission control (app/admission.py), per worker. A worker computes in one process, so
    # more heavy requests at once than it has cores to spare only share them more thinly.
    heavy_slots: int = Field(1, ge=1, le=64,
                             description="Heavy requests (training, gradient checks, large "
                                         "iterations...) computed at once per worker.")
    heavy_queue: int = Field(8, ge=0, le=1024,
                             description="Heavy requests waiting per worker; past it, 503.")
    # The HTTP layer (app/protocol.py), per worker; app.serve runs it. A browser's head is about
    # 0.5 to 2 kB with a few cookies; nginx allows 4 x 8 kB by default.
    max_header_bytes: int = Field(32_768, ge=1024, le=1_048_576,
                                  description="Request line and headers together; past it, 431.")
    max_headers: int = Field(100, ge=8, le=1000, description="Header lines; past it, 431.")
    header_timeout: float = Field(10.0, gt=0, le=300,
                                  description="Seconds for a request's head to arrive; then 408.")
    body_timeout: float = Field(30.0, gt=0, le=600,
                                description="Seconds for a request's body to arrive; then 408.")
    send_timeout: float = Field(30.0, gt=0, le=600,
                                description="Seconds a response may wait for the client to read "
                                            "it; then the connection is closed.")
    keep_alive_timeout: float = Field(5.0, gt=0, le=300,
                                      description="Seconds an idle keep-alive connection stays.")
    # Live sessions' WebSockets count here too: one worker alone must hold a class of 500.
    max_connections: int = Field(1024, ge=1, le=100_000,
                                 description="Open connections per worker (WebSockets "
                                             "included); past it, 503.")
    connection_requests: int = Field(1000, ge=1,
                                     description="Requests one connection serves before it closes.")
    connection_seconds: float = Field(60.0, gt=0,
                                      description="Seconds after which a connection closes once "
                                                  "its current request is answered.")
    linger_seconds: float = Field(5.0, ge=0, le=60,
                                  description="Seconds a refused request's remaining bytes are "
                                              "read and dropped so the client sees the answer.")

    # Live sessions and saved states (app/live/). Without a Redis URL they live in this process
    # (saved states in SQLite under data_dir); with one, in Redis, shared by every worker.
    redis_url: str = Field("", description="Redis for live sessions and saved states shared "
                                           "by several workers or machines, e.g. "
                                           "redis://localhost:6379/0; empty: this process.")
    data_dir: str = Field("data", description="Where saved states are kept (SQLite) without "
                                              "Redis; created on start.")
    public_url: str = Field("", description="The address students open, for join links and QR "
                                            "codes (e.g. http://192.168.1.20:8000); empty: the "
                                            "address the teacher's browser used.")
    workers: int = Field(1, ge=1, description="Worker processes serving this app (app.serve sets "
                                              "it); live sessions need Redis past 1.")
    live_max_sessions: int = Field(200, ge=1, le=100_000, description="Live sessions at once.")
    live_max_students: int = Field(500, ge=1, le=10_000,
                                   description="Students connected to one session at once.")
    live_idle_seconds: float = Field(3 * 3600, ge=10, le=7 * 86400,
                                     description="A session nobody steps, polls or answers in "
                                                 "for this long ends.")
    live_message_bytes: int = Field(2048, ge=256, le=65536,
                                    description="Largest message a client may send over a "
                                                "session's WebSocket.")
    live_answer_rate: float = Field(2.0, gt=0, le=100,
                                    description="Messages a second one connection may send "
                                                "(bursts of 5 more).")
    live_queue: int = Field(64, ge=4, le=4096,
                            description="Messages waiting for one slow connection; past it, "
                                        "it is sent the latest state instead.")
    live_max_polls: int = Field(200, ge=1, le=10_000, description="Polls in one session.")
    saved_max_bytes: int = Field(1_000_000, ge=1024, le=2_000_000,
                                 description="Largest saved state, as JSON.")
    saved_max_count: int = Field(5000, ge=10, le=10_000_000,
                                 description="Saved states kept; past it the least recently "
                                             "opened goes.")
    saved_days: float = Field(180, gt=0, le=3650,
                              description="Days a saved state is kept after it was last opened.")


@lru_cache
def get_settings() -> Settings:
    return Settings()


def app_settings(request: Request) -> Settings:
    """The settings the serving app was created with (a dependency for routes)."""
    return request.app.state.settings
