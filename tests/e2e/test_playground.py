"""The playground in a real Chromium, driven as a learner would: presets, stepping with buttons and
keys, the inspector, training, shared links, CSV upload, export, node-by-node stepping,
presenter mode and keyboard-only use. Every number on the page is compared with the API's JSON
for the same state, fetched independently here.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.e2e.playground_page import (
    Api,
    Playground,
    expected_formulas,
    expected_neuron_texts,
    expected_node_event,
    expected_stage_view,
    find_stage,
    format_number,
    is_iteration,
    iteration_body,
    node_text,
    open_preset,
    preset_body,
    stage_label,
    until,
    watch,
)

pytestmark = pytest.mark.e2e

# The page with no hash (playground.js DEFAULTS): xor, 2-4-1, stepped on a batch of 8.
DEFAULT_NETWORK = {"layer_sizes": [2, 4, 1], "activations": ["tanh", "sigmoid"],
                   "loss": "binary_cross_entropy"}
DEFAULT_DATA = ("xor", 100, 0.1, 0)


def default_body(api: Api) -> dict:
    points = api.dataset(*DEFAULT_DATA)
    return iteration_body(DEFAULT_NETWORK, seed=1, learning_rate=0.5, inputs=points["inputs"],
                          targets=points["targets"], batch_size=8)


def close(a: float, b: float, tolerance: float = 1e-12) -> bool:
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def num(locator) -> float:
    """The raw number behind a formatted one, checking that its text is that number formatted."""
    raw = locator.get_attribute("data-value")
    assert raw is not None, "no data-value"
    value = float(raw)
    assert locator.inner_text() == format_number(value)
    return value


def click_edge(page, weight: str, along: float = 0.3):
    """Click a weight's edge a little way along it (where it crosses no other edge), as a
    person aims at a line."""
    point = page.locator(f"[data-weight='{weight}']").evaluate("""(line, t) => {
        const p = line.ownerSVGElement.createSVGPoint();
        p.x = line.x1.baseVal.value + t * (line.x2.baseVal.value - line.x1.baseVal.value);
        p.y = line.y1.baseVal.value + t * (line.y2.baseVal.value - line.y1.baseVal.value);
        const q = p.matrixTransform(line.getScreenCTM());
        return [q.x, q.y];
    }""", along)
    page.mouse.click(*point)


# 1 ------------------------------------------------------------------------------------------------

def test_loads_clean_and_presets_load_through_the_picker(pg, api, artifacts):
    page = pg.page
    pg.open()
    body = default_body(api)
    trace = api.iteration(body)
    until(page, pg.stage_view, expected_stage_view(trace, 0, body["inputs"]))
    assert pg.last_trace == trace

    # The Python formatter used throughout agrees with the page's own formatNumber.
    values = [0.3775, -0.021707153467853746, 1.2345e-5, 123456.7, 99999.5, 0.0001, 9.99951,
              12.125, -0.5, 1e-7, 2.5e-5, 100000, 42, 0.1 + 0.2]
    js = page.evaluate("""async (values) => {
        const { formatNumber } = await import('/static/js/core/format.js');
        return [values.map((v) => formatNumber(v)), values.map((v) => formatNumber(v, 3))];
    }""", values)
    assert js == [[format_number(v) for v in values], [format_number(v, 3) for v in values]]

    calls = []
    page.on("request", lambda r: calls.append(r.url.partition("/api/v1/")[2])
            if r.method == "POST" else None)
    for name in ("tiny-2-2-2", "xor"):
        calls.clear()
        shown = pg.choose_preset(name)
        body, _ = preset_body(api, name)
        assert pg.last_request == body, f"{name}: the page sent another iteration body"
        trace = api.iteration(body)
        assert shown == trace
        until(page, pg.stage_view, expected_stage_view(trace, 0, body["inputs"]))
        assert page.get_by_test_id("preset-picker").input_value() == name
        # The URL follows the state 100 ms after the last change (debounced).
        page.wait_for_url(lambda url, name=name: f"preset={name}" in url)
        # One request per change: the preset's data are fetched once and stepped once.
        page.wait_for_load_state("networkidle")
        assert calls == (["iterations"] if name == "tiny-2-2-2" else ["datasets/xor", "iterations"])
    assert page.problems == []


# 2 ------------------------------------------------------------------------------------------------

def test_every_stage_by_the_buttons_matches_the_api(pg, api, artifacts):
    page = pg.page
    trace, body = open_preset(pg, api, "tiny-2-2-2")
    inputs = body["inputs"]
    count = len(trace["stages"])
    assert count == 6
    until(page, pg.stage_view, expected_stage_view(trace, 0, inputs))
    pg.screenshot(artifacts, "stage-1-forward", full_page=True)
    # The worked example's numbers, as the preset promises.
    assert pg.formulas()[0][1]["z"] == 0.3775
    for index in range(1, count):
        pg.button("Next step").click()
        until(page, pg.stage_view, expected_stage_view(trace, index, inputs),
              message=f"stage {index + 1}")
        if index in (2, 3, 5):
            pg.screenshot(artifacts, f"stage-{index + 1}-{trace['stages'][index]['phase']}",
                          full_page=True)
    assert find_stage(trace, "loss")["loss"] == pytest.approx(0.298371109, abs=1e-9)
    # At the update, Next runs on: the update applied, the next iteration's first stage.
    # The next iteration was asked for ahead, at the update: its loss is in the caption strip.
    run_on = page.get_by_role("button", name="Next iteration: apply the update and run on")
    assert run_on.get_attribute("aria-disabled") == "false"
    second = api.iteration({**body, "params": trace["params_after"]})
    until(page, lambda: page.get_by_test_id("caption-stage").inner_text(),
          f"Stage 6 of 6: Update · the loss on this batch goes from {format_number(trace['loss'])} "
          f"to {format_number(second['loss'])}")
    run_on.click()
    until(page, pg.stage_view, expected_stage_view(second, 0, inputs))
    until(page, lambda: page.get_by_test_id("notice").inner_text(),
          "Iteration 2: the update took the loss on this batch from "
          f"{format_number(trace['loss'])} to {format_number(second['loss'])}.")
    where = page.get_by_test_id("caption-stage").inner_text()
    assert where.startswith("Iteration 2 · Stage 1 of 6")
    # Previous at the start of it goes back to the first iteration, at its update.
    pg.button("Previous step").click()
    until(page, pg.stage_view, expected_stage_view(trace, count - 1, inputs))
    for index in reversed(range(count - 1)):
        pg.button("Previous step").click()
        until(page, pg.stage_view, expected_stage_view(trace, index, inputs),
              message=f"back to stage {index + 1}")
    assert pg.button("Previous step").get_attribute("aria-disabled") == "true"

    # Home restarts; Space and PageDown step on, PageUp back; P plays (at 4×) and pauses, and
    # playback stops by itself at the end.
    pg.blur()
    for key in ("ArrowRight", "Space", "PageDown"):
        page.keyboard.press(key)
    until(page, pg.stage_position, f"4 / {count}")
    page.keyboard.press("PageUp")
    until(page, pg.stage_position, f"3 / {count}")
    page.keyboard.press("Home")
    until(page, pg.stage_view, expected_stage_view(trace, 0, inputs))
    page.get_by_test_id("player-speed").select_option("4")
    page.keyboard.press("ArrowRight")  # the speed menu keeps its focus but not the arrows
    until(page, pg.stage_position, f"2 / {count}")
    page.keyboard.press("Home")
    until(page, pg.stage_position, f"1 / {count}")
    pg.blur()
    play = page.locator(".player-buttons button[aria-keyshortcuts='P']")
    page.keyboard.press("p")
    assert play.get_attribute("aria-pressed") == "true"
    # It moves on by itself (at 4x a step takes 375 ms, so a slow read may see it past 2).
    until(page, lambda: pg.stage_position() != f"1 / {count}", True)
    page.keyboard.press("p")
    assert play.get_attribute("aria-pressed") == "false"
    paused_at = pg.stage_position()
    page.wait_for_timeout(900)  # more than two steps at 4× (375 ms): nothing may move
    assert pg.stage_position() == paused_at
    page.keyboard.press("p")
    until(page, pg.stage_position, f"{count} / {count}", timeout=8)
    until(page, lambda: play.get_attribute("aria-pressed"), "false")
    until(page, pg.stage_view, expected_stage_view(trace, count - 1, inputs))
    assert page.problems == []


def test_every_stage_by_the_arrow_keys_on_xor(pg, api, artifacts):
    """xor's preset steps a batch of 32: no per-node events, a fused output delta, and f'(z)
    from the backward stages' activation_derivative."""
    page = pg.page
    trace, body = open_preset(pg, api, "xor")
    assert trace["events"] is None and len(body["inputs"]) == 32
    inputs = body["inputs"]
    count = len(trace["stages"])
    pg.blur()
    until(page, pg.stage_view, expected_stage_view(trace, 0, inputs))
    for index in range(1, count):
        page.keyboard.press("ArrowRight")
        until(page, pg.stage_view, expected_stage_view(trace, index, inputs),
              message=f"stage {index + 1}")
    hidden = dict(expected_formulas(trace, 4, inputs))["delta_hidden"]
    assert hidden["fprime"] is not None  # shown, not a dash
    # → at the update runs on into the next iteration, ← comes back to this one's update.
    page.keyboard.press("ArrowRight")
    until(page, pg.stage_position, f"1 / {count}")
    second = api.iteration({**body, "params": trace["params_after"]})
    until(page, pg.stage_view, expected_stage_view(second, 0, inputs))
    page.keyboard.press("ArrowLeft")
    until(page, pg.stage_view, expected_stage_view(trace, count - 1, inputs))
    for index in reversed(range(count - 1)):
        page.keyboard.press("ArrowLeft")
        until(page, pg.stage_view, expected_stage_view(trace, index, inputs),
              message=f"back to stage {index + 1}")
    assert page.problems == []


