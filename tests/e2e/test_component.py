"""The playground as a component, in a real Chromium: the engine's catalog is the one place an
activation is defined (a test registers one and finds it accepted and offered with no other
edit), links written before still open what they opened, and two playgrounds on one page keep
to themselves."""

from __future__ import annotations

import numpy as np
import pytest

from engine.autodiff.primitives import elementwise
from engine.networks.activations import ACTIVATIONS, Activation, register
from tests.e2e.playground_page import Playground, is_iteration, until
from tests.finite_diff import central_difference

pytestmark = pytest.mark.e2e

# ln(1 + e^z), a smooth ReLU, and its derivative the sigmoid: written here, not in the engine.
SOFTPLUS = Activation(
    "softplus", "softplus", elementwise("softplus", lambda z: np.logaddexp(0.0, z),
                                        lambda y, z: 1.0 / (1.0 + np.exp(-z))),
    r"\ln\left(1 + e^{z}\right)", r"\sigma(z)", "xavier")


@pytest.fixture
def softplus():
    register(SOFTPLUS)
    yield SOFTPLUS
    del ACTIVATIONS["softplus"]


def test_an_activation_registered_in_the_engine_is_accepted_and_offered(live_server, page,
                                                                         softplus):
    body = {"network": {"layer_sizes": [2, 3, 1], "activations": ["softplus", "sigmoid"],
                        "loss": "binary_cross_entropy"}, "seed": 4,
            "inputs": [[0.3, -1.2], [1.5, 0.2]], "targets": [[1.0], [0.0]]}
    trace = page.request.post(f"{live_server}/api/v1/iterations", data=body).json()
    # The engine's gradient for W1 against central differences of the loss, computed here.
    w1 = np.array(trace["params_before"]["weights"][0])
    rest = trace["params_before"]

    def loss(w):
        x, y = np.array(body["inputs"]), np.array(body["targets"])
        a1 = np.logaddexp(0.0, x @ w.T + rest["biases"][0])
        p = 1 / (1 + np.exp(-(a1 @ np.array(rest["weights"][1]).T + rest["biases"][1])))
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    grad = next(s for s in trace["stages"] if s["phase"] == "backward" and s["layer"] == 1)
    np.testing.assert_allclose(grad["grad_weights"], central_difference(loss, w1), rtol=1e-6)
    catalog = page.request.get(f"{live_server}/api/v1/catalog").json()
    entry = next(a for a in catalog["activations"] if a["name"] == "softplus")
    assert entry["label"] == "softplus" and "<math" in entry["formula"]["mathml"]

    pg = Playground(page, live_server).open()
    pg.open_settings()
    offered = page.get_by_test_id("hidden-activation-1").evaluate(
        "select => [...select.options].map((o) => o.value)")
    assert offered == [a.name for a in ACTIVATIONS.values() if not a.output_only]
    with page.expect_response(is_iteration) as response:
        page.get_by_test_id("hidden-activation-1").select_option("softplus")
    assert response.value.status == 200
    assert response.value.request.post_data_json["network"]["activations"][0] == "softplus"
    until(page, pg.stage_label, "Forward, layer 1")
    assert page.problems == []


