"""Lessons: content files of text, math, widgets and questions, rendered to HTML for the pages.

A lesson is `templates/lessons/NN-slug.md`, served at /lessons/<slug>:

    ---
    title: Why backprop?
    order: 1
    minutes: 20
    teaches: One sentence that says what the learner will be able to do.
    ---
    CommonMark text with $inline$ and $$display$$ LaTeX, split into sections at `##` headings.

    ::: widget playground preset="tiny-2-2-2" hide="data,train"

    ::: question id="q-some-id"
    The prompt (Markdown and math).
    - [ ] a wrong option
      > The hint for this choice: what choosing it would mean (Markdown and math).
    - [x] a right option
    ? The explanation: the full solution.
    :::

A wrong option may carry a hint: the lines under it that are indented (two spaces or more) and
start with `>`. A learner who picks a wrong option sees whether it is right and that option's
hint; the explanation is offered behind a "Show the solution" button and shown at once only for
a right answer. Hints are optional for the page; the content tests ask for one under every wrong
option of the course's lessons.

The table of symbols, `templates/lessons/symbols.md`, is written and rendered the same way (front
matter with a title and a teaches line only) and served at /symbols; every lesson links to it.

Math is converted to MathML here, with latex2mathml, so the browser shows it natively. What is
wrong with a file (a LaTeX error, an unknown widget or preset, a question without a right
answer) never stops the page: it is shown in place and listed in `Lesson.problems`, which the
content tests require to be empty.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from latex2mathml.converter import convert
from markdown_it import MarkdownIt

from app.presets import PRESETS_BY_NAME

LESSON_DIR = Path(__file__).resolve().parent.parent / "templates" / "lessons"
FILE_NAME = re.compile(r"^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FRONT_MATTER = ("title", "order", "minutes", "teaches")
SYMBOLS_FILE = LESSON_DIR / "symbols.md"
SYMBOLS_FRONT_MATTER = ("title", "teaches")


@dataclass(frozen=True)
class WidgetKind:
    """A widget module, static/js/widgets/<name>.js, and what the page does for it."""

    network: bool  # shows one network: gets an "Open in the playground" link
    plots: bool    # draws with plotly.js: the page loads it


WIDGETS: dict[str, WidgetKind] = {
    "playground": WidgetKind(network=True, plots=False),
    "checkpoint": WidgetKind(network=True, plots=False),
    "logistic": WidgetKind(network=True, plots=False),
    "symbols": WidgetKind(network=True, plots=False),
    "orders": WidgetKind(network=True, plots=False),
    "rates": WidgetKind(network=True, plots=True),
    "vanishing": WidgetKind(network=True, plots=True),
    "expression": WidgetKind(network=False, plots=False),
    "cost": WidgetKind(network=False, plots=True),
    "bptt": WidgetKind(network=False, plots=True),
    "race": WidgetKind(network=False, plots=True),  # links to the race page itself
}
# Options of the playground widget that the full playground's link leaves out.
PLAYGROUND_LOCAL = ("hide", "present")
# The checkpoint widget's own options: which number it asks for (indices from 1, as written).
CHECKPOINT_ONLY = ("quantity", "layer", "j", "k")

FENCE = re.compile(r"^(`{3,}|~{3,})")
DIRECTIVE = re.compile(r"^:::(?:\s|$)")
WIDGET = re.compile(r'^::: widget ([a-z][a-z0-9-]*)((?: +[a-z][a-z0-9_-]*="[^"]*")*) *$')
ATTRIBUTE = re.compile(r'([a-z][a-z0-9_-]*)="([^"]*)"')
QUESTION = re.compile(r'^::: question id="([a-z][a-z0-9-]*)" *$')
OPTION = re.compile(r"^- \[([ x])\] (.+)$")
HINT = re.compile(r"^ {2,}>(?: (.*))?$")
MATH = re.compile(r"(?P<fenced>^(?P<fence>`{3,}|~{3,}).*?^(?P=fence))|(?P<code>`+).*?(?P=code)"
                  r"|\\\$|\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$",
                  re.S | re.M)
PLACEHOLDER = re.compile(r"ZZ(MATH|BLOCK)(\d+)ZZ")
# MathML elements and the number of children each must have: a LaTeX command missing an argument
# still converts, so the tree is checked.
ARITY = {"mfrac": 2, "msup": 2, "msub": 2, "msubsup": 3, "mroot": 2, "munder": 2, "mover": 2,
         "munderover": 3}
MATHML = "{http://www.w3.org/1998/Math/MathML}"

markdown = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Section:
    """The text between two `##` headings: one screen of the present view."""

    id: str
    title: str  # HTML of the heading's text; the lesson's title for the opening section
    html: str


@dataclass
class Lesson:
    slug: str
    title: str
    order: int
    minutes: int
    teaches: str
    sections: list[Section] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    widgets: list[tuple[str, dict]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def uses_plots(self) -> bool:
        return any(WIDGETS[name].plots for name, _ in self.widgets if name in WIDGETS)

    @property
    def entry_modules(self) -> tuple[str, ...]:
        """The page's module and the widget modules it will import, for the page to preload."""
        return ("pages/lesson.js", *sorted({f"widgets/{name}.js" for name, _ in self.widgets}))


