"""The pages under their content security policy (no inline styles or scripts): every page,
its plots, diagrams and training run without one refusal, plotly.js still gets its own rules
(through the one empty <style> element the policy allows), and the diagrams their look from
svg.css."""

from __future__ import annotations

from xml.etree import ElementTree

import httpx
import pytest

from tests.e2e.playground_page import watch

pytestmark = pytest.mark.e2e

# Every refusal the policy makes, as the page reports it.
LISTEN = """document.addEventListener('securitypolicyviolation', (e) => {
    const where = `${e.sourceFile}:${e.lineNumber}`;
    (window.refused = window.refused || []).push(`${e.violatedDirective} at ${where}`);
});"""

PAGES = ["/", "/symbols", "/docs", "/lessons/why-backprop", "/lessons/gradient-descent-live",
         "/lessons/bptt", "/lessons/why-cheap", "/lessons/batches-and-order",
         "/playground#view=scalar&preset=tiny-2-2-2", "/race", "/lessons/after-the-gradient",
         "/lessons/real-data", "/join", "/worksheet", "/teach/{code}", "/join/{code}"]


def refusals(page) -> list:
    return page.evaluate("() => window.refused || []")


def live_class(live_server, context) -> str:
    """A new live class's code, its teacher token in the context's local storage as the
    playground's Teach this live leaves it (static/js/live/start.js)."""
    session = httpx.post(f"{live_server}/api/v1/sessions", json={"title": "CSP"}).json()
    context.add_init_script(
        f"localStorage.setItem('backprop-teacher:{session['code']}', "
        f"'{session['teacher_token']}')")
    return session["code"]


@pytest.mark.parametrize("path", PAGES)
def test_a_page_runs_under_its_policy_without_a_refusal(browser, live_server, path):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = watch(context.new_page())
    try:
        page.add_init_script(LISTEN)
        if "{code}" in path:
            path = path.format(code=live_class(live_server, context))
        page.goto(f"{live_server}{path}")
        if path.startswith(("/teach/", "/join/", "/worksheet")):
            page.wait_for_selector("body[data-ready='true']")  # the class or sheet is drawn
        page.wait_for_load_state("networkidle")
        page.mouse.wheel(0, 4000)  # widgets start when they scroll into view
        page.wait_for_timeout(800)
        page.wait_for_load_state("networkidle")
        assert refusals(page) == []
        assert page.problems == []
    finally:
        context.close()


def test_training_and_plots_run_under_the_policy_with_plotly_styled(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = watch(context.new_page())
    try:
        page.add_init_script(LISTEN)
        page.goto(f"{live_server}/playground#edges=change")
        page.wait_for_selector("[data-neuron]")
        page.get_by_test_id("train-log").check()  # a log axis: its powers of ten
        page.get_by_role("button", name="Train").first.click()
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot .scatterlayer path').length > 2")
        page.wait_for_timeout(1500)
        assert refusals(page) == []
        rules = page.evaluate(
            "() => document.getElementById('plotly.js-style-global').sheet.cssRules.length")
        assert rules > 10, "plotly.js's own rules are in"
        ink = page.evaluate(
            "() => getComputedStyle(document.querySelector('.neuron-diagram text')).fill")
        assert ink in ("rgb(27, 27, 27)", "rgb(107, 107, 107)"), "svg.css styles the diagram"
        assert page.problems == []
    finally:
        context.close()


def test_the_downloaded_diagram_carries_its_look_as_attributes(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    page = watch(context.new_page())
    try:
        page.add_init_script(LISTEN)
        page.goto(f"{live_server}/playground")
        page.wait_for_selector("[data-neuron]")
        with page.expect_download() as download:
            page.get_by_test_id("export-diagram").click()
        text = download.value.path().read_text()
        root = ElementTree.fromstring(text.split("?>", 1)[1])
        elements = list(root.iter())
        assert not [e for e in elements if "style" in e.attrib], "no style attributes"
        labels = [e for e in elements if e.get("class", "").startswith("edge-label") and e.text]
        assert labels and all(e.get("paint-order", "").startswith("stroke") for e in labels)
        values = [e for e in elements if e.get("class") == "neuron-value" and e.text]
        assert values and all(e.get("font-size") and e.get("fill") for e in values)
        assert refusals(page) == []
        assert page.problems == []
    finally:
        context.close()


def test_the_digits_train_draw_and_report_under_the_policy(browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = watch(context.new_page())
    try:
        page.add_init_script(LISTEN)
        page.goto(f"{live_server}/playground#preset=digits&stage=4")
        page.wait_for_selector("svg.image-diagram [data-image='saliency']")
        pad = page.get_by_test_id("draw-pad")
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        page.mouse.move(box["x"] + 10, box["y"] + 10)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] - 10, box["y"] + box["height"] - 10, steps=5)
        page.mouse.up()
        page.get_by_test_id("train-play").click()
        page.wait_for_selector("[data-testid='misclassified-item'] canvas", timeout=20000)
        page.wait_for_selector("[data-testid='train-confusion'] .heatmaplayer")
        page.get_by_test_id("train-pause").click()
        page.wait_for_timeout(800)
        assert refusals(page) == []
        assert page.problems == []
    finally:
        context.close()
