"""Lesson 1 in a real Chromium, taken as a learner would: the hand formula's numbers, the engine's
backward pass stepped to the same numbers, both equal to the API's; questions answered wrong and
right; progress kept across a reload and reset; the present view moved with the keyboard."""

from __future__ import annotations

import pytest

from tests.e2e.lesson_page import settle, track_requests

pytestmark = pytest.mark.e2e

URL = "/lessons/why-backprop"
WIDGET = '.lesson-widget[data-widget="logistic"]'


def values(page, testid: str) -> list[float]:
    return [float(v) for v in page.locator(f'{WIDGET} [data-testid="{testid}"]')
            .evaluate_all("cells => cells.map(c => c.dataset.value)")]


def api_numbers(page, live_server) -> dict:
    """The first six points of the logistic-regression preset and POST /api/v1/logistic for them."""
    (preset,) = [p for p in page.request.get(f"{live_server}/api/v1/presets").json()
                 if p["name"] == "logistic-regression"]
    ref = preset["data"]["dataset"]
    data = page.request.post(f"{live_server}/api/v1/datasets/{ref['name']}", data={
        "samples": ref["samples"], "noise": ref["noise"], "seed": ref["seed"]}).json()
    return page.request.post(f"{live_server}/api/v1/logistic", data={
        "seed": preset["seed"], "inputs": data["inputs"][:6],
        "targets": data["targets"][:6]}).json()


def test_hand_formula_and_backward_pass_show_the_apis_numbers(live_server, page, artifacts):
    page.goto(f"{live_server}{URL}")
    widget = page.locator(WIDGET)
    widget.scroll_into_view_if_needed()
    page.wait_for_selector(f'{WIDGET}[data-state="ready"]', timeout=15000)
    expected = api_numbers(page, live_server)
    hand, backward = expected["hand"], expected["backward"]

    assert values(page, "hand-grad") == [*hand["grad_weights"][0], *hand["grad_bias"]]
    assert values(page, "hand-p") == hand["probabilities"]
    assert values(page, "engine-grad") == []  # not reached yet
    next_button = widget.get_by_role("button", name="Next ▶")
    next_button.click()
    assert values(page, "engine-a") == pytest.approx(hand["probabilities"], rel=1e-13)
    assert values(page, "engine-grad") == []
    next_button.click()
    next_button.click()
    engine = values(page, "engine-grad")
    assert engine == [*backward["grad_weights"][0], *backward["grad_biases"]]
    assert engine == pytest.approx(values(page, "hand-grad"), rel=1e-12)
    assert values(page, "engine-delta") == pytest.approx(
        [e / 6 for e in hand["errors"]], rel=1e-12)
    assert widget.locator(".logistic-verdict").get_attribute("data-agree") == "true"
    widget.screenshot(path=str(artifacts / "lesson-1-logistic.png"))

    widget.get_by_role("button", name="◀ Previous").click()
    assert values(page, "engine-grad") == []
    link = page.locator(".lesson-widget-frame", has=widget).locator(".playground-link")
    assert "net=2-1" in link.get_attribute("href") and "params=" in link.get_attribute("href")

    first = values(page, "hand-grad")
    widget.get_by_role("button", name="Other starting weights").click()
    page.wait_for_function(
        "(first) => document.querySelector('[data-testid=\"hand-grad\"]').dataset.value !== first",
        arg=str(first[0]))
    for _ in range(3):
        next_button.click()
    assert values(page, "engine-grad") == pytest.approx(values(page, "hand-grad"), rel=1e-12)
    assert page.problems == []


def test_hidden_layer_playground_loads(live_server, page):
    page.goto(f"{live_server}{URL}")
    widget = page.locator('.lesson-widget[data-widget="playground"]')
    widget.scroll_into_view_if_needed()
    page.wait_for_selector('.lesson-widget[data-widget="playground"][data-state="ready"]',
                           timeout=20000)
    frame = page.locator('.lesson-widget[data-widget="playground"] .playground-embed').first
    frame.locator('[data-testid="stage-label"]').wait_for(timeout=15000)
    assert frame.locator('[data-control="train"]').is_hidden()
    frame.get_by_role("button", name="Next step").click()
    assert frame.locator('[data-testid="stage-label"]').inner_text() == "Forward, layer 2"
    assert page.problems == []


def answer(page, qid: str, option: int) -> str:
    form = page.locator(f"#{qid}")
    form.locator(f'input[value="{option}"]').check()
    form.get_by_role("button", name="Check").click()
    return form.get_attribute("data-state")


def test_questions_feedback_progress_and_reset(live_server, page, artifacts):
    pending = track_requests(page)
    page.goto(f"{live_server}{URL}")
    progress = page.locator("[data-progress]")
    assert progress.inner_text() == "Not started."

    assert answer(page, "q-l1-error", 0) == "wrong"
    form = page.locator("#q-l1-error")
    assert "Not right" in form.locator(".question-verdict").inner_text()
    assert form.locator('.question-option-hint[data-option="0"]').is_visible()
    assert form.locator(".question-explanation").is_hidden()
    assert answer(page, "q-l1-error", 1) == "right"
    assert form.locator(".question-verdict").inner_text().startswith("✓ Right")
    assert form.locator(".question-explanation").is_visible()
    assert form.locator(".question-option-hint").first.is_hidden()
    form.screenshot(path=str(artifacts / "lesson-1-question.png"))

    # By keyboard: Space picks an option, Enter checks it.
    delta = page.locator("#q-l1-delta")
    delta.locator('input[value="1"]').focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    assert delta.get_attribute("data-state") == "right"
    assert progress.inner_text() == "2 of 4 questions answered right."

    settle(page, pending)
    page.reload()
    assert page.locator("#q-l1-error").get_attribute("data-state") == "right"
    assert page.locator('#q-l1-error input[value="1"]').is_checked()
    assert page.locator("#q-l1-delta").get_attribute("data-state") == "right"
    assert progress.inner_text() == "2 of 4 questions answered right."

    answer(page, "q-l1-agree", 1)
    answer(page, "q-l1-scaling", 2)
    assert progress.inner_text() == "Done: all 4 questions answered right."
    settle(page, pending)
    page.goto(live_server)
    item = page.locator('.lesson-item[data-slug="why-backprop"]')
    assert "Done" in item.locator("[data-status]").inner_text()

    page.goto(f"{live_server}{URL}")
    page.get_by_role("button", name="Reset progress").click()
    assert progress.inner_text() == "Not started."
    assert page.locator("#q-l1-error").get_attribute("data-state") is None
    settle(page, pending)
    page.reload()
    assert progress.inner_text() == "Not started."
    assert not page.locator('#q-l1-error input[value="1"]').is_checked()
    assert page.problems == []


def test_present_view_moves_by_section_with_the_keyboard(live_server, page, artifacts):
    pending = track_requests(page)
    page.goto(f"{live_server}{URL}?present=1")
    current = page.locator(".lesson-section[data-current]")
    assert current.get_attribute("id") == "section-1"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert current.get_attribute("id") == "section-3"
    assert page.locator(".lesson-section:visible").count() == 1
    assert "The gradient by hand" in page.locator("[data-where]").inner_text()
    page.screenshot(path=str(artifacts / "lesson-1-present.png"))
    page.keyboard.press("ArrowLeft")
    assert current.get_attribute("id") == "section-2"
    settle(page, pending)
    page.reload()
    assert current.get_attribute("id") == "section-2"
    settle(page, pending)
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server}{URL}#section-2")
    assert page.locator(".lesson-section:visible").count() > 1
    assert page.problems == []
