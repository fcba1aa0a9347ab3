"""Lesson 9, the update, in a real Chromium, taken as a learner would: every widget mounts in the
page itself; the Adam playground is stepped to its update and shows m, v, m-hat, v-hat and the
step for w^1_11 as the API computes them, then carries its state into t = 2; a race draws one
curve per optimiser ending at /train's cost; the predict-first question answers with its hint and
its solution; the present view steps the section's playground with the arrow key; the page at
1366 x 768, 1920 x 1080 (present view) and 390 x 844."""

from __future__ import annotations

import math

import pytest
from playwright.sync_api import expect

from tests.e2e.lesson_page import settle, track_requests
from tests.e2e.playground_page import Playground, expected_formulas, until
from tests.e2e.race_page import Race

pytestmark = pytest.mark.e2e

URL = "/lessons/after-the-gradient"
ADAM = '#section-8 .lesson-widget[data-widget="playground"]'
VALLEY = '#section-3 .lesson-widget[data-widget="race"]'
DECAY = '#section-10 .lesson-widget[data-widget="playground"]'
WIDGETS = 7  # four playgrounds, three races
ADAM_FORMULAS = ["opt_exp_avg", "opt_exp_avg_sq", "opt_m_hat", "opt_v_hat", "opt_adam_step",
                 "opt_step_taken"]


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def w111(tree: dict) -> float:
    return tree["weights"][0][0][0]


def adam_iterations(api) -> tuple[dict, dict]:
    """The Adam playground's first two iterations (η = 0.05, the default betas) from the API."""
    tiny = api.presets()["tiny-2-2-2"]
    body = {"network": tiny["network"], "seed": tiny["seed"], "params": tiny["params"],
            **tiny["data"], "learning_rate": 0.05, "optimizer": {"name": "adam"}}
    first = api.iteration(body)
    second = api.iteration({**body, "params": first["params_after"],
                            "optimizer_state": first["optimizer_state_after"]})
    return first, second


def shown_slots(page, live_server, root: str) -> tuple[list[str], dict]:
    """The formula blocks of the stage panel under `root`: their names, and every slot's number."""
    blocks = Playground(page, live_server).formulas(f"{root} [data-testid='formula']")
    values = {}
    for _, slots in blocks:
        values.update(slots)
    return [name for name, _ in blocks], values


def open_widget(page, selector: str, timeout: float = 20000):
    widget = page.locator(selector)
    widget.scroll_into_view_if_needed()
    page.wait_for_selector(f"{selector}[data-state='ready']", timeout=timeout)
    return widget


def test_every_widget_mounts_in_the_page_itself(live_server, page):
    pending = track_requests(page)
    page.goto(f"{live_server}{URL}")
    widgets = page.locator(".lesson-widget")
    expect(widgets).to_have_count(WIDGETS)
    for i in range(WIDGETS):
        widgets.nth(i).scroll_into_view_if_needed()
        expect(widgets.nth(i)).to_have_attribute("data-state", "ready", timeout=20000)
    assert page.locator("iframe").count() == 0
    assert page.locator(".lesson-problem, .widget-error").count() == 0
    assert page.locator(".lesson-widget[data-widget='playground'] .diagram-canvas").count() == 4
    assert page.locator(".lesson-widget[data-widget='race'] [data-testid='race-start']").count() \
        == 3
    expect(page.get_by_test_id("crash-notice")).to_be_hidden()
    settle(page, pending)
    assert page.problems == []