class Renderer:
    """Turns one lesson's body into sections of HTML, collecting problems as it goes."""

    def __init__(self, lesson: Lesson):
        self.lesson = lesson
        self.math: list[str] = []
        self.blocks: list[str] = []

    def problem(self, message: str) -> str:
        """Record a problem and return the HTML that shows it in place."""
        self.lesson.problems.append(message)
        return f'<strong class="lesson-problem" role="alert">{html.escape(message)}</strong>'

    # Math: each $...$ and $$...$$ becomes a placeholder that Markdown leaves alone.

    def mathml(self, latex: str, display: bool) -> str:
        latex = latex.strip()
        problem = latex_problem(latex)
        if problem:
            return self.problem(f"LaTeX error in ${latex}$: {problem}")
        return convert(latex, display="block" if display else "inline")

    def protect_math(self, text: str) -> str:
        def replace(match: re.Match) -> str:
            if match.group("fenced") or match.group("code") or match.group(0) == "\\$":
                return match.group(0)
            display = match.group("display") is not None
            self.math.append(self.mathml(match.group("display" if display else "inline"), display))
            return f"ZZMATH{len(self.math) - 1}ZZ"

        return MATH.sub(replace, text)

    def restore(self, rendered: str) -> str:
        """Put the math and the blocks back in place of their placeholders."""
        def replace(match: re.Match) -> str:
            kind, index = match.group(1), int(match.group(2))
            return self.math[index] if kind == "MATH" else self.blocks[index]

        rendered = re.sub(r"<p>(ZZBLOCK\d+ZZ)</p>", r"\1", rendered)
        return PLACEHOLDER.sub(replace, rendered)

    def markdown(self, text: str, inline: bool = False) -> str:
        """Markdown with math, as HTML: a block, or one line's inline content."""
        text = self.protect_math(text)
        rendered = markdown.renderInline(text) if inline else markdown.render(text)
        return self.restore(rendered)

    # Directives: widgets and questions, each replaced by a placeholder paragraph.

    def block(self, rendered: str) -> str:
        self.blocks.append(rendered)
        return f"\nZZBLOCK{len(self.blocks) - 1}ZZ\n"

    def widget(self, line: str) -> str:
        match = WIDGET.match(line)
        if not match:
            return self.block(self.problem(f"cannot read the widget line {line!r}: write "
                                           '::: widget NAME key="value" ...'))
        name, options = match.group(1), dict(ATTRIBUTE.findall(match.group(2)))
        self.lesson.widgets.append((name, options))
        kind = WIDGETS.get(name)
        if kind is None:
            return self.block(self.problem(f"unknown widget {name!r}; known: "
                                           f"{', '.join(WIDGETS)}"))
        if "preset" in options and options["preset"] not in PRESETS_BY_NAME:
            return self.block(self.problem(f"widget {name}: unknown preset "
                                           f"{options['preset']!r}"))
        payload = json.dumps(options, separators=(",", ":"))
        attribute = html.escape(payload, quote=False).replace("'", "&#39;")
        index = len(self.lesson.widgets)
        div = (f'<div class="lesson-widget" id="widget-{index}" data-widget="{name}" '
               f"data-options='{attribute}'></div>")
        if not kind.network:
            return self.block(f'<figure class="lesson-widget-frame">{div}</figure>')
        link = (f'<a class="playground-link" href="{html.escape(playground_href(name, options))}"'
                f' target="_blank">Open in the playground</a>')
        return self.block(f'<figure class="lesson-widget-frame">{div}'
                          f"<figcaption>{link}</figcaption></figure>")

    def question(self, opening: str, lines: list[str]) -> str:
        match = QUESTION.match(opening)
        if not match:
            return self.block(self.problem(f"cannot read {opening!r}: write "
                                           '::: question id="q-lowercase-words"'))
        qid = match.group(1)
        if qid in self.lesson.questions:
            return self.block(self.problem(f"question id {qid!r} is used twice"))
        self.lesson.questions.append(qid)
        prompt, options, explanation = [], [], []
        for line in lines:
            option, hint = OPTION.match(line), HINT.match(line)
            if explanation:
                explanation.append(line)
            elif line.startswith("? ") or line == "?":
                explanation.append(line[2:])
            elif option:
                options.append((option.group(1) == "x", option.group(2), []))
            elif options and hint:
                options[-1][2].append(hint.group(1) or "")
            elif options and line.strip():
                return self.block(self.problem(f"question {qid}: text after the options must "
                                               f"start with '? ' (the explanation) or, indented "
                                               f"under an option, with '> ' (its hint): {line!r}"))
            else:
                prompt.append(line)
        if not "".join(prompt).strip():
            return self.block(self.problem(f"question {qid} has no prompt"))
        if not options:
            return self.block(self.problem(f"question {qid} has no options (- [ ] / - [x])"))
        if not any(correct for correct, _, _ in options):
            return self.block(self.problem(f"question {qid} has no right option (- [x])"))
        if not "".join(explanation).strip():
            return self.block(self.problem(f"question {qid} has no explanation (? ...)"))
        for number, (correct, _, hint) in enumerate(options, start=1):
            if hint and correct:
                return self.block(self.problem(f"question {qid}: option {number} is right; a "
                                               f"hint belongs under a wrong option"))
            if hint and not "".join(hint).strip():
                return self.block(self.problem(f"question {qid}: option {number}'s hint is "
                                               f"empty"))
        return self.block(question_html(
            qid, self.markdown("\n".join(prompt)),
            [(correct, self.markdown(text, inline=True),
              self.markdown("\n".join(hint)) if hint else "") for correct, text, hint in options],
            self.markdown("\n".join(explanation))))

    def directives(self, body: str) -> str:
        """The body with every widget and question replaced by a placeholder."""
        out: list[str] = []
        lines = body.split("\n")
        fence = None
        i = 0
        while i < len(lines):
            line = lines[i]
            i += 1
            opened = FENCE.match(line)
            if fence:
                fence = None if line.startswith(fence) else fence
            elif opened:
                fence = opened.group(1)
            elif line.startswith("::: widget"):
                line = self.widget(line)
            elif line.startswith("::: question"):
                end = next((j for j in range(i, len(lines)) if lines[j].strip() == ":::"), None)
                if end is None:
                    line = self.block(self.problem(f"{line!r} has no closing ':::' line"))
                else:
                    line = self.question(line, lines[i:end])
                    i = end + 1
            elif DIRECTIVE.match(line):
                line = self.block(self.problem(f"unknown directive {line!r}"))
            out.append(line)
        return "\n".join(out)

    def sections(self, body: str) -> list[Section]:
        """The body rendered and split at its `##` headings."""
        tokens = markdown.parse(self.protect_math(self.directives(body)))
        headings = [(i, t.tag) for i, t in enumerate(tokens) if t.type == "heading_open"]
        if any(tag == "h1" for _, tag in headings):
            self.problem("use ## for sections: the title comes from the front matter")
        starts = [0] + [i for i, tag in headings if tag == "h2"]
        out = []
        for start, end in zip(starts, starts[1:] + [len(tokens)], strict=True):
            part = tokens[start:end]
            if not part:
                continue
            title = html.escape(self.lesson.title)
            if part[0].type == "heading_open":
                title = self.restore(markdown.renderer.renderInline(part[1].children,
                                                                    markdown.options, {}))
            out.append(Section(f"section-{len(out) + 1}", title,
                               self.restore(markdown.renderer.render(part, markdown.options, {}))))
        return out


