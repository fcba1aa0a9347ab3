"""The notebook of one iteration: the NumPy script's cells (marked `# %%`) as notebook cells,
one per stage, written with nbformat."""

from __future__ import annotations

import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from app.exports.numpy_code import numpy_script
from app.exports.setting import Setting

CELL = re.compile(r"^# %%(?P<markdown> \[markdown\])?(?P<title>.*)$", re.M)


def cells(script: str) -> list:
    """Each `# %% title` section as a code cell opening with `# title`; `# %% [markdown]`
    sections as markdown."""
    marks = list(CELL.finditer(script))
    found = []
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = script[mark.end(): following.start() if following else len(script)].strip("\n")
        if mark["markdown"]:
            found.append(new_markdown_cell("\n".join(re.sub(r"^# ?", "", line)
                                                     for line in body.splitlines())))
        else:
            found.append(new_code_cell(f"# {mark['title'].strip()}\n{body}"))
    # Ids by position rather than nbformat's random ones: the same request, the same file.
    for index, cell in enumerate(found):
        cell["id"] = f"cell-{index + 1}"
    return found


def notebook(setting: Setting) -> str:
    """The .ipynb text (nbformat 4), for the python3 kernel."""
    book = new_notebook(cells=cells(numpy_script(setting)), metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(book)
    return nbformat.writes(book)
