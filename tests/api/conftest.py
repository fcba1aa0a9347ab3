"""Shared fixtures for the API tests."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from engine.learning.optimizers import OPTIMIZERS
from engine.learning.optimizers.base import Hyperparameter, Optimizer, Quantity, register


@pytest.fixture(scope="module")
def client() -> TestClient:
    """A client of a fresh app with the default settings."""
    return TestClient(create_app())


@pytest.fixture
def sign_sgd():
    """θ ← θ − η sign(g), registered for one test."""
    register(Optimizer("sign_sgd", "sign SGD", (Hyperparameter("scale", "scale", 1.0),), (),
                       (Quantity("sign", "sign of g", r"\operatorname{sign} g"),),
                       lambda p, g, state, t, lr, hyper, record: (
                           p - lr * hyper["scale"] * np.sign(g), {}, {"sign": np.sign(g)})))
    yield
    del OPTIMIZERS["sign_sgd"]