# 3 ------------------------------------------------------------------------------------------------

def test_inspector_on_a_clicked_weight_shows_its_chain_rule(pg, api, artifacts):
    page = pg.page
    trace, body = open_preset(pg, api, "tiny-2-2-2")
    click_edge(page, "2-0-1")
    inspector = page.locator("[data-control='inspector']")
    until(page, lambda: inspector.locator("h3").inner_text().startswith("Weight"), True)
    # At the first stage the gradient is not computed yet: the inspector says which stage does.
    assert page.get_by_test_id("inspector-gradient").count() == 0
    assert "computed at B2" in inspector.inner_text()
    assert page.get_by_test_id("chain-factors").count() == 0
    page.get_by_role("button", name="B2: stage 4, Backward, layer 2").click()

    backward = find_stage(trace, "backward", 2)
    forward = find_stage(trace, "forward", 1)
    gradient = num(page.get_by_test_id("inspector-gradient"))
    assert gradient == backward["grad_weights"][0][1]
    factors = page.get_by_test_id("chain-factors")
    names = factors.locator("li").evaluate_all("els => els.map((e) => e.dataset.factor)")
    assert names == ["dzdw", "dadz", "dcda", "product"]
    value = {name: num(factors.locator(f"li[data-factor='{name}'] .num")) for name in names}
    assert value["dzdw"] == forward["activation"][0][1]
    assert value["dadz"] == backward["activation_derivative"][0][0]
    assert value["dcda"] == backward["grad_activation"][0][0]
    assert value["product"] == backward["per_sample_grad_weights"][0][0][1]
    assert close(value["dzdw"] * value["dadz"] * value["dcda"], value["product"])
    facts = inspector.locator("dl.facts .num")
    assert num(facts.nth(0)) == trace["params_before"]["weights"][1][0][1]
    assert "computed at U" in inspector.inner_text()
    page.get_by_role("button", name="U: stage 6, Update").click()
    until(page, lambda: facts.count(), 3)
    assert num(facts.nth(2)) == trace["params_after"]["weights"][1][0][1]
    assert pg.formulas("[data-control='inspector']") == [("chain_rule", {
        "l": 2, "j": 1, "k": 2, "dzdw": value["dzdw"], "dadz": value["dadz"],
        "dcda": value["dcda"], "grad": gradient})]

    # The diagram marks the weight and its two neurons; the stage panel follows the selection.
    edge = page.locator("[data-weight='2-0-1']")
    assert "selected" in edge.get_attribute("class").split()
    linked = page.eval_on_selector_all("[data-neuron].linked",
                                       "els => els.map((e) => e.dataset.neuron)")
    assert sorted(linked) == ["1-1", "2-0"]
    page.get_by_role("button", name="B2: stage 4, Backward, layer 2").click()
    until(page, pg.formulas, expected_formulas(trace, 3, body["inputs"], weight=(0, 1)))
    pg.screenshot(artifacts, "inspector-weight")

    # Escape in the diagram clears the selection; Enter on the focused edge selects it again.
    edge.focus()
    page.keyboard.press("Escape")
    until(page, lambda: page.get_by_test_id("inspector-gradient").count(), 0)
    page.keyboard.press("Enter")
    until(page, lambda: num(page.get_by_test_id("inspector-gradient")), gradient)
    assert page.problems == []


