"""Lesson 8, backprop through time, taken as a learner would in a real Chromium: step back
through the time steps, check that the per-step contributions shown are the API's and add up to
the total shown, which is the API's gradient; move the scale slider; answer the questions."""

from __future__ import annotations

import math

import httpx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

# The widget line in templates/lessons/08-bptt.md, as the requests it makes.
SHORT = {"task": "mean", "steps": 8, "n_hidden": 8, "scale": 1.0, "seed": 0, "loss_at": "last"}
LONG = {**SHORT, "steps": 50}


def bptt(live_server: str, body: dict) -> dict:
    response = httpx.post(f"{live_server}/api/v1/rnn/bptt", json=body)
    response.raise_for_status()
    return response.json()


def value_of(locator) -> float:
    return float(locator.get_attribute("data-value"))


def entry(array, index):
    for i in index:
        array = array[i]
    return array


def open_widget(page, live_server):
    page.goto(f"{live_server}/lessons/bptt")
    widget = page.locator('[data-widget="bptt"]')
    widget.scroll_into_view_if_needed()
    expect(widget.get_by_test_id("bptt-chain")).to_be_visible(timeout=10000)
    expect(widget.get_by_test_id("step-table")).to_be_visible()
    return widget


def chosen_entry(widget) -> tuple[str, list[int]]:
    """The parameter and 0-based index of the entry the menu follows (its value is W_hh:i,j)."""
    param, index = widget.get_by_test_id("entry").input_value().split(":")
    return param, [int(i) for i in index.split(",")]


def shown_contributions(widget) -> dict[int, float]:
    rows = widget.locator("[data-testid=step-table] tbody tr")
    shown = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        cell = row.locator('[data-role="contribution"]')
        shown[int(row.get_attribute("data-step"))] = value_of(cell)
    return shown


def test_per_step_contributions_sum_to_the_apis_total(live_server, page, artifacts):
    data = bptt(live_server, SHORT)
    widget = open_widget(page, live_server)
    param, index = chosen_entry(widget)
    assert param == "W_hh"
    # The menu starts on the W_hh entry with the largest total, the clearest to watch.
    totals = {(i, j): abs(v) for i, row in enumerate(data["grads"]["W_hh"])
              for j, v in enumerate(row)}
    assert tuple(index) == max(totals, key=totals.get)

    # The unrolled chain shows ||dC/dh_t|| for every step, as the API sent it.
    norms = widget.locator(".bc-norm")
    assert [value_of(norms.nth(i)) for i in range(norms.count())] == data["grad_norm_by_step"]

    steps = data["steps"]
    expected = {t: entry(data["step_contributions"][param][t - 1], index)
                for t in range(1, steps + 1)}
    assert shown_contributions(widget) == expected
    total = widget.get_by_test_id("api-total")
    assert value_of(total) == entry(data["grads"][param], index)

    # Back through time, one step at a time: each step adds its contribution to the sum.
    title = widget.get_by_test_id("step-title")
    running = 0.0
    for t in range(steps, 0, -1):
        widget.get_by_test_id("step-next").click()
        expect(title).to_contain_text(f"Step {t}:")
        row = widget.locator(f'[data-testid=step-table] tr[data-step="{t}"]')
        expect(row).to_have_class("reached current")
        running += expected[t]
        assert math.isclose(value_of(row.locator('[data-role="running"]')), running, rel_tol=1e-12,
                            abs_tol=1e-15)
        assert widget.locator(".bc-box.hidden.current").get_attribute("data-step") == str(t)
    expect(title).to_contain_text(f"All {steps} steps are in")
    assert expected[1] == 0.0  # h_0 = 0: the first step sends nothing back to W_hh

    steps_sum = value_of(widget.get_by_test_id("steps-sum"))
    assert math.isclose(steps_sum, sum(shown_contributions(widget).values()), rel_tol=1e-12)
    assert math.isclose(steps_sum, value_of(total), rel_tol=1e-9, abs_tol=1e-15)
    assert widget.get_by_test_id("steps-sum").inner_text() == total.inner_text()
    page.screenshot(path=str(artifacts / "lesson-8-bptt.png"), full_page=True)

    # Another shared weight: W_xh's entries add up the same way.
    widget.get_by_test_id("entry").select_option("W_xh:2,0")
    expected = [entry(c, [2, 0]) for c in data["step_contributions"]["W_xh"]]
    assert shown_contributions(widget) == dict(enumerate(expected, start=1))
    assert value_of(widget.get_by_test_id("api-total")) == data["grads"]["W_xh"][2][0]
    assert math.isclose(value_of(widget.get_by_test_id("steps-sum")), sum(expected), rel_tol=1e-9)
    assert page.problems == []