# Links written before the playground became a component: each must open the same state, seen
# in what the page asks the API for and what it shows.
OLD_LINKS = [
    ("#preset=tiny-2-2-2&stage=3",
     {"layer_sizes": [2, 2, 2], "batch": 1, "label": "Backward, layer 2"}),
    ("#net=2-3-1&act=relu,sigmoid&loss=binary_cross_entropy&data=circles&n=60&noise=0.2&dseed=5"
     "&lr=0.05&batch=6&stage=1&init=he&seed=11",
     {"layer_sizes": [2, 3, 1], "batch": 6, "label": "Forward, layer 2", "learning_rate": 0.05,
      "seed": 11, "init": "he"}),
    ("#order=eager&stage=5&view=layers&sample=2",
     {"layer_sizes": [2, 4, 1], "batch": 8, "label": "Update", "update_order": "eager",
      "view": "layers"}),
    ("#hide=data,train,gradcheck,export,network&present=1",
     {"layer_sizes": [2, 4, 1], "label": "Forward, layer 1", "hidden": ["data", "train"],
      "present": True}),
    ("#preset=tiny-2-2-2&level=node&event=3",
     {"layer_sizes": [2, 2, 2], "label": "Forward, layer 1",
      "event": "node step 4 of 20: forward b¹"}),
    # Node by node at a stage without an event: the stage's first node event (it opened
    # "Backward, layer 2 · node step 1 of 20: forward x" before).
    ("#preset=tiny-2-2-2&stage=3&level=node",
     {"layer_sizes": [2, 2, 2], "label": "Backward, layer 2",
      "event": "node step 13 of 20: backward a²"}),
    ("#preset=xor&level=node&event=3",   # a batch of 32 has no node events: stage stepping
     {"layer_sizes": [2, 4, 1], "batch": 32, "label": "Forward, layer 1", "event": ""}),
]


@pytest.mark.parametrize("link, expected", OLD_LINKS, ids=[link for link, _ in OLD_LINKS])
def test_old_links_open_what_they_opened(live_server, page, link, expected):
    pg = Playground(page, live_server).open(link)
    body = pg.last_request
    assert body["network"]["layer_sizes"] == expected["layer_sizes"]
    if "batch" in expected:
        assert len(body["inputs"]) == expected["batch"]
    for key in ("learning_rate", "seed", "init", "update_order"):
        if key in expected:
            assert body[key] == expected[key], key
    until(page, pg.stage_label, expected["label"])
    if "view" in expected:
        pressed = page.locator(f"button[data-view='{expected['view']}']")
        assert pressed.get_attribute("aria-pressed") == "true"
    for name in expected.get("hidden", []):
        assert page.locator(f"[data-control='{name}']").is_hidden()
    if expected.get("present"):
        assert page.locator(".bp-playground.present").count() == 1
    if "event" in expected:
        assert pg.event_position().startswith(expected["event"])
    assert page.problems == []


MOUNT_TWO = """async () => {
    const { createPlayground } = await import('/static/js/playground/playground.js');
    const roots = ['tiny-2-2-2', 'xor'].map((preset) => {
        const root = document.createElement('div');
        root.dataset.preset = preset;
        document.body.append(root);
        return root;
    });
    await Promise.all(roots.map((root) => createPlayground(root,
        { initial: `preset=${root.dataset.preset}` })));
}"""


def test_two_playgrounds_on_one_page_keep_to_themselves(live_server, page):
    page.goto(f"{live_server}/")
    page.evaluate(MOUNT_TWO)
    first, second = page.locator("[data-preset='tiny-2-2-2']"), page.locator("[data-preset='xor']")
    label = lambda root: root.get_by_test_id("stage-label").inner_text()  # noqa: E731
    for root in (first, second):
        until(page, lambda root=root: label(root), "Forward, layer 1")
    assert first.locator("[data-neuron]").count() == 6
    assert second.locator("[data-neuron]").count() == 7
    ids = page.eval_on_selector_all("[id]", "els => els.map((e) => e.id)")
    assert len(ids) == len(set(ids)), "an id is repeated on the page"
    first.get_by_role("button", name="Next step").click()
    until(page, lambda: label(first), "Forward, layer 2")
    assert label(second) == "Forward, layer 1"
    second.get_by_role("button", name="Previous step").focus()
    page.keyboard.press("ArrowRight")
    until(page, lambda: label(second), "Forward, layer 2")
    second.get_by_role("button", name="Next step").click()
    until(page, lambda: label(second), "Loss")
    assert label(first) == "Forward, layer 2"
    second.get_by_test_id("present-toggle").click()
    assert second.locator(".bp-playground.present, :scope.present").count() == 1
    assert first.evaluate("root => root.classList.contains('present')") is False
    assert page.problems == []