def test_inspector_by_keyboard_on_a_batch_sample(pg, api):
    """The default page steps 8 samples: the chain rule is shown for one chosen sample, and the
    batch gradient is the mean of the samples' own gradients."""
    page = pg.page
    pg.open()
    body = default_body(api)
    trace = api.iteration(body)
    assert pg.last_trace == trace
    page.locator("[data-weight='1-2-1']").focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("inspector-reveal").first.click()   # the whole iteration, from the start
    page.get_by_test_id("inspector-sample").select_option("5")
    factors = page.get_by_test_id("chain-factors")
    until(page, lambda: page.locator("[data-control='inspector'] h4").first.inner_text(),
          "The chain rule, for sample 6")

    backward = find_stage(trace, "backward", 1)
    names = factors.locator("li").evaluate_all("els => els.map((e) => e.dataset.factor)")
    assert names == ["dzdw", "dadz", "dcda", "n", "product"]
    value = {name: num(factors.locator(f"li[data-factor='{name}'] .num"))
             for name in names if name != "n"}
    assert value["dzdw"] == body["inputs"][5][1]
    assert value["dadz"] == backward["activation_derivative"][5][2]
    assert value["dcda"] == backward["grad_activation"][5][2]
    per_sample = [matrix[2][1] for matrix in backward["per_sample_grad_weights"]]
    assert value["product"] == per_sample[5]
    assert close(8 * value["dzdw"] * value["dadz"] * value["dcda"], value["product"])
    gradient = num(page.get_by_test_id("inspector-gradient"))
    assert gradient == backward["grad_weights"][2][1]
    assert close(sum(per_sample) / 8, gradient)
    table = page.locator("[data-control='inspector'] table.per-sample td .num")
    assert [num(table.nth(i)) for i in range(table.count())] == per_sample
    assert page.locator("[data-control='inspector'] tr.current th").inner_text() == "6"
    # The sample is shared: the diagram shows sample 6 too.
    assert page.locator("[data-diagram='sample']").input_value() == "5"
    until(page, pg.neuron_texts, expected_neuron_texts(trace, 0, body["inputs"], sample=5))
    assert page.problems == []


