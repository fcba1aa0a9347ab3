"""Lesson content: every file parses and renders with its math, widgets and questions intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from app.lessons import LESSON_DIR, MATH, WIDGETS, all_lessons, latex_problem

LESSONS = all_lessons()
WIDGET_DIR = Path(__file__).resolve().parents[2] / "static" / "js" / "widgets"
QUESTION = re.compile(r'<form class="question" id="([^"]+)" data-question="\1" '
                      r'data-answer="([^"]*)">(.*?)</form>', re.S)
EXPLANATION = re.compile(r'<div class="question-explanation" tabindex="-1" hidden>(.*?)</div></div>',
                         re.S)


def escaped(text: str) -> str:
    """As the templates write text."""
    return str(escape(text))


def by_slug(slug: str):
    return next(lesson for lesson in LESSONS if lesson.slug == slug)


@pytest.fixture(params=[lesson.slug for lesson in LESSONS])
def lesson(request):
    return by_slug(request.param)


def test_lessons_have_distinct_orders_and_slugs():
    assert len(LESSONS) >= 5
    orders = [lesson.order for lesson in LESSONS]
    assert orders == sorted(set(orders)), "two lessons share an order"
    assert len({lesson.slug for lesson in LESSONS}) == len(LESSONS)


def test_lesson_file_has_no_problems(lesson):
    """Unknown widgets or presets, LaTeX errors and incomplete questions are all problems."""
    assert lesson.problems == []
    assert lesson.title and lesson.teaches and lesson.minutes > 0
    assert lesson.questions, "every lesson ends with questions"


def test_every_formula_converts_to_mathml():
    for path in sorted(LESSON_DIR.glob("*.md")):
        for match in MATH.finditer(path.read_text(encoding="utf-8")):
            latex = match.group("display") or match.group("inline")
            if latex is not None:
                assert latex_problem(latex.strip()) is None, f"{path.name}: ${latex}$"


def test_lesson_page_renders(client, lesson):
    response = client.get(f"/lessons/{lesson.slug}")
    assert response.status_code == 200
    page = response.text
    assert f"<h1>{escaped(lesson.title)}</h1>" in page
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML"' in page
    assert escaped(lesson.teaches) in page and f"{lesson.minutes} minutes" in page
    assert "lesson-problem" not in page
    assert page.count('class="lesson-widget"') == len(lesson.widgets)
    assert page.count('<section class="lesson-section"') == len(lesson.sections)
    assert ("/vendor/plotly.min.js" in page) == lesson.uses_plots


def test_questions_have_a_right_answer_and_an_explanation(client, lesson):
    page = client.get(f"/lessons/{lesson.slug}").text
    questions = QUESTION.findall(page)
    assert [qid for qid, _, _ in questions] == lesson.questions
    assert len(set(lesson.questions)) == len(lesson.questions)
    for qid, answer, body in questions:
        options = re.findall(r'<input type="(radio|checkbox)" name="([^"]+)" value="(\d+)">', body)
        assert len(options) >= 2, qid
        assert {name for _, name, _ in options} == {qid}
        right = [int(i) for i in answer.split(",")]
        assert right and all(0 <= i < len(options) for i in right), qid
        assert {kind for kind, _, _ in options} == {"checkbox" if len(right) > 1 else "radio"}
        explanation = EXPLANATION.search(body)
        assert explanation and re.sub(r"<[^>]+>", "", explanation.group(1)).strip(), qid


def test_widgets_are_modules_and_presets_exist(client, lesson):
    presets = {preset["name"] for preset in client.get("/api/v1/presets").json()}
    for name, options in lesson.widgets:
        assert name in WIDGETS, f"{lesson.slug}: unknown widget {name}"
        preset = options.get("preset")
        assert preset is None or preset in presets, f"{lesson.slug}: unknown preset {preset}"


@pytest.mark.parametrize("name", sorted(WIDGETS))
def test_every_registered_widget_module_exports_mount(name):
    source = (WIDGET_DIR / f"{name}.js").read_text(encoding="utf-8")
    assert re.search(r"^export (async )?function mount\(element, options, context\)", source, re.M)


def test_network_widgets_link_to_the_playground(client):
    page = client.get("/lessons/why-backprop").text
    links = re.findall(r'<a class="playground-link" href="([^"]+)"', page)
    assert links[0] == "/playground#preset=logistic-regression"
    assert links[1].startswith("/playground#net=2-2-1&amp;act=sigmoid,sigmoid&amp;")
    assert "hide=" not in links[1]


def test_present_view_renders_one_section_per_screen(client, lesson):
    response = client.get(f"/lessons/{lesson.slug}?present=1")
    assert response.status_code == 200
    page = response.text
    assert 'class="lesson-page present"' in page and 'class="present-nav"' in page
    assert page.count("data-current") == 1
    assert page.count('<section class="lesson-section"') == len(lesson.sections)
    assert all(section.html.startswith("<h2>") for section in lesson.sections[1:])


def test_home_lists_every_lesson_in_order(client):
    page = client.get("/").text
    assert re.findall(r'<a href="/lessons/([a-z0-9-]+)">', page) == [l.slug for l in LESSONS]
    for number, lesson in enumerate(LESSONS, start=1):
        assert f"Lesson {number}</span>" in page
        assert escaped(lesson.teaches) in page and f"{lesson.minutes} minutes" in page
    assert 'href="/playground"' in page and 'href="/docs"' in page


def test_unknown_lesson_is_a_404(client):
    response = client.get("/lessons/no-such-lesson")
    assert response.status_code == 404
    assert response.json()["detail"][0]["loc"] == ["path", "slug"]


BROKEN = """---
title: Broken
order: 1
minutes: 5
---
# A title in the body

Bad $\\frac{a}$, $\\nosuch x$, $x^$ and $\\left( x$; fine $a^2$, \\$5 and `$code$`.

::: widget nosuch
::: widget playground preset="nosuch"
::: widget playground preset=unquoted
::: aside

::: question id="q-none-right"
Prompt
- [ ] a
? why
:::

::: question id="q-none-right"
Prompt
- [x] a
? why
:::

::: question id="q-no-explanation"
Prompt
- [x] a
:::

::: question id="q-unclosed"
Prompt
- [x] a
? why
"""


def test_problems_in_a_lesson_file_are_reported(tmp_path):
    (tmp_path / "01-broken.md").write_text(BROKEN, encoding="utf-8")
    (lesson,) = all_lessons(tmp_path)
    problems = "\n".join(lesson.problems)
    for words in ["teaches is missing", "use ## for sections", "<mfrac> needs 2 arguments",
                  "unknown command \\nosuch", "MissingSuperScriptOrSubscriptError",
                  "ExtraLeftOrMissingRightError", "unknown widget 'nosuch'",
                  "unknown preset 'nosuch'", "cannot read the widget line",
                  "unknown directive '::: aside'", "q-none-right has no right option",
                  "'q-none-right' is used twice", "q-no-explanation has no explanation",
                  "has no closing ':::' line"]:
        assert words in problems
    assert len(lesson.problems) == 14
    rendered = "".join(section.html for section in lesson.sections)
    assert "$5" in rendered and "<code>$code$</code>" in rendered and "<msup>" in rendered
