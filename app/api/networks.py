"""Placeholder for the /api/v1/networks router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/networks", tags=["networks"])
