"""POST /api/v1/cost: rows ordered by P, pass counts, agreeing gradients, and the work limits."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.schemas.cost import MAX_BATCH, MAX_PASSES
from app.settings import Settings, get_settings
from engine.demos.cost import (
    MAX_COST_DEPTH,
    MAX_COST_REPEATS,
    MAX_COST_WIDTH,
    MAX_COST_WIDTHS,
    cost_spec,
)

URL = "/api/v1/cost"


@pytest.fixture(scope="module")
def body(client):
    response = client.post(URL, json={"widths": [16, 2, 8, 4, 8], "depth": 2, "batch": 8,
                                      "seed": 1})
    assert response.status_code == 200
    return response.json()


def test_a_row_per_distinct_width_ordered_by_parameter_count(body):
    assert [row["width"] for row in body["rows"]] == [2, 4, 8, 16]
    counts = [row["parameters"] for row in body["rows"]]
    assert counts == sorted(counts)
    assert counts[0] == 2 * 2 + 2 + 2 * 2 + 2 + 2 + 1  # (2, 2, 2, 1)
    assert body["rows"][0]["layer_sizes"] == [2, 2, 2, 1]
    for row in body["rows"]:
        assert row["parameters"] == cost_spec(row["width"], 2).parameter_count


def test_passes_are_2_p_plus_1_and_2p(body):
    for row in body["rows"]:
        p = row["parameters"]
        assert row["reverse"]["passes"] == 2
        assert row["forward_mode"]["passes"] == p + 1
        assert row["finite_differences"]["passes"] == 2 * p


def test_the_three_gradients_agree(body):
    for row in body["rows"]:
        assert 0.0 <= row["max_abs_difference"] < 1e-6


def test_times_are_positive_and_ratios_are_over_one_forward_pass(body):
    assert body["repeats"] == min(get_settings().cost_timing_repeats, MAX_COST_REPEATS)
    assert (body["depth"], body["batch"]) == (2, 8)
    for row in body["rows"]:
        forward = row["forward_pass_seconds"]
        assert forward > 0
        for method in ("reverse", "forward_mode", "finite_differences"):
            cost = row[method]
            assert cost["seconds"] > 0
            assert cost["ratio"] == pytest.approx(cost["seconds"] / forward)


def test_repeats_are_lowered_to_stay_within_the_pass_limit(client):
    p = cost_spec(32, 2).parameter_count  # 1185: one repeat is 3P + 4 passes
    assert 3 * (3 * p + 4) > MAX_PASSES >= 3 * p + 4
    start = time.perf_counter()
    response = client.post(URL, json={"widths": [32], "depth": 2, "batch": MAX_BATCH})
    assert time.perf_counter() - start < 10  # about 1 s; generous for a loaded machine
    assert response.status_code == 200
    assert response.json()["repeats"] == MAX_PASSES // (3 * p + 4)


def test_configured_repeats_are_used():
    configured = TestClient(create_app(Settings(cost_timing_repeats=1)))
    response = configured.post(URL, json={"widths": [2], "depth": 1, "batch": 1})
    assert response.json()["repeats"] == 1


def test_too_much_work_is_422_naming_the_pass_limit(client):
    response = client.post(URL, json={"widths": [27, 28, 29, 30, 31, 32], "depth": 4})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "widths"] and str(MAX_PASSES) in error["msg"]


@pytest.mark.parametrize(("request_body", "field", "limit"), [
    ({"widths": []}, "widths", "1"),
    ({"widths": list(range(1, MAX_COST_WIDTHS + 2))}, "widths", str(MAX_COST_WIDTHS)),
    ({"widths": [MAX_COST_WIDTH + 1]}, "widths", str(MAX_COST_WIDTH)),
    ({"widths": [0]}, "widths", "1"),
    ({"depth": MAX_COST_DEPTH + 1}, "depth", str(MAX_COST_DEPTH)),
    ({"depth": 0}, "depth", "1"),
    ({"batch": MAX_BATCH + 1}, "batch", str(MAX_BATCH)),
    ({"seed": -1}, "seed", "0"),
])
def test_out_of_bounds_fields_are_422_naming_the_limit(client, request_body, field, limit):
    response = client.post(URL, json=request_body)
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["loc"][:2] == ["body", field] and limit in error["msg"]


def test_unknown_fields_are_refused(client):
    assert client.post(URL, json={"repeats": 100}).status_code == 422