def test_scale_slider_shows_vanishing_for_short_and_long_sequences(live_server, page):
    widget = open_widget(page, live_server)
    long_at_one = bptt(live_server, LONG)
    summary = widget.get_by_test_id("norm-summary")
    expect(summary).to_contain_text("Long (T = 50)")

    norms = widget.locator(".bc-norm")
    before = norms.first.get_attribute("data-value")
    slider = widget.get_by_test_id("scale")
    slider.fill("0.5")
    expect(widget.get_by_test_id("scale-value")).to_have_text("0.50")
    short = bptt(live_server, {**SHORT, "scale": 0.5})
    long = bptt(live_server, {**LONG, "scale": 0.5})
    expect(norms.first).not_to_have_attribute("data-value", before)
    assert [value_of(norms.nth(i)) for i in range(norms.count())] == short["grad_norm_by_step"]
    assert not short["diverged"] and not long["diverged"]
    expect(widget.get_by_test_id("diverged")).to_be_hidden()
    # Vanishing: at scale 0.5 the first step of the long sequence gets far less than at scale 1.
    assert long["grad_norm_by_step"][0] < 1e-6 * long_at_one["grad_norm_by_step"][0]
    assert value_of(widget.get_by_test_id("api-total")) == entry(
        short["grads"][chosen_entry(widget)[0]], chosen_entry(widget)[1])
    assert page.problems == []


def test_a_diverged_run_is_flagged_and_its_nulls_shown_as_overflow(live_server, page):
    # A target of 1e300 overflows the loss: a real API response with diverged true and nulls.
    diverged = bptt(live_server, {"inputs": [[0.5]] * 4, "targets": [1e300], "n_hidden": 3,
                                  "scale": 1.5})
    assert diverged["diverged"] and diverged["loss"] is None
    page.route("**/api/v1/rnn/bptt", lambda route: route.fulfill(json=diverged))
    widget = open_widget(page, live_server)
    expect(widget.get_by_test_id("diverged")).to_contain_text("Diverged")
    expect(widget.get_by_test_id("diverged")).to_contain_text('shown as "overflow"')
    norms = widget.locator(".bc-norm")
    assert [norms.nth(i).text_content() for i in range(norms.count())] == ["overflow"] * 4
    expect(widget.get_by_test_id("step-title")).to_contain_text("C = overflow")
    expect(widget.get_by_test_id("norm-summary")).to_contain_text("overflow")
    assert page.problems == []


def test_questions_give_feedback_right_and_wrong(live_server, page):
    page.goto(f"{live_server}/lessons/bptt")
    question = page.locator("#q-bptt-sum")
    question.scroll_into_view_if_needed()
    question.locator('input[value="0"]').check()  # the last step only: wrong
    question.get_by_role("button", name="Check").click()
    expect(question).to_have_attribute("data-state", "wrong")
    expect(question.locator('.question-option-hint[data-option="0"]')).to_be_visible()
    expect(question.locator(".question-explanation")).to_be_hidden()

    question.locator('input[value="1"]').check()  # the sum of the T contributions: right
    question.get_by_role("button", name="Check").click()
    expect(question).to_have_attribute("data-state", "right")
    expect(question.locator(".question-verdict")).to_contain_text("Right")
    assert page.problems == []
