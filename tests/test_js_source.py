"""The browser code's own house rules, read from the source: modules stay small, functions short,
and the playground component touches nothing outside its root.

Function lengths come from a small scanner of the JavaScript text: strings, template literals,
comments and regular expressions are skipped, and a `{` opens a function body when it follows
`=>` or the parameter list of a named function or method.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parent.parent / "static" / "js"
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 80
BLOCK_KEYWORDS = {"if", "for", "while", "switch", "catch", "with", "else", "do", "try", "finally"}
REGEX_BEFORE = set("(,=:[!&|?{};+-*%<>~^") | {"return", "typeof", "case", "of", "in"}


def _skip_string(text: str, i: int) -> int:
    """Index just past the string or template literal starting at text[i]."""
    quote, i = text[i], i + 1
    while text[i] != quote:
        if text[i] == "\\":
            i += 1
        elif quote == "`" and text.startswith("${", i):
            i = _skip_braces(text, i + 1)
            continue
        i += 1
    return i + 1


def _skip_braces(text: str, i: int) -> int:
    """Index just past the `}` that closes the `{` at text[i] (inside a template literal)."""
    depth = 0
    while True:
        c = text[i]
        if c in "\"'`":
            i = _skip_string(text, i)
            continue
        depth += c == "{"
        depth -= c == "}"
        i += 1
        if depth == 0:
            return i


def tokens(text: str):
    """(kind, value, index) for punctuation and words, skipping strings, comments and regexes."""
    i, last = 0, ""
    while i < len(text):
        c = text[i]
        if c.isspace():
            i += 1
        elif text.startswith("//", i):
            i = text.find("\n", i) if "\n" in text[i:] else len(text)
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        elif c in "\"'`":
            i = _skip_string(text, i)
            last = "string"
        elif c == "/" and (last in REGEX_BEFORE or last == ""):
            i += 1
            while text[i] != "/":
                i += 2 if text[i] == "\\" else 1
                if text[i - 1] == "[":
                    while text[i] != "]":
                        i += 2 if text[i] == "\\" else 1
            i += 1
            last = "regex"
        elif text.startswith("=>", i):
            yield "arrow", "=>", i
            i, last = i + 2, "=>"
        elif c.isalnum() or c in "_$":
            match = re.match(r"[\w$]+", text[i:])
            yield "word", match.group(0), i
            i, last = i + match.end(), match.group(0)
        else:
            yield "punct", c, i
            i, last = i + 1, c


def function_lengths(text: str) -> list[tuple[int, int]]:
    """(first line, number of lines) of every function body."""
    toks = list(tokens(text))
    opens, parens, found = [], [], []
    for n, (kind, value, index) in enumerate(toks):
        if value == "(":
            parens.append(n)
        elif value == ")" and parens:
            toks[n] = (kind, value, index, parens.pop())
        elif value == "{":
            opens.append((n, _is_function_body(toks, n)))
        elif value == "}" and opens:
            start, is_function = opens.pop()
            if is_function:
                first = text.count("\n", 0, toks[start][2]) + 1
                last = text.count("\n", 0, index) + 1
                found.append((first, last - first + 1))
    return found


def _is_function_body(toks, n: int) -> bool:
    if n == 0:
        return False
    previous = toks[n - 1]
    if previous[1] == "=>":
        return True
    if previous[1] != ")" or len(previous) < 4:
        return False
    before = toks[previous[3] - 1] if previous[3] > 0 else None
    return bool(before) and before[0] == "word" and before[1] not in BLOCK_KEYWORDS


SOURCES = sorted(JS.rglob("*.js"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(JS)))
def test_modules_stay_small_and_functions_short(path):
    text = path.read_text(encoding="utf-8")
    assert text.count("\n") <= MAX_FILE_LINES, f"{path.name} has {text.count(chr(10))} lines"
    long = [(line, size) for line, size in function_lengths(text) if size > MAX_FUNCTION_LINES]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (first line, lines): {long}"


def test_the_scanner_measures_functions_and_skips_strings():
    text = ("function a(x) {\n  const s = '{ not a block';\n  return `${x}}`;\n}\n"
            "const b = (y) => {\n  if (y) {\n    return /}/.test(y);\n  }\n};\n"
            "const o = { m() {\n  return 1;\n} };\n")
    assert function_lengths(text) == [(1, 4), (5, 5), (10, 3)]


# The playground component and what it is made of touch only their own root: none of these
# modules reaches for the page's document, its URL or its key events.
COMPONENT = ["core", "trace", "views", "explain", "playground"]
OUTSIDE = re.compile(r"document\.(getElementById|querySelector(All)?|addEventListener|body|"
                     r"documentElement)|window\.|\blocation\.|\bhistory\.(pushState|replaceState)")
# The few reads that are the page's by nature, each with its reason.
ALLOWED = {
    ("core/downloads.js", "document.body"): "a download link must be in the document to be clicked",
    ("views/plots.js", "document.querySelector"): "plotly.js loads once a page has a diagram",
    ("views/plots.js", "window.Plotly"): "plotly.js is a classic script: its one global",
    ("views/plots.js", "document.documentElement"): "the colour palette is the page's",
}


@pytest.mark.parametrize("folder", COMPONENT)
def test_component_modules_touch_nothing_outside_their_root(folder):
    problems = []
    for path in sorted((JS / folder).rglob("*.js")):
        name = str(path.relative_to(JS))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//")[0]
            if OUTSIDE.search(code) and not any(name == file and allowed in code
                                                for file, allowed in ALLOWED):
                problems.append(f"{name}:{number}: {line.strip()}")
    assert not problems, "\n".join(problems)