def latex_problem(latex: str) -> str | None:
    """Why this LaTeX does not convert cleanly, or None. latex2mathml raises on some errors and
    passes others through (an unknown command, a missing argument, a stray brace)."""
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex):
        depth += {"{": 1, "}": -1}.get(match.group(0), 0)
        if depth < 0:
            return "a '}' closes nothing"
    if depth:
        return "a '{' is not closed"
    try:
        mathml = convert(latex)
    except Exception as error:  # latex2mathml's errors share no base class
        return f"{type(error).__name__} {error}".strip()
    root = ET.fromstring(mathml)
    for element in root.iter():
        tag = element.tag.removeprefix(MATHML)
        if tag in ARITY and len(element) != ARITY[tag]:
            return f"<{tag}> needs {ARITY[tag]} arguments"
        if "\\" in (element.text or ""):
            return f"unknown command {element.text}"
    return None


def question_html(qid: str, prompt: str, options: list[tuple[bool, str, str]],
                  explanation: str) -> str:
    """A question as a form: radio buttons (checkboxes when several options are right), a Check
    button, a "Show the solution" button for after a wrong answer, and a live region for the
    verdict, the hint of each wrong option (shown when it is chosen) and the explanation."""
    answer = ",".join(str(i) for i, (correct, _, _) in enumerate(options) if correct)
    kind = "checkbox" if "," in answer else "radio"
    items = "".join(
        f'<li><label class="question-option"><input type="{kind}" name="{qid}" value="{i}"> '
        f"<span>{text}</span></label></li>" for i, (_, text, _) in enumerate(options))
    note = ('<p class="question-hint">More than one answer is right: choose all of them.</p>'
            if kind == "checkbox" else "")
    hints = "".join(f'<div class="question-option-hint" data-option="{i}" hidden>{hint}</div>'
                    for i, (_, _, hint) in enumerate(options) if hint)
    return (f'<form class="question" id="{qid}" data-question="{qid}" data-answer="{answer}">'
            f'<div class="question-prompt" id="{qid}-prompt">{prompt}</div>{note}'
            f'<fieldset aria-labelledby="{qid}-prompt"><ul class="question-options">{items}</ul>'
            f"</fieldset>"
            f'<p class="question-actions"><button type="submit">Check</button> '
            f'<button type="button" class="question-show-solution" hidden>Show the solution'
            f"</button></p>"
            f'<div class="question-feedback" role="status" aria-live="polite">'
            f'<p class="question-verdict"></p>{hints}'
            f'<div class="question-explanation" tabindex="-1" hidden>{explanation}</div></div>'
            f"</form>")


