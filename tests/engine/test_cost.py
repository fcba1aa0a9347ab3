"""The cost comparison: pass counts, agreeing gradients, growth of time with P, and its limits."""

from __future__ import annotations

import json

import pytest

from engine.demos import cost
from engine.demos.cost import compare_costs
from engine.networks.spec import SpecError


@pytest.fixture(scope="module")
def rows():
    return compare_costs(widths=(16, 2, 8), depth=2, batch=8, seed=1, repeats=5)


def test_rows_are_ordered_by_parameter_count(rows):
    assert [row.width for row in rows] == [2, 8, 16]
    counts = [row.parameters for row in rows]
    assert counts == sorted(counts) and len(set(counts)) == 3
    assert rows[0].layer_sizes == (2, 2, 2, 1)
    assert counts[0] == 2 * 2 + 2 + 2 * 2 + 2 + 2 + 1


def test_pass_counts(rows):
    for row in rows:
        p = row.parameters
        assert (row.reverse.passes, row.forward_mode.passes, row.finite_differences.passes) == (
            2, p + 1, 2 * p)


def test_the_three_gradients_agree(rows):
    for row in rows:
        assert row.max_abs_difference < 1e-6


def test_ratios_are_times_over_one_forward_pass(rows):
    for row in rows:
        assert row.forward_pass_seconds > 0
        for method in (row.reverse, row.forward_mode, row.finite_differences):
            assert method.seconds > 0
            assert method.ratio == pytest.approx(method.seconds / row.forward_pass_seconds)


def test_finite_differences_grow_faster_than_reverse_mode(rows):
    small, large = rows[0], rows[-1]
    assert large.parameters / small.parameters > 20
    finite_growth = large.finite_differences.seconds / small.finite_differences.seconds
    reverse_growth = large.reverse.seconds / small.reverse.seconds
    assert finite_growth > 3 * reverse_growth
    assert large.finite_differences.ratio > 5 * large.reverse.ratio


def test_to_dict_is_json(rows):
    data = json.loads(json.dumps([row.to_dict() for row in rows], allow_nan=False))
    assert data[0]["layer_sizes"] == [2, 2, 2, 1]
    assert data[-1]["finite_differences"]["passes"] == 2 * rows[-1].parameters
    assert set(data[0]["reverse"]) == {"passes", "seconds", "ratio"}


@pytest.mark.parametrize("kwargs, field", [
    ({"widths": ()}, "widths"),
    ({"widths": "48"}, "widths"),
    ({"widths": (1, 2, 3, 4, 5, 6, 7)}, "widths"),
    ({"widths": (0, 4)}, "widths"),
    ({"widths": (cost.MAX_COST_WIDTH + 1,)}, "widths"),
    ({"widths": (2.5,)}, "widths"),
    ({"widths": (32,), "depth": 3}, "widths"),
    ({"widths": (27, 28, 29, 30, 31, 32), "repeats": 5}, "widths"),
    ({"depth": 0}, "depth"),
    ({"depth": cost.MAX_COST_DEPTH + 1}, "depth"),
    ({"batch": 0}, "batch"),
    ({"batch": cost.MAX_COST_BATCH + 1}, "batch"),
    ({"batch": 4.0}, "batch"),
    ({"repeats": 0}, "repeats"),
    ({"repeats": cost.MAX_COST_REPEATS + 1}, "repeats"),
    ({"seed": -1}, "seed"),
])
def test_limits(kwargs, field):
    with pytest.raises(SpecError) as error:
        compare_costs(**kwargs)
    assert error.value.field == field
