"""Helpers for the lesson browser tests: leave a page only once nothing it started is in flight."""

from __future__ import annotations

import time


def track_requests(page) -> set:
    """The page's requests still in flight (its frames' included), kept up to date."""
    pending: set = set()
    page.on("request", lambda request: pending.add(request))
    page.on("requestfinished", lambda request: pending.discard(request))
    page.on("requestfailed", lambda request: pending.discard(request))
    return pending


def settle(page, pending: set, timeout: float = 30.0) -> None:
    """Wait until no widget in view is loading and no request is in flight, so that a reload or a
    new page aborts nothing (an aborted request counts as a problem). Two animation frames first:
    widgets start from an IntersectionObserver's callback."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_function(
        "() => !document.querySelector('.lesson-widget[data-state=\"loading\"]')",
        timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    while pending:
        assert time.monotonic() < deadline, f"requests still in flight: {pending}"
        page.wait_for_timeout(100)
