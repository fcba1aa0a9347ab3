"""Placeholder for the /api/v1/datasets router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets"])
