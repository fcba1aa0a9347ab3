"""The offline API reference in a real Chromium: it renders every endpoint with no network."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

ENDPOINTS = ["/api/v1/iterations", "/api/v1/networks", "/api/v1/train", "/api/v1/gradcheck",
             "/api/v1/expressions", "/api/v1/rnn/bptt", "/api/v1/cost", "/api/v1/datasets",
             "/api/v1/presets", "/healthz"]


def test_docs_render_offline_without_console_errors(live_server, page, artifacts):
    remote = []
    page.on("request", lambda r: remote.append(r.url)
            if not r.url.startswith(live_server) and not r.url.startswith("data:") else None)
    page.goto(f"{live_server}/docs")
    page.wait_for_selector(".opblock", timeout=15000)
    text = page.inner_text("#swagger-ui")
    for path in ENDPOINTS:
        assert path in text, f"{path} missing from /docs"
    page.screenshot(path=str(artifacts / "docs.png"), full_page=False)
    assert remote == [], f"requests left the machine: {remote}"
    assert page.problems == []


def test_home_page_links_to_docs(live_server, page):
    page.goto(live_server)
    assert page.title() == "backprop, visualized"
    page.get_by_role("link", name="API reference").click()
    page.wait_for_selector(".opblock", timeout=15000)
    assert page.url.endswith("/docs")
    assert page.problems == []