def test_the_adam_playground_shows_m_v_and_the_step_as_the_api_does(live_server, page, api,
                                                                     artifacts):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}{URL}")
    widget = open_widget(page, ADAM)
    label = widget.get_by_test_id("stage-label")
    expect(label).to_have_text("Backward, layer 1")
    first, second = adam_iterations(api)

    widget.get_by_role("button", name="Next step").click()
    expect(label).to_have_text("Update")
    names, values = shown_slots(page, live_server, ADAM)
    assert names == ADAM_FORMULAS
    q = first["stages"][-1]["quantities"]
    expected = {"g": w111(q["grad"]), "m": w111(q["exp_avg"]), "v": w111(q["exp_avg_sq"]),
                "mhat": w111(q["exp_avg_hat"]), "vhat": w111(q["exp_avg_sq_hat"]),
                "step": w111(q["param_step"]), "plain": w111(q["gradient_step"]),
                "new": w111(first["params_after"]), "t": 1}
    for slot, value in expected.items():
        assert close(values[slot], value), (slot, values[slot], value)
    assert values["m_prev"] == 0 and values["v_prev"] == 0
    # What the text says: m-hat is g and v-hat is g squared at t = 1; the step is η = 0.05.
    assert close(values["mhat"], values["g"]) and math.isclose(values["vhat"], values["g"] ** 2,
                                                               rel_tol=1e-12)
    assert round(values["step"], 4) == -0.05
    caption = [name for name, _ in Playground(page, live_server).formulas(
        f"{ADAM} [data-testid='caption-formula']")]
    assert caption == ["opt_adam_step", "opt_step_taken"]
    widget.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "lesson-9-adam-1366x768.png"))

    # The inspector: each buffer before and after, and the step beside a plain step.
    widget.locator("[data-weight='1-0-0']").dispatch_event("click")
    inspector = widget.locator("[data-control='inspector']")
    number = lambda testid: float(inspector.get_by_test_id(testid).get_attribute("data-value"))  # noqa: E731
    until(page, lambda: inspector.get_by_test_id("step-count").count(), 1)
    assert number("state-before-exp_avg") == 0
    assert close(number("state-after-exp_avg"), expected["m"])
    assert close(number("state-after-exp_avg_sq"), expected["v"])
    assert close(number("step-taken"), expected["step"])
    assert close(number("plain-step"), expected["plain"])

    # On into the next iteration: the state goes with the weights, t = 2.
    widget.get_by_role("button", name="Next iteration: apply the update and run on").click()
    widget.get_by_role("button", name="U: stage 6, Update").click()
    expect(label).to_have_text("Update")
    q2 = second["stages"][-1]["quantities"]
    until(page, lambda: shown_slots(page, live_server, ADAM)[1].get("t"), 2)
    values = shown_slots(page, live_server, ADAM)[1]
    assert close(values["m_prev"], expected["m"]) and close(values["v_prev"], expected["v"])
    for slot, name in [("g", "grad"), ("m", "exp_avg"), ("v", "exp_avg_sq"),
                       ("mhat", "exp_avg_hat"), ("step", "param_step")]:
        assert close(values[slot], w111(q2[name])), slot
    assert round(values["mhat"], 7) == 0.0004087 and round(values["step"], 5) == -0.0497
    assert page.problems == []


def test_the_penalty_is_a_term_of_the_cost_and_adam_still_steps_eta(live_server, page, api):
    page.goto(f"{live_server}{URL}")
    widget = open_widget(page, DECAY)
    label = widget.get_by_test_id("stage-label")
    expect(label).to_have_text("Loss")
    tiny = api.presets()["tiny-2-2-2"]
    trace = api.iteration({"network": tiny["network"], "seed": tiny["seed"],
                           "params": tiny["params"], **tiny["data"], "learning_rate": 0.05,
                           "optimizer": {"name": "adam"}, "l2": 0.1})
    pg = Playground(page, live_server)
    shown = pg.formulas(f"{DECAY} [data-testid='formula']")
    assert shown == expected_formulas(trace, 2, tiny["data"]["inputs"])
    assert shown[0][0] == "loss_penalty"
    caption = pg.formulas(f"{DECAY} [data-testid='caption-formula']")
    assert caption == shown[:1]
    assert [round(shown[0][1][k], 4) for k in ("data", "penalty", "loss")] == [0.2984, 0.0565,
                                                                              0.3549]
    widget.get_by_role("button", name="U: stage 6, Update").click()
    expect(label).to_have_text("Update")
    values = shown_slots(page, live_server, DECAY)[1]
    q = trace["stages"][-1]["quantities"]
    assert close(values["g"], w111(q["grad"])) and round(values["g"], 5) == 0.01544
    assert round(values["step"], 4) == -0.05
    assert page.problems == []


