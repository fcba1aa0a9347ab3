"""A small page object for the optimiser race (/race, and the race widget): starting a race,
waiting for it, and reading what it drew from the page and from Plotly's own figures."""

from __future__ import annotations

import time


class Race:
    """The race component inside `root` (the page's main element or a widget's element)."""

    def __init__(self, page, root: str = "#race-app"):
        self.page = page
        self.root = page.locator(root)

    def ready(self) -> Race:
        self.root.and_(self.page.locator("[data-ready='true']")).wait_for(timeout=15000)
        return self

    def by_test_id(self, testid: str):
        return self.root.get_by_test_id(testid)

    def status(self) -> str:
        return self.by_test_id("race-status").get_attribute("data-state")

    def run(self, timeout: float = 60.0) -> Race:
        """Press Start and wait until the run is done (or stopped by an error)."""
        self.by_test_id("race-start").click()
        deadline = time.monotonic() + timeout
        while self.status() not in ("done", "error"):
            assert time.monotonic() < deadline, "the race did not finish in time"
            self.page.wait_for_timeout(50)
        assert self.status() == "done", self.by_test_id("race-status").inner_text()
        self.page.wait_for_timeout(400)  # the last redraw
        return self

    def results(self) -> list[dict]:
        """Each runner's line under the curves: its text, cost (as sent), iteration, diverged."""
        return self.by_test_id("race-result").evaluate_all(
            """items => items.map((li) => ({ text: li.textContent,
                 cost: li.dataset.cost === "" ? null : Number(li.dataset.cost),
                 iteration: Number(li.dataset.iteration),
                 diverged: li.dataset.diverged === "true" }))""")

    def traces(self, testid: str) -> list[dict]:
        """The figure's Plotly traces: type, name, and the x and y it drew."""
        return self.by_test_id(testid).evaluate(
            "div => (div.data || []).map((t) => ({ type: t.type, name: t.name, x: t.x, y: t.y }))")

    def wait_for_surface(self):
        """Until the contours are drawn."""
        deadline = time.monotonic() + 15
        while not any(t["type"] == "contour" for t in self.traces("race-surface")):
            assert time.monotonic() < deadline, "the loss surface was not drawn"
            self.page.wait_for_timeout(50)
