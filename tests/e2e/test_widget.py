"""The notebook widget's front end in a real Chromium, with no Jupyter and no server: a static
page loads the widget's ES module (its `_esm`, as anywidget does) and hands it a fake model
whose comm is the Python widget itself, so every request the playground makes is answered by the
kernel side, and Python steps it."""

from __future__ import annotations

import base64

import httpx
import pytest

from backprop_widget import Playground
from tests.e2e.playground_page import stage_label, until, watch

pytestmark = pytest.mark.e2e

ORIGIN = "http://widget.test"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>widget</title>
<link rel="icon" href="data:,"></head><body><div id="cell"></div></body></html>"""

# A model with anywidget's interface: get, set, save_changes, on("msg:custom"), send. What it
# sends goes to the Python widget (window.kernel); what comes back is delivered as comm messages.
MOUNT = """async ({ esm, css, options, linkBase }) => {
    const listeners = [];
    const values = { options, link_base: linkBase, stage: 0 };
    window.deliver = (content, encoded) => {
        const buffers = encoded ? [Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0))] : [];
        for (const listener of listeners) listener(content, buffers);
    };
    const model = {
        get: (key) => values[key],
        set: (key, value) => { values[key] = value; },
        save_changes: () => { window.savedStage = values.stage; },
        on: (name, listener) => { if (name === 'msg:custom') listeners.push(listener); },
        send: (content) => window.kernel(content).then(
            (replies) => replies.forEach(([reply, encoded]) => window.deliver(reply, encoded))),
    };
    const style = document.createElement('style');
    style.textContent = css;
    document.head.append(style);
    const url = URL.createObjectURL(new Blob([esm], { type: 'text/javascript' }));
    const widget = (await import(url)).default;
    await widget.render({ model, el: document.getElementById('cell') });
}"""


def encoded(buffers) -> str | None:
    return base64.b64encode(bytes(buffers[0])).decode() if buffers else None


@pytest.fixture
def widget_page(browser):
    """A page at a made-up origin, served from here (nothing leaves the machine)."""
    context = browser.new_context()
    page = watch(context.new_page())
    page.route(f"{ORIGIN}/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body=PAGE) if route.request.url == f"{ORIGIN}/"
        else route.fulfill(status=404, body=""))
    page.goto(f"{ORIGIN}/")
    yield page
    context.close()


def mount(page, widget: Playground) -> list:
    """Render the widget's front end on the page; returns the outbox of Python's messages."""
    outbox: list = []
    widget.send = lambda content, buffers=None: outbox.append((content, buffers))

    def kernel(content):
        start = len(outbox)
        widget._on_message(widget, content, [])
        replies = outbox[start:]
        del outbox[start:]
        return [[reply, encoded(buffers)] for reply, buffers in replies]

    page.expose_function("kernel", kernel)
    page.evaluate(MOUNT, {"esm": widget._esm, "css": widget._css, "options": widget.options,
                          "linkBase": widget.link_base})
    return outbox


def deliver(page, outbox: list) -> None:
    """Hand the page what Python sent since the last call."""
    for content, buffers in outbox:
        page.evaluate("([content, encoded]) => window.deliver(content, encoded)",
                      [content, encoded(buffers)])
    outbox.clear()


def test_the_widget_draws_the_playground_and_python_steps_it(widget_page, live_server, artifacts):
    page = widget_page
    widget = Playground(preset="tiny-2-2-2")
    outbox = mount(page, widget)
    page.wait_for_selector(".bp-notebook [data-ready='true']")
    page.wait_for_selector(".bp-notebook [data-neuron='0-0']")
    label = lambda: page.get_by_test_id("stage-label").inner_text()  # noqa: E731
    stages = widget.trace["stages"]
    until(page, label, stage_label(stages[0]))
    assert page.locator("[data-control='train']").is_hidden()

    widget.step(3)
    deliver(page, outbox)
    until(page, label, stage_label(stages[3]))
    until(page, lambda: page.evaluate("window.savedStage"), 3)
    page.screenshot(path=str(artifacts / "notebook-widget.png"), full_page=True)

    # The trace Python holds is the one the front end asked the kernel for: the API's answer.
    api = httpx.post(f"{live_server}/api/v1/iterations", json=widget.iteration_body()).json()
    assert widget.trace == api
    assert widget.params == api["params_before"]
    assert page.problems == []


def test_an_update_applied_from_python_reaches_the_trace(widget_page):
    page = widget_page
    widget = Playground(network={"layer_sizes": [2, 3, 1], "activations": ["tanh", "sigmoid"],
                                 "loss": "binary_cross_entropy"}, data="xor", seed=3, batch=4)
    outbox = mount(page, widget)
    page.wait_for_selector(".bp-notebook [data-neuron='0-0']")
    first = widget.trace
    assert len(first["stages"][0]["activation"]) == 4
    widget.step(2)
    widget.dispatch({"type": "apply"})
    deliver(page, outbox)
    # The front end asks the kernel for the next iteration and reports the trace it shows.
    until(page, lambda: widget.params == first["params_after"], True)
    assert widget.trace["loss"] != first["loss"]
    until(page, lambda: page.evaluate("window.savedStage"), 0)
    assert page.problems == []
