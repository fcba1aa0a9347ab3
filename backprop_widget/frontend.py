"""The widget's front end as anywidget's `_esm` and `_css`, made from the page's own files: the
ES modules under static/js that the widget's entry imports, embedded as text in loader.js (which
loads them from blob URLs, so their relative imports still resolve), and the playground's
stylesheets, scoped to the widget so they leave the notebook's page alone."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from app.module_graph import SPECIFIER, module_graph, resolve

STATIC = Path(__file__).resolve().parent.parent / "static"
LOADER = Path(__file__).resolve().parent / "loader.js"
ENTRY = "notebook/widget.js"
STYLESHEETS = ["site.css", "playground.css", "diagram.css", "svg.css", "stepping.css",
               "training.css"]
SCOPE = ".bp-notebook"
PAGE_WIDE = re.compile(r":root|\bbody\b")  # selectors that become the widget's root


def modules(entry: str = ENTRY) -> list[tuple[str, str]]:
    """(path, source) of entry and every module it imports, dependencies first, each relative
    specifier replaced by the placeholder the loader swaps for a blob URL."""
    def embedded(path: str) -> str:
        source = (STATIC / "js" / path).read_text(encoding="utf-8")
        placeholder = lambda m: f"{m[1]}{m[2]}__bp_module__:{resolve(path, m[3])}{m[2]}"  # noqa: E731
        return SPECIFIER.sub(placeholder, source)

    return [(path, embedded(path)) for path in module_graph(entry)]


@cache
def esm() -> str:
    """The widget's module text."""
    return (LOADER.read_text(encoding="utf-8")
            .replace("__MODULES__", json.dumps(modules()))
            .replace("__ENTRY__", json.dumps(ENTRY)))


@cache
def css() -> str:
    """The playground's stylesheets nested under the widget's root class: their :root and body
    rules (the palette, the font) become the root's own, and nothing reaches outside it."""
    text = "\n".join((STATIC / "css" / name).read_text(encoding="utf-8") for name in STYLESHEETS)
    return f"{SCOPE} {{\n{PAGE_WIDE.sub('&', text)}\n}}\n"
