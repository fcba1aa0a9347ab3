"""Questions in a real Chromium: a wrong answer shows the hint for that choice and not the
solution, the solution comes on request, a right answer shows it at once, and a saved wrong
answer comes back with its hint after a reload. Every lesson links the table of symbols."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.lessons import all_lessons
from tests.e2e.lesson_page import settle, track_requests

pytestmark = pytest.mark.e2e

URL = "/lessons/layer-by-layer"
QID = "q-l4-weight"  # options: 0.08267 (right), 0.13850, 0.08217, 0.73538


def choose(question, option: int) -> None:
    question.locator(f'input[value="{option}"]').check()
    question.get_by_role("button", name="Check").click()


def test_a_wrong_answer_shows_its_hint_and_the_solution_only_on_request(live_server, page,
                                                                         artifacts):
    pending = track_requests(page)
    page.goto(f"{live_server}{URL}")
    question = page.locator(f"#{QID}")
    question.scroll_into_view_if_needed()
    hint = question.locator(".question-option-hint")
    solution = question.locator(".question-explanation")
    show = question.get_by_role("button", name="Show the solution")
    expect(hint).to_have_count(3)
    expect(show).to_be_hidden()

    choose(question, 1)
    expect(question).to_have_attribute("data-state", "wrong")
    expect(question.locator(".question-verdict")).to_contain_text("Not right")
    expect(hint.and_(question.locator('[data-option="1"]'))).to_be_visible()
    expect(hint.and_(question.locator('[data-option="1"]'))).to_contain_text("bias")
    expect(question.locator(".question-option-hint:visible")).to_have_count(1)
    expect(solution).to_be_hidden()
    expect(show).to_be_visible()
    question.screenshot(path=str(artifacts / "lesson-4-hint.png"))

    # Another wrong choice: its own hint replaces the first.
    choose(question, 3)
    expect(question.locator(".question-option-hint:visible")).to_have_count(1)
    expect(hint.and_(question.locator('[data-option="3"]'))).to_be_visible()
    expect(solution).to_be_hidden()

    show.click()
    expect(solution).to_be_visible()
    expect(solution).to_be_focused()
    expect(show).to_be_hidden()
    expect(question.locator(".question-verdict")).to_contain_text("Not right")
    question.screenshot(path=str(artifacts / "lesson-4-solution.png"))

    choose(question, 0)
    expect(question).to_have_attribute("data-state", "right")
    expect(question.locator(".question-verdict")).to_have_text("✓ Right.")
    expect(solution).to_be_visible()
    expect(question.locator(".question-option-hint:visible")).to_have_count(0)
    expect(show).to_be_hidden()

    # A saved wrong answer comes back with its hint, the solution still behind the button.
    bias = page.locator("#q-l4-bias")
    choose(bias, 0)
    expect(bias).to_have_attribute("data-state", "wrong")
    settle(page, pending)
    page.reload()
    bias = page.locator("#q-l4-bias")
    expect(bias).to_have_attribute("data-state", "wrong")
    expect(bias.locator('input[value="0"]')).to_be_checked()
    expect(bias.locator('.question-option-hint[data-option="0"]')).to_be_visible()
    expect(bias.locator(".question-explanation")).to_be_hidden()
    expect(bias.get_by_role("button", name="Show the solution")).to_be_visible()
    expect(page.locator(f"#{QID}")).to_have_attribute("data-state", "right")
    expect(page.locator(f"#{QID} .question-explanation")).to_be_visible()

    page.get_by_role("button", name="Reset progress").click()
    expect(bias.locator(".question-option-hint:visible")).to_have_count(0)
    expect(bias.get_by_role("button", name="Show the solution")).to_be_hidden()
    expect(bias).not_to_have_attribute("data-state", "wrong")
    settle(page, pending)
    assert page.problems == []


def test_the_keyboard_reaches_the_solution(live_server, page):
    pending = track_requests(page)
    page.goto(f"{live_server}/lessons/bptt")
    question = page.locator("#q-bptt-vanish")
    question.locator('input[value="0"]').focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")
    expect(question.locator('.question-option-hint[data-option="0"]')).to_be_visible()
    question.get_by_role("button", name="Show the solution").focus()
    page.keyboard.press("Enter")
    expect(question.locator(".question-explanation")).to_be_focused()
    settle(page, pending)
    assert page.problems == []


def test_every_lesson_links_the_table_of_symbols(live_server, page, artifacts):
    pending = track_requests(page)
    page.goto(live_server)
    slugs = page.locator(".lesson-item").evaluate_all("items => items.map(i => i.dataset.slug)")
    assert slugs == [lesson.slug for lesson in all_lessons()]
    for slug in slugs:
        page.goto(f"{live_server}/lessons/{slug}")
        link = page.locator('#section-1 a[href="/symbols"]')
        expect(link).to_have_count(1)
        settle(page, pending)
    link.click()
    page.wait_for_url(f"{live_server}/symbols")
    expect(page.locator("h1")).to_have_text("Symbols")
    assert page.locator(".lesson-body table").count() >= 4
    assert page.locator(".lesson-body math").count() > 100
    assert page.locator(".lesson-problem").count() == 0
    page.screenshot(path=str(artifacts / "symbols.png"), full_page=True)
    assert page.problems == []
