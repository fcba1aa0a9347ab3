"""The export panel's code downloads in a real Chromium: the NumPy script the page saves is the
current iteration (run here, it prints the trace's numbers), and a refusal is shown in place."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from playwright.sync_api import expect

from tests.api.test_exports import assert_same_numbers, printed_stages
from tests.e2e.playground_page import Playground

pytestmark = pytest.mark.e2e


def test_the_numpy_download_reproduces_the_current_iteration(live_server, page, tmp_path):
    pg = Playground(page, live_server).open("#preset=tiny-2-2-2&lr=0.25")
    body = pg.last_request
    button = page.get_by_test_id("export-numpy")
    expect(button).to_be_enabled()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "backprop-iteration.py"
    script = tmp_path / "iteration.py"
    download.value.save_as(script)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            check=True, timeout=60)
    trace = httpx.post(f"{live_server}/api/v1/iterations", json=body).json()
    assert trace["learning_rate"] == 0.25
    assert_same_numbers(printed_stages(result.stdout), trace)
    for kind, name in [("notebook", "backprop-iteration.ipynb"),
                       ("pytorch", "backprop-iteration-torch.py")]:
        with page.expect_download() as download:
            page.get_by_test_id(f"export-{kind}").click()
        assert download.value.suggested_filename == name
    assert page.problems == []


def test_a_refused_export_says_why_in_the_panel(live_server, page):
    Playground(page, live_server).open("#preset=tiny-2-2-2&order=eager")
    page.get_by_test_id("export-pytorch").click()
    expect(page.get_by_test_id("export-code-note")).to_contain_text(
        "update_order: the PyTorch export takes one torch.optim.SGD step")
    assert all("status of 422" in problem for problem in page.problems), page.problems
