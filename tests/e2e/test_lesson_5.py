"""Lesson 5 in a real Chromium, taken as a learner would: per-sample gradients and their mean in
the embedded playground, the two update orders' weights equal to the API's (the same in the output
layer, different in layer 1), questions answered wrong and right, progress kept and reset."""

from __future__ import annotations

import pytest

from tests.e2e.lesson_page import settle, track_requests

pytestmark = pytest.mark.e2e

URL = "/lessons/batches-and-order"
ORDERS = '.lesson-widget[data-widget="orders"]'
PLAYGROUND = '.lesson-widget[data-widget="playground"]'


def xor_batch(page, live_server) -> tuple[dict, dict]:
    """The xor preset and its first four points, drawn as the lesson draws them."""
    (preset,) = [p for p in page.request.get(f"{live_server}/api/v1/presets").json()
                 if p["name"] == "xor"]
    ref = preset["data"]["dataset"]
    data = page.request.post(f"{live_server}/api/v1/datasets/{ref['name']}", data={
        "samples": ref["samples"], "noise": ref["noise"], "seed": ref["seed"]}).json()
    return preset, {"inputs": data["inputs"][:4], "targets": data["targets"][:4]}


def iteration(page, live_server, preset, batch, **changes) -> dict:
    body = {"network": preset["network"], "seed": preset["seed"], **batch, **changes}
    return page.request.post(f"{live_server}/api/v1/iterations", data=body).json()


def shown_matrix(page, testid: str, layer: int) -> list[list[float]]:
    return page.locator(f'{ORDERS} [data-testid="{testid}"][data-layer="{layer}"]').evaluate(
        "table => [...table.rows].map(row => [...row.cells].map(c => Number(c.dataset.value)))")


def test_both_orders_show_the_apis_weights(live_server, page, artifacts):
    page.goto(f"{live_server}{URL}")
    widget = page.locator(ORDERS)
    widget.scroll_into_view_if_needed()
    page.wait_for_selector(f'{ORDERS}[data-state="ready"]', timeout=15000)
    preset, batch = xor_batch(page, live_server)

    def check(rate: float) -> float:
        traces = {order: iteration(page, live_server, preset, batch, learning_rate=rate,
                                   update_order=order) for order in ("after_backward", "eager")}
        for order, trace in traces.items():
            for layer, weights in enumerate(trace["params_after"]["weights"], start=1):
                assert shown_matrix(page, f"weights-{order}", layer) == weights
            after = iteration(page, live_server, preset, batch, learning_rate=rate,
                              params=trace["params_after"])
            shown = widget.locator(f'[data-testid="loss-after-{order}"]')
            assert float(shown.get_attribute("data-value")) == after["loss"]
        correct, eager = (traces[o]["params_after"]["weights"] for o in ("after_backward", "eager"))
        assert correct[1] == eager[1], "the output layer moves the same in both orders"
        assert correct[0] != eager[0], "layer 1 differs"
        difference = shown_matrix(page, "weights-difference", 1)
        assert all(v == 0 for row in shown_matrix(page, "weights-difference", 2) for v in row)
        return max(abs(v) for row in difference for v in row)

    small = check(0.5)
    widget.screenshot(path=str(artifacts / "lesson-5-orders.png"))
    widget.get_by_label("Learning rate η").select_option("2")
    page.wait_for_function("() => document.querySelector('.orders-controls + .widget-status')"
                           ".textContent.startsWith('η = 2:')")
    assert check(2.0) > small
    assert page.problems == []


def test_per_sample_gradients_and_their_mean_in_the_playground(live_server, page):
    page.goto(f"{live_server}{URL}")
    page.locator(PLAYGROUND).scroll_into_view_if_needed()
    page.wait_for_selector(f'{PLAYGROUND}[data-state="ready"]', timeout=20000)
    frame = page.locator(f"{PLAYGROUND} .playground-embed").first
    assert frame.locator('[data-testid="stage-label"]').inner_text() == "Backward, layer 1"
    weight = frame.locator('[data-weight="2-0-0"]')
    weight.focus()
    weight.press("Enter")
    gradient = frame.locator('[data-testid="inspector-gradient"]')
    gradient.wait_for()
    preset, batch = xor_batch(page, live_server)
    trace = iteration(page, live_server, preset, batch, learning_rate=preset["learning_rate"])
    backward = next(s for s in trace["stages"] if s["phase"] == "backward" and s["layer"] == 2)
    assert float(gradient.get_attribute("data-value")) == backward["grad_weights"][0][0]
    assert frame.locator(".per-sample tbody tr").count() == 4
    assert page.problems == []


def test_questions_feedback_progress_and_reset(live_server, page):
    pending = track_requests(page)
    page.goto(f"{live_server}{URL}")
    form = page.locator("#q-l5-mean")
    form.locator('input[value="0"]').check()
    form.get_by_role("button", name="Check").click()
    assert form.get_attribute("data-state") == "wrong"
    assert form.locator('.question-option-hint[data-option="0"]').is_visible()
    assert form.locator(".question-explanation").is_hidden()
    form.locator('input[value="1"]').check()
    form.get_by_role("button", name="Check").click()
    assert form.get_attribute("data-state") == "right"
    progress = page.locator("[data-progress]")
    assert progress.inner_text() == "1 of 3 questions answered right."
    settle(page, pending)
    page.reload()
    assert page.locator("#q-l5-mean").get_attribute("data-state") == "right"
    assert progress.inner_text() == "1 of 3 questions answered right."
    page.get_by_role("button", name="Reset progress").click()
    settle(page, pending)
    page.reload()
    assert progress.inner_text() == "Not started."
    assert page.locator("#q-l5-mean").get_attribute("data-state") is None
    assert page.problems == []
