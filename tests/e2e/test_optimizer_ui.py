"""The update beyond plain gradient descent, in a real Chromium: stepping through an Adam
iteration shows g, m, v, m-hat, v-hat and the step for the weight shown, each number the API's;
the state carries on into the next iteration (and into the link), the inspector shows each
buffer before and after; the settings drawer chooses an optimiser and its hyperparameters and
starts it afresh; links without an optimiser ask for plain gradient descent as before."""

from __future__ import annotations

import base64
import json
import math
from urllib.parse import parse_qs

import pytest

from tests.e2e.playground_page import is_iteration, until

pytestmark = pytest.mark.e2e

LINK = "#preset=tiny-2-2-2&opt=adam,betas:0.8/0.99&lr=0.05&stage=5"
ADAM = ["opt_exp_avg", "opt_exp_avg_sq", "opt_m_hat", "opt_v_hat", "opt_adam_step",
        "opt_step_taken"]


def at(tree: dict, kind: str = "weights", index=(0, 0, 0)) -> float:
    value = tree[kind]
    for i in index:
        value = value[i]
    return value


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-15)


def expected_adam(trace: dict) -> dict:
    """The slots of w^1_11's Adam formulas, read from the API's update stage."""
    update = trace["stages"][-1]
    q = update["quantities"]
    return {"g": at(q["grad"]), "m": at(q["exp_avg"]), "v": at(q["exp_avg_sq"]),
            "mhat": at(q["exp_avg_hat"]), "vhat": at(q["exp_avg_sq_hat"]),
            "step": at(q["param_step"]), "plain": at(q["gradient_step"]),
            "new": at(trace["params_after"]), "w": at(trace["params_before"]),
            "t": update["step_count"], "beta_one": 0.8, "beta_two": 0.99, "eta": 0.05}


def link_state(url: str) -> dict:
    """The optimiser's state a link holds (ostate=, base64url JSON), or {}."""
    raw = parse_qs(url.partition("#")[2]).get("ostate")
    return json.loads(base64.urlsafe_b64decode(raw[0] + "=" * (-len(raw[0]) % 4))) if raw else {}


def shown(pg) -> dict:
    values = {}
    for _, slots in pg.formulas():
        values.update(slots)
    return values


def test_stepping_through_adam_shows_m_v_and_the_step_for_the_weight_shown(pg, api):
    pg.open(LINK)
    assert pg.last_request["optimizer"] == {"name": "adam", "betas": [0.8, 0.99]}
    assert "optimizer_state" not in pg.last_request
    trace = api.iteration(pg.last_request)
    assert [name for name, _ in pg.formulas()] == ADAM
    values = shown(pg)
    for slot, value in expected_adam(trace).items():
        assert close(values[slot], value), (slot, values[slot], value)
    assert values["m_prev"] == 0 and values["v_prev"] == 0
    caption = [name for name, _ in pg.formulas("[data-testid='caption-formula']")]
    assert caption == ["opt_adam_step", "opt_step_taken"]
    assert pg.page.problems == []


def test_the_state_carries_on_into_the_next_iteration_and_the_link(pg, api):
    sent = []  # every iteration request, the one fetched ahead at the update included
    pg.page.on("request", lambda r: sent.append(r.post_data_json) if is_iteration(r) else None)
    pg.open(LINK)
    first = api.iteration(pg.last_request)
    pg.blur()
    pg.page.keyboard.press("ArrowRight")  # past the update: the next iteration
    until(pg.page, lambda: "ostate=" in pg.page.url, True)
    body = next(b for b in sent if b.get("optimizer_state") == first["optimizer_state_after"])
    assert body["params"] == first["params_after"]
    pg.page.get_by_role("button", name="U: stage 6, Update").click()
    second = api.iteration(body)
    values = shown(pg)
    assert close(values["m_prev"], at(first["optimizer_state_after"]["exp_avg"]))
    assert close(values["v_prev"], at(first["optimizer_state_after"]["exp_avg_sq"]))
    assert close(values["m"], at(second["stages"][-1]["quantities"]["exp_avg"]))
    assert values["t"] == 2
    # The inspector: each buffer before and after, the step beside a plain step, the count.
    pg.page.locator("[data-weight='1-0-0']").dispatch_event("click")
    inspector = pg.page.locator("[data-control='inspector']")
    number = lambda testid: float(inspector.get_by_test_id(testid).get_attribute("data-value"))  # noqa: E731
    until(pg.page, lambda: inspector.get_by_test_id("step-count").count(), 1)
    q = second["stages"][-1]["quantities"]
    assert close(number("state-before-exp_avg"), at(first["optimizer_state_after"]["exp_avg"]))
    assert close(number("state-after-exp_avg_sq"), at(q["exp_avg_sq"]))
    assert close(number("step-taken"), at(q["param_step"]))
    assert close(number("plain-step"), at(q["gradient_step"]))
    assert number("step-count") == 2
    assert pg.page.problems == []


def test_the_drawer_chooses_an_optimiser_and_starts_it_afresh(pg):
    pg.open("#preset=tiny-2-2-2")
    assert "optimizer" not in pg.last_request, "a link without an optimiser asks for plain SGD"
    pg.open_settings()
    with pg.page.expect_request(is_iteration) as request:
        pg.page.get_by_test_id("optimizer").select_option("rmsprop")
    assert request.value.post_data_json["optimizer"] == {"name": "rmsprop"}
    with pg.page.expect_request(is_iteration) as request:
        pg.page.get_by_test_id("opt-momentum").fill("0.5")
        pg.page.get_by_test_id("opt-momentum").press("Tab")
    assert request.value.post_data_json["optimizer"] == {"name": "rmsprop", "momentum": 0.5}
    link = lambda: parse_qs(pg.page.url.partition("#")[2]).get("opt")  # noqa: E731
    until(pg.page, link, ["rmsprop,momentum:0.5"])
    # Out of bounds: refused next to the field, nothing sent.
    pg.page.get_by_test_id("opt-alpha").fill("1")
    pg.page.get_by_test_id("opt-alpha").press("Tab")
    assert "below 1" in pg.page.locator("[data-testid='optimizer-fields']").inner_text()
    # An applied update gives it a state; starting afresh drops it.
    pg.page.get_by_test_id("settings-toggle").click()  # the drawer covers the stepper
    pg.page.get_by_role("button", name="U: stage 6, Update").click()
    pg.page.get_by_role("button", name="Apply update", exact=False).first.click()
    pg.open_settings()
    state_line = pg.page.get_by_test_id("optimizer-state")
    until(pg.page, lambda: "1 step" in state_line.inner_text(), True)
    until(pg.page, lambda: link_state(pg.page.url).get("step"), 1)
    assert set(link_state(pg.page.url)) == {"step", "square_avg", "momentum_buffer"}
    with pg.page.expect_request(is_iteration) as request:
        pg.page.get_by_test_id("optimizer-reset").click()
    assert "optimizer_state" not in request.value.post_data_json
    # Back to plain gradient descent: the request is what it always was.
    with pg.page.expect_request(is_iteration) as request:
        pg.page.get_by_test_id("optimizer").select_option("sgd")
    assert "optimizer" not in request.value.post_data_json
    assert pg.page.problems == []
