"""Placeholder for the /api/v1/gradcheck router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/gradcheck", tags=["gradcheck"])
