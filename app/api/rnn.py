"""Placeholder for the /api/v1/rnn router (being written)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1/rnn", tags=["rnn"])