# 4 ------------------------------------------------------------------------------------------------

def test_training_xor_lowers_the_loss_and_stepping_continues_from_it(pg, api, artifacts):
    page = pg.page
    pg.open()
    first = pg.choose_preset("xor")
    body, _ = preset_body(api, "xor")
    chunks = []
    page.on("response", lambda r: chunks.append(r) if r.url.endswith("/api/v1/train") else None)
    status = page.get_by_test_id("train-status")
    runs = page.get_by_test_id("train-iterations")  # long enough not to end before Pause
    runs.fill("100000")
    runs.press("Enter")
    page.get_by_test_id("train-play").click()
    until(page, lambda: status.get_attribute("data-state"), "running")
    until(page, lambda: int(page.get_by_test_id("train-iteration").inner_text()) >= 300, True,
          timeout=30)
    pg.screenshot(artifacts, "training", "[data-control='train']")
    with page.expect_response(is_iteration, timeout=30000) as stepped:
        page.get_by_test_id("train-pause").click()
    until(page, lambda: status.get_attribute("data-state"), "paused")

    results = [response.json() for response in chunks]
    assert all(result["diverged"] is False for result in results)
    start = results[0]["snapshots"][0]["train_loss"]
    end = results[-1]["snapshots"][-1]["train_loss"]
    assert end < 0.8 * start, f"the loss went from {start} to {end}"
    total = sum(result["iterations_run"] for result in results)
    until(page, lambda: page.get_by_test_id("train-iteration").inner_text(), str(total))
    until(page, lambda: page.get_by_test_id("train-loss").inner_text(), format_number(end))
    assert "Paused at iteration" in status.inner_text()

    # Stepping now starts from the trained weights.
    trained = results[-1]["params_after"]
    assert stepped.value.request.post_data_json == {**body, "params": trained}
    trace = stepped.value.json()
    assert trace["params_before"] == trained != first["params_before"]
    assert trace == api.iteration({**body, "params": trained})
    assert trace["loss"] < first["loss"]
    until(page, pg.stage_view, expected_stage_view(trace, 0, body["inputs"]))
    assert page.problems == []


