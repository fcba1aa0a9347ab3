"""Shared fixtures for the API tests."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client of a fresh app with the default settings."""
    return TestClient(create_app())
