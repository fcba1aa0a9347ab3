"""Placeholder for the /api/v1/expressions router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/expressions", tags=["expressions"])