def test_the_valley_race_draws_a_curve_per_optimiser_ending_where_train_does(live_server, page,
                                                                              api, artifacts):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}{URL}")
    open_widget(page, VALLEY)
    race = Race(page, VALLEY).ready()
    race.wait_for_surface()
    race.run()
    line = api.presets()["line"]
    expected = []
    for rate in (0.1, 0.45, 0.55):
        run = api.post("/api/v1/train", {
            "network": line["network"], "params": line["params"], **line["data"],
            "learning_rate": rate, "optimizer": {"name": "sgd"}, "iterations": 100,
            "snapshot_every": 100, "include_data": False, "include_predictions": False})
        expected.append(run["snapshots"][-1]["train_loss"])
    results = race.results()
    assert [r["iteration"] for r in results] == [100, 100, 100]
    for shown, cost in zip(results, expected, strict=True):
        assert shown["cost"] == pytest.approx(cost, rel=1e-9)
    assert round(results[0]["cost"], 5) == 0.02397 and results[2]["cost"] > 1e16
    curves = [t for t in race.traces("race-curves") if t["type"] == "scatter"]
    assert len(curves) == 3 and all(len(c["x"]) == 101 for c in curves)
    assert len({c["y"][0] for c in curves}) == 1, "all three start from the same weights"
    assert "η 0.55" in curves[2]["name"]
    assert "left the picture" in race.by_test_id("race-surface-caption").inner_text()
    page.locator(VALLEY).screenshot(path=str(artifacts / "lesson-9-valley-race.png"))
    assert page.problems == []


def test_the_predict_first_question_gives_its_hint_then_its_solution(live_server, page):
    pending = track_requests(page)
    page.goto(f"{live_server}{URL}")
    question = page.locator("#q-l9-adam-first")
    question.scroll_into_view_if_needed()
    expect(question.locator(".question-option-hint")).to_have_count(3)
    question.locator('input[value="2"]').check()  # 3.2 eta: m and v without the correction
    question.get_by_role("button", name="Check").click()
    expect(question).to_have_attribute("data-state", "wrong")
    hint = question.locator('.question-option-hint[data-option="2"]')
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("bias correction")
    expect(question.locator(".question-explanation")).to_be_hidden()
    question.locator('input[value="1"]').check()
    question.get_by_role("button", name="Check").click()
    expect(question).to_have_attribute("data-state", "right")
    expect(question.locator(".question-explanation")).to_be_visible()
    expect(page.locator("[data-progress]")).to_have_text("1 of 7 questions answered right.")
    settle(page, pending)
    assert page.problems == []


def test_the_present_view_steps_the_sections_playground_with_the_arrow(browser, live_server,
                                                                       artifacts):
    from tests.e2e.playground_page import watch

    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = watch(context.new_page())
    try:
        page.goto(f"{live_server}{URL}?present=1#section-8")
        current = page.locator(".lesson-section[data-current]")
        expect(current).to_have_attribute("id", "section-8")
        page.wait_for_selector(f"{ADAM}[data-state='ready'] [data-neuron]", timeout=20000)
        caption = page.locator(f"{ADAM} [data-testid='caption-stage']")
        until(page, lambda: caption.text_content().startswith("Stage 5 of 6"), True)
        page.keyboard.press("ArrowRight")
        until(page, lambda: caption.text_content().startswith("Stage 6 of 6"), True)
        expect(current).to_have_attribute("id", "section-8")
        names, values = shown_slots(page, live_server, ADAM)
        assert names == ADAM_FORMULAS and round(values["step"], 4) == -0.05
        page.wait_for_timeout(800)  # the smooth scroll
        page.screenshot(path=str(artifacts / "lesson-9-present-1920x1080.png"))
        # At the update the playground has no stage left: the arrow moves on to the next section.
        page.keyboard.press("ArrowRight")
        expect(current).to_have_attribute("id", "section-9")
        assert "What Adam's learning rate means" in page.locator("[data-where]").inner_text()
        assert page.problems == []
    finally:
        context.close()


def test_the_lesson_on_a_phone(browser, live_server, artifacts):
    from tests.e2e.playground_page import watch

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = watch(context.new_page())
    try:
        page.goto(f"{live_server}{URL}")
        # The text and its formulas stay within the screen (a display formula wider than it
        # scrolls in its own line).
        wide = page.evaluate("""() => [...document.querySelectorAll('.lesson-body > section > p,'
            + '.lesson-body > section > ul, .lesson-body math[display="block"]')]
            .filter((e) => e.getBoundingClientRect().right > innerWidth)
            .map((e) => e.textContent)""")
        assert wide == []
        widget = open_widget(page, ADAM)
        widget.get_by_role("button", name="Next step").click()
        expect(widget.get_by_test_id("stage-label")).to_have_text("Update")
        widget.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "lesson-9-adam-390x844.png"))
        race = open_widget(page, VALLEY)
        race.scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "lesson-9-race-390x844.png"))
        assert page.problems == []
    finally:
        context.close()