# 5 ------------------------------------------------------------------------------------------------

def test_a_copied_link_reopens_the_same_state(pg, api, browser, artifacts):
    page = pg.page
    pg.open()
    pg.choose_preset("xor")
    pg.open_settings()
    rate = page.get_by_test_id("learning-rate")
    with page.expect_response(is_iteration) as response:
        rate.fill("0.1")
        rate.press("Enter")
    body, _ = preset_body(api, "xor", learning_rate=0.1)
    assert response.value.request.post_data_json == body
    trace = api.iteration(body)
    assert response.value.json() == trace
    for _ in range(5):
        pg.button("Next step").click()
    page.locator("[data-diagram='sample']").select_option("3")
    page.wait_for_url(lambda url: all(key in url for key in ("preset=xor", "lr=0.1", "stage=5",
                                                              "sample=3")))
    expected = expected_stage_view(trace, 5, body["inputs"], sample=3)
    until(page, pg.stage_view, expected)
    assert expected["formulas"][0][1]["eta"] == 0.1
    url = page.url
    assert page.get_by_test_id("share-link").input_value() == url

    context = browser.new_context()
    try:
        other = Playground(watch(context.new_page()), pg.base_url)
        other.open("#" + url.partition("#")[2])
        assert other.last_trace == trace
        until(other.page, other.stage_view, expected)
        assert other.stage_view() == pg.stage_view()
        assert other.page.get_by_test_id("learning-rate").input_value() == "0.1"
        assert other.page.get_by_test_id("preset-picker").input_value() == "xor"
        assert other.page.url == url
        other.screenshot(artifacts, "reopened-link")
        assert other.page.problems == []
    finally:
        context.close()
    assert page.problems == []


# 6 ------------------------------------------------------------------------------------------------

def test_a_malformed_csv_is_refused_naming_the_line(pg, api, tmp_path):
    page = pg.page
    pg.open()
    body = default_body(api)
    trace = api.iteration(body)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if is_iteration(r) else None)
    source = page.get_by_test_id("data-source")
    pg.open_data_editing()
    before = (source.inner_text(), pg.stage_view(), page.url)
    assert before[0] == "Using 100 points generated from xor."
    error = page.get_by_test_id("csv-error")
    cases = {
        "letters.csv": ("x1,x2,label\n0.1,0.2,0\n0.3,abc,1\n", 'Line 3: x2 is "abc"'),
        "short.csv": ("0.1,0.2,0\n\n0.5,0.5\n", "Line 3: found 2 values; expected 3"),
        "label.csv": ("x1,x2,label\n0.1,0.2,0.5\n", "Line 2: label is 0.5"),
    }
    for name, (text, words) in cases.items():
        path = tmp_path / name
        path.write_text(text)
        page.get_by_test_id("csv-input").set_input_files(str(path))
        until(page, error.is_visible, True)
        until(page, lambda expected=words: expected in error.inner_text(), True,
              message=f"{name}: no {words!r} in the message")
        assert error.inner_text().startswith(f"{name} was not loaded.")
        assert (source.inner_text(), pg.stage_view(), page.url) == before
    assert requests == []
    assert pg.stage_view() == expected_stage_view(trace, 0, body["inputs"])

    # A good file then loads, and the message goes away.
    good = tmp_path / "good.csv"
    good.write_text("x1,x2,label\n0.5,0.5,1\n-0.5,0.5,0\n0.5,-0.5,0\n-0.5,-0.5,1\n")
    with page.expect_response(is_iteration) as response:
        page.get_by_test_id("csv-input").set_input_files(str(good))
    assert response.value.request.post_data_json["inputs"] == [[0.5, 0.5], [-0.5, 0.5],
                                                               [0.5, -0.5], [-0.5, -0.5]]
    until(page, source.inner_text, "Using 4 points of your own.")
    assert error.is_hidden()
    page.wait_for_url(lambda url: "points=" in url)   # the URL follows 100 ms later
    assert page.problems == []


