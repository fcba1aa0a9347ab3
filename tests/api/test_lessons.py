"""Lesson content: every file parses and renders with its math, widgets and questions intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape

from app.lessons import (
    LESSON_DIR,
    MATH,
    SYMBOLS_FILE,
    WIDGETS,
    all_lessons,
    latex_problem,
    symbols_page,
)

LESSONS = all_lessons()
WIDGET_DIR = Path(__file__).resolve().parents[2] / "static" / "js" / "widgets"
QUESTION = re.compile(r'<form class="question" id="([^"]+)" data-question="\1" '
                      r'data-answer="([^"]*)">(.*?)</form>', re.S)
HINT = re.compile(r'<div class="question-option-hint" data-option="(\d+)" hidden>(.*?)</div>',
                  re.S)
EXPLANATION = re.compile(
    r'<div class="question-explanation" tabindex="-1" hidden>(.*?)</div></div>', re.S)


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


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).strip()


def test_every_wrong_option_has_a_hint_and_no_right_one_has(client, lesson):
    """A learner who picks a wrong option reads what that choice would mean."""
    page = client.get(f"/lessons/{lesson.slug}").text
    for qid, answer, body in QUESTION.findall(page):
        options = re.findall(r'<input type="(?:radio|checkbox)" name="[^"]+" value="(\d+)">', body)
        right = {int(i) for i in answer.split(",")}
        hints = {int(i): text_of(hint) for i, hint in HINT.findall(body)}
        wrong = {int(i) for i in options} - right
        assert set(hints) == wrong, f"{qid}: hints for {sorted(hints)}, wrong {sorted(wrong)}"
        assert all(hints.values()), f"{qid}: an empty hint"
        assert len(set(hints.values())) == len(hints), f"{qid}: two options share a hint"
        assert 'class="question-show-solution" hidden' in body, qid


def test_every_lesson_links_the_symbols_table_near_the_top(lesson):
    assert 'href="/symbols"' in lesson.sections[0].html


def test_symbols_page_renders_with_no_problems(client):
    page = symbols_page()
    assert page.problems == []
    response = client.get("/symbols")
    assert response.status_code == 200
    html = response.text
    assert f"<h1>{escaped(page.title)}</h1>" in html and escaped(page.teaches) in html
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML"' in html
    assert "lesson-problem" not in html and "ZZMATH" not in html and "ZZBLOCK" not in html
    assert html.count("<table>") >= 4
    source = SYMBOLS_FILE.read_text(encoding="utf-8")
    listed = {symbol.strip("$") for cell in re.findall(r"^\| ([^|]+) \|", source, re.M)
              for symbol in cell.split(", ")}
    for latex in ["x", "y", "a^l", "z^l", "W^l", "w^l_{jk}", "b^l", "\\delta^l", "C", "C_i", "N",
                  "L", "n_l", "f", "f'", "\\sigma", "\\eta", "P", "\\theta", "h_t", "\\delta_t",
                  "W_{hh}", "T", "g", "\\Delta\\theta", "b_t", "\\mu", "\\tau", "v_t", "\\alpha",
                  "m_t", "\\beta_1", "\\beta_2", "\\hat{m}", "\\hat{v}", "\\epsilon", "\\lambda",
                  "C_0"]:
        assert latex in listed, f"the table of symbols has no row for ${latex}$"


def test_symbols_page_reports_its_problems(tmp_path):
    path = tmp_path / "symbols.md"
    path.write_text("---\ntitle: Symbols\norder: 1\n---\n| $\\frac{a}$ | x |\n", encoding="utf-8")
    problems = "\n".join(symbols_page(path).problems)
    for words in ["unknown line 'order: 1'", "teaches is missing", "<mfrac> needs 2 arguments"]:
        assert words in problems


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
    assert 'href="/playground"' in page and 'href="/docs"' in page and 'href="/symbols"' in page


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

::: question id="q-hint-on-right"
Prompt
- [x] a
  > a hint under the right option
- [ ] b
? why
:::

::: question id="q-empty-hint"
Prompt
- [x] a
- [ ] b
  >
? why
:::

::: question id="q-stray-text"
Prompt
- [x] a
not a hint: it is not indented
? why
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
                  "q-hint-on-right: option 1 is right; a hint belongs under a wrong option",
                  "q-empty-hint: option 2's hint is empty",
                  "q-stray-text: text after the options must start with '? '",
                  "has no closing ':::' line"]:
        assert words in problems
    assert len(lesson.problems) == 17
    rendered = "".join(section.html for section in lesson.sections)
    assert "$5" in rendered and "<code>$code$</code>" in rendered and "<msup>" in rendered


HINTED = """---
title: Hinted
order: 1
minutes: 5
teaches: Hints.
---
::: question id="q-hinted"
Which is $x^2$ at $x = 3$?
- [ ] 6
  > That is $2x$, the *derivative*;
  > and <b>not</b> the square.
- [x] 9
- [ ] 3
? $3^2 = 9$.
:::
"""


def test_hints_render_under_their_options_escaped_with_math(tmp_path):
    (tmp_path / "01-hinted.md").write_text(HINTED, encoding="utf-8")
    (lesson,) = all_lessons(tmp_path)
    assert lesson.problems == []
    (qid, answer, body), = QUESTION.findall(lesson.sections[0].html)
    assert (qid, answer) == ("q-hinted", "1")
    hints = dict(HINT.findall(body))
    assert list(hints) == ["0"], "only the option with a hint gets one; option 2 has none"
    assert "<msup>" not in hints["0"] and "<mn>2</mn><mi>x</mi>" in hints["0"]
    assert "<em>derivative</em>;\nand &lt;b&gt;not&lt;/b&gt; the square." in hints["0"]
    explanation = EXPLANATION.search(body).group(1)
    assert "<msup>" in explanation
