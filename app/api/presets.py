"""Placeholder for the /api/v1/presets router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/presets", tags=["presets"])
