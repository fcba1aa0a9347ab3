"""Damaged and hand-edited links in a real Chromium: the playground opens on what it can use,
says which field it could not use and what it used instead, sends the server nothing it would
refuse, and an error nothing caught becomes a message at the top of the page."""

from __future__ import annotations

import pytest

from tests.e2e.playground_page import Playground, until

pytestmark = pytest.mark.e2e

# hash → what the notice must name, and what the iteration request must carry instead.
DAMAGED = [
    ("#loss=nonsense", "loss=nonsense", ("network", "loss"), "binary_cross_entropy"),
    ("#net=2-x-1", "net=2-x-1", ("network", "layer_sizes"), [2, 4, 1]),
    ("#net=2-4-4-1&act=relu", "act=relu", ("network", "activations"), ["tanh", "tanh", "sigmoid"]),
    ("#lr=-5", "lr=-5", ("learning_rate",), 0.5),
    ("#init=bad", "init=bad", ("init",), "auto"),
    ("#order=wrong", "order=wrong", ("update_order",), "after_backward"),
    ("#seed=1e400", "seed=1e400", ("seed",), 1),
    ("#params=W10&lr=0.2", "params", ("learning_rate",), 0.2),
]


@pytest.mark.parametrize("hash_, named, path, used", DAMAGED)
def test_a_damaged_link_opens_with_a_notice_naming_the_field(pg, hash_, named, path, used):
    pg.open(hash_)
    notice = pg.page.get_by_test_id("notice")
    assert named in notice.text_content() and "using" in notice.text_content()
    value = pg.last_request
    for key in path:
        value = value[key]
    assert value == used
    assert pg.page.problems == []


def test_a_bad_value_typed_into_the_address_bar_falls_back_too(pg):
    pg.open("#lr=0.1")
    pg.page.evaluate("() => { location.hash = 'lr=0.1&view=nowhere&edges=sideways'; }")
    notice = pg.page.get_by_test_id("notice")
    until(pg.page, lambda: "view=nowhere" in (notice.text_content() or ""), True)
    assert "edges=sideways" in notice.text_content()
    assert pg.page.locator("[data-neuron='0-0']").is_visible()
    assert pg.page.problems == []


@pytest.mark.parametrize("throw", [
    "setTimeout(() => { throw new Error('the sky fell'); })",
    "Promise.reject(new Error('the sky fell'))",
])
def test_an_uncaught_error_shows_a_message_instead_of_a_frozen_page(page, live_server, throw):
    Playground(page, live_server).open()
    page.evaluate(f"() => {{ {throw}; }}")
    banner = page.get_by_test_id("crash-notice")
    until(page, banner.is_visible, True)
    assert "the sky fell" in banner.text_content()
    assert banner.get_by_role("button", name="Reload").is_visible()
    assert any("the sky fell" in problem for problem in page.problems)
    page.problems.clear()
