"""Placeholder for the /api/v1/cost router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/cost", tags=["cost"])
