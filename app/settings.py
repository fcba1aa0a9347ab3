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


@lru_cache
def get_settings() -> Settings:
    return Settings()


def app_settings(request: Request) -> Settings:
    """The settings the serving app was created with (a dependency for routes)."""
    return request.app.state.settings
