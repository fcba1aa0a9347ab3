"""The ES modules a page's entry module imports, directly or through others, read from
static/js. A page lists them as <link rel="modulepreload">, so the browser fetches them all at
once instead of discovering them one level of imports at a time; the notebook widget embeds the
same graph (backprop_widget/frontend.py)."""

from __future__ import annotations

import posixpath
import re
from functools import cache
from pathlib import Path

JS = Path(__file__).resolve().parent.parent / "static" / "js"
# A static import's or re-export's relative specifier: import "./x.js", from "../core/y.js".
SPECIFIER = re.compile(r"""(\bfrom\s*|\bimport\s*)(["'])(\.\.?/[^"']+)\2""")


def resolve(importer: str, specifier: str) -> str:
    """The path under static/js that `specifier`, written in `importer`, names."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(importer), specifier))
    if path.startswith(".."):
        raise ValueError(f"{importer} imports {specifier}, outside static/js")
    return path


def imported_by(path: str) -> list[str]:
    """The modules `path` imports statically, in the order it names them."""
    source = (JS / path).read_text(encoding="utf-8")
    return [resolve(path, match[3]) for match in SPECIFIER.finditer(source)]


@cache
def module_graph(*entries: str) -> tuple[str, ...]:
    """Every module the entries import, directly or not, with the entries themselves: each
    module after the modules it imports."""
    done: dict[str, None] = {}
    visiting: list[str] = []

    def visit(path: str) -> None:
        if path in done:
            return
        if path in visiting:
            raise ValueError(f"import cycle: {' -> '.join([*visiting, path])}")
        visiting.append(path)
        for imported in imported_by(path):
            visit(imported)
        visiting.pop()
        done[path] = None

    for entry in entries:
        visit(entry)
    return tuple(done)