# 7 ------------------------------------------------------------------------------------------------

def test_exported_trace_json_is_the_api_response(pg, api):
    page = pg.page
    pg.open()
    body = default_body(api)
    with page.expect_download() as download:
        page.get_by_test_id("export-trace-json").click()
    assert download.value.suggested_filename == "backprop-trace.json"
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    expected = api.iteration(body)
    assert exported == expected
    assert exported["events"] is not None and len(exported["stages"][0]["activation"]) == 8

    pg.choose_preset("tiny-2-2-2")
    with page.expect_download() as download:
        page.get_by_test_id("export-trace-json").click()
    exported = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert exported == api.iteration(preset_body(api, "tiny-2-2-2")[0])
    assert page.problems == []


# 8 ------------------------------------------------------------------------------------------------

def test_node_by_node_backward_events_show_upstream_times_local(pg, api, artifacts):
    page = pg.page
    trace, body = open_preset(pg, api, "tiny-2-2-2")
    nodes = {node["id"]: node for node in trace["graph"]["nodes"]}
    events = ([("forward", e) for e in trace["events"]["forward"]]
              + [("backward", e) for e in trace["events"]["backward"]])
    first_backward = len(trace["events"]["forward"])

    kinds = api.catalog()["node_kinds"]

    def position(at):
        direction, event = events[at]
        name = node_text(nodes[event["node"]], kinds)
        return f"node step {at + 1} of {len(events)}: {direction} {name}"

    # Node level from the loss stage starts at the stage's first event, the loss node's.
    page.get_by_role("button", name="C: stage 3, Loss").click()
    page.get_by_role("radio", name="node by node").check()
    at = next(i for i, (d, e) in enumerate(events) if nodes[e["node"]]["name"] == "C"
              and d == "forward")
    until(page, pg.event_position, position(at))
    pg.blur()
    while at < first_backward:
        page.keyboard.press("ArrowRight")
        at += 1
        until(page, pg.event_position, position(at))
    # Every backward event: received, then upstream × local = sent for elementwise parents.
    for at in range(first_backward, len(events)):
        if at > first_backward:
            pg.button("Next step").click()
        until(page, pg.event_position, position(at))
        event = events[at][1]
        expected = expected_node_event(trace, event)
        until(page, pg.formulas, expected, message=position(at))
        for _, slots in expected:
            assert close(slots["upstream"] * slots["local"], slots["sent"])
        node = nodes[event["node"]]
        owner = next(i for i, s in enumerate(trace["stages"]) if event["node"] in s["node_ids"]
                     and (s["phase"] == "backward" or node["role"] == "loss"))
        until(page, pg.stage_label, stage_label(trace["stages"][owner]))
        if node["name"] == "a2":
            pg.screenshot(artifacts, "node-event-a2")
    assert any(expected_node_event(trace, e) for _, e in events[first_backward:])
    # ← walks back through the events.
    pg.blur()
    for at in range(len(events) - 2, len(events) - 5, -1):
        page.keyboard.press("ArrowLeft")
        until(page, pg.event_position, position(at))
    page.get_by_role("radio", name="stage", exact=True).check()
    until(page, pg.event_position, "")
    assert page.problems == []


# 9 ------------------------------------------------------------------------------------------------

def test_presenter_mode_toggles_and_escape_leaves(pg, artifacts):
    page = pg.page
    pg.open()
    toggle = page.get_by_test_id("present-toggle")
    body = page.locator("body")
    toggle.click()
    until(page, lambda: "present" in body.get_attribute("class").split(), True)
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.locator("[data-control='data']").is_hidden()
    assert page.locator("[data-control='diagram']").is_visible()
    page.wait_for_url(lambda url: "present=1" in url)
    page.keyboard.press("ArrowRight")  # stepping still works from the keyboard
    until(page, pg.stage_position, "2 / 6")
    pg.screenshot(artifacts, "presenter")
    page.keyboard.press("Escape")
    until(page, lambda: "present" in (body.get_attribute("class") or "").split(), False)
    assert toggle.get_attribute("aria-pressed") == "false"
    assert page.evaluate("() => document.activeElement.dataset.testid") == "present-toggle"
    assert page.locator("[data-control='data']").is_visible()
    page.wait_for_url(lambda url: "present=1" not in url)
    assert page.problems == []


