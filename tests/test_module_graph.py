"""The module graph pages preload: each page's graph is complete (every module the browser
will import statically is in it, each after what it imports), and every module under static/js
is reachable from some page, widget or the notebook widget (no dead files)."""

from __future__ import annotations

from pathlib import Path

from app.module_graph import JS, imported_by, module_graph
from backprop_widget.frontend import modules

ENTRIES = sorted(str(p.relative_to(JS)) for folder in ("pages", "widgets")
                 for p in (JS / folder).glob("*.js")) + ["notebook/widget.js"]


def test_each_graph_lists_a_module_after_everything_it_imports():
    for entry in ENTRIES:
        graph = module_graph(entry)
        assert graph[-1] == entry
        seen = set()
        for path in graph:
            assert set(imported_by(path)) <= seen, f"{path} comes before what it imports"
            seen.add(path)


def test_every_module_is_reachable_from_a_page_or_widget():
    reachable = set(module_graph(*ENTRIES))
    every = {str(p.relative_to(JS)) for p in Path(JS).rglob("*.js")}
    assert every - reachable == set()


def test_the_notebook_widget_embeds_the_same_graph():
    assert [path for path, _ in modules()] == list(module_graph("notebook/widget.js"))


def test_a_lesson_preloads_the_widgets_it_uses():
    from app.lessons import all_lessons
    lesson = next(lesson for lesson in all_lessons() if lesson.widgets)
    graph = module_graph(*lesson.entry_modules)
    for name, _ in lesson.widgets:
        assert f"widgets/{name}.js" in graph


def test_every_page_template_preloads_the_graph_of_its_entry_module():
    import re

    from app.pages import ROOT
    for template in (ROOT / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        if re.search(r'<script type="module" src="/static/js/pages/', text):
            assert "module_graph(" in text, f"{template.name} does not preload its modules"
