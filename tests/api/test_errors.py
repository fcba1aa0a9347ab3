"""Engine errors as 422s: a DatasetError is addressed by its field, or when it has none by the
parameter its message starts with, else by 'dataset'."""

from __future__ import annotations

import asyncio
import json

import pytest

from app.errors import ENGINE_ERRORS, engine_error
from engine.data import datasets
from engine.data.datasets import DatasetError


def detail_of(error: Exception) -> dict:
    response = asyncio.run(engine_error(None, error))
    assert response.status_code == 422
    (item,) = json.loads(response.body)["detail"]
    return item


def raised_by(call) -> DatasetError:
    with pytest.raises(DatasetError) as info:
        call()
    return info.value


def test_dataset_error_is_an_engine_error():
    assert DatasetError in ENGINE_ERRORS


@pytest.mark.parametrize("call, loc", [
    (lambda: datasets.generate("xor", samples=3), ["body", "samples"]),
    (lambda: datasets.generate("xor", noise=2.0), ["body", "noise"]),
    (lambda: datasets.generate("xor", seed=-1), ["body", "seed"]),
    (lambda: datasets.split([[0.0]], [[0.0]], test_fraction=0.95), ["body", "test_fraction"]),
    (lambda: datasets.generate("swirl"), ["body", "name"]),
    (lambda: datasets.split([[0.0]], [[0.0], [1.0]]), ["body", "targets"]),
])
def test_dataset_errors_name_their_parameter(call, loc):
    error = raised_by(call)
    item = detail_of(error)
    assert item["loc"] == loc
    assert item["msg"] == str(error) and item["type"] == "value_error"