# 10 -----------------------------------------------------------------------------------------------

FOCUSED = """() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    const circle = e.querySelector(':scope > .pill');
    const ring = circle ? getComputedStyle(circle) : null;
    return {
        view: e.dataset.view || null, neuron: e.dataset.neuron || null,
        weight: e.dataset.weight || null, skip: e.classList.contains('skip-link'),
        visible: e.matches(':focus-visible'),
        outline: [style.outlineStyle, parseFloat(style.outlineWidth)],
        stroke: ring ? [ring.stroke, parseFloat(ring.strokeWidth)] : null,
    };
}"""


def test_keyboard_only_reaches_the_diagram_with_a_visible_focus(pg, api, artifacts):
    page = pg.page
    pg.open("#lr=0.3&stage=2")
    until(page, pg.stage_label, "Loss")

    # The skip link is the first stop; following it keeps the state in the link.
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["skip"] and focused["outline"][0] != "none"
    assert page.locator(".skip-link").bounding_box()["x"] >= 0
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["view"] == "neurons", focused
    assert focused["visible"] and focused["outline"][0] != "none" and focused["outline"][1] > 0
    assert pg.stage_label() == "Loss"
    page.wait_for_url(lambda url: "lr=0.3" in url and "stage=2" in url)

    # On to the first neuron: its focus ring is a black stroke on its pill (SVG outlines are off).
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["neuron"]:
            break
    assert focused["neuron"] == "0-0", focused
    assert focused["visible"]
    if focused["outline"][0] == "none":  # the ring fades in with the diagram's transitions
        until(page, lambda: page.evaluate(FOCUSED)["stroke"], ["rgb(0, 0, 0)", 4])
    # Shift with the arrows walks the network; the arrows alone step, wherever the focus is.
    page.keyboard.press("Shift+ArrowDown")
    assert page.evaluate(FOCUSED)["neuron"] == "0-1"
    page.keyboard.press("Shift+ArrowRight")  # along the edge, not to the next stage
    focused = page.evaluate(FOCUSED)
    assert focused["weight"] == "1-0-1" and focused["visible"]
    assert pg.stage_label() == "Loss"
    page.keyboard.press("ArrowRight")
    until(page, pg.stage_label, "Backward, layer 2")
    assert page.evaluate(FOCUSED)["weight"] == "1-0-1", "stepping keeps the focus where it was"
    page.keyboard.press("ArrowLeft")
    until(page, pg.stage_label, "Loss")
    page.keyboard.press("Enter")
    assert "computed at B1" in page.locator("[data-control='inspector']").inner_text()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    until(page, pg.stage_label, "Backward, layer 1")
    body = default_body(api)
    body["learning_rate"] = 0.3
    trace = api.iteration(body)
    until(page, lambda: num(page.get_by_test_id("inspector-gradient")),
          find_stage(trace, "backward", 1)["grad_weights"][0][1])
    pg.screenshot(artifacts, "keyboard-focus")
    assert page.problems == []


# The gradient check panel, against POST /api/v1/gradcheck -----------------------------------------

def test_gradient_check_agrees_with_the_api(pg, api):
    page = pg.page
    pg.open()
    pg.choose_preset("tiny-2-2-2")
    body, _ = preset_body(api, "tiny-2-2-2")
    page.get_by_test_id("gradcheck-run").click()
    summary = page.get_by_test_id("gradcheck-summary")
    until(page, lambda: summary.get_attribute("data-verdict"), "pass", timeout=10)
    result = api.post("/api/v1/gradcheck", {key: body[key] for key in
                                            ("network", "seed", "init", "inputs", "targets",
                                             "params")})
    rows = page.get_by_test_id("gradcheck-table").locator("tbody tr").evaluate_all(
        "rows => rows.map((r) => [...r.children].slice(0, 3).map((c) => c.textContent))")
    assert rows == [[row["name"], format_number(row["backprop"], 8),
                     format_number(row["numerical"], 8)] for row in result["rows"]]
    assert len(rows) == 12
    assert page.problems == []