def playground_href(name: str, options: dict) -> str:
    """Where "Open in the playground" goes before the widget refines it: the playground widget's
    own state, or the preset another widget starts from."""
    if name in ("playground", "checkpoint"):
        state = {k: v for k, v in options.items() if k not in PLAYGROUND_LOCAL + CHECKPOINT_ONLY}
        if "view" in state:  # several views side by side: the link opens the first
            state["view"] = state["view"].split(",")[0]
    else:
        state = {"preset": options["preset"]} if "preset" in options else {}
    return "/playground" + (f"#{urlencode(state, safe=',')}" if state else "")


def front_matter(text: str, lesson: Lesson, keys: tuple[str, ...] = FRONT_MATTER) -> str:
    """Read the `key: value` lines between the opening `---` lines into `lesson`; the body."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---" or "---" not in [s.strip() for s in lines[1:]]:
        lesson.problems.append("the file must open with front matter between '---' lines")
        return text
    end = 1 + [s.strip() for s in lines[1:]].index("---")
    seen = set()
    for line in lines[1:end]:
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if not colon or key not in keys:
            lesson.problems.append(f"front matter: unknown line {line!r}; the keys are "
                                   f"{', '.join(keys)}")
            continue
        seen.add(key)
        if key in ("order", "minutes"):
            if not value.isdigit():
                lesson.problems.append(f"front matter: {key} must be a whole number, got {value!r}")
                continue
            setattr(lesson, key, int(value))
        else:
            setattr(lesson, key, value)
    for key in keys:
        if key not in seen:
            lesson.problems.append(f"front matter: {key} is missing")
    return "\n".join(lines[end + 1:])


@lru_cache(maxsize=64)
def _load(path: Path, modified: int, keys: tuple[str, ...] = FRONT_MATTER) -> Lesson:
    """One content file parsed and rendered (cached until the file changes): a lesson, or the
    table of symbols when `keys` are its front matter's."""
    named = FILE_NAME.match(path.name)
    number, slug = named.groups() if named else ("0", path.stem)
    lesson = Lesson(slug=slug, title=slug, order=int(number), minutes=0, teaches="")
    body = front_matter(path.read_text(encoding="utf-8"), lesson, keys)
    lesson.sections = Renderer(lesson).sections(body)
    return lesson


def all_lessons(directory: Path = LESSON_DIR) -> list[Lesson]:
    """Every lesson file, in the order their front matter gives."""
    paths = [p for p in directory.glob("*.md") if FILE_NAME.match(p.name)]
    lessons = [_load(p, p.stat().st_mtime_ns) for p in paths]
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.slug))


def symbols_page(path: Path = SYMBOLS_FILE) -> Lesson:
    """The table of every symbol the lessons use, rendered like a lesson, for /symbols."""
    return _load(path, path.stat().st_mtime_ns, SYMBOLS_FRONT_MATTER)
