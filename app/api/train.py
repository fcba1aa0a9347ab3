"""Placeholder for the /api/v1/train router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/train", tags=["train"])
