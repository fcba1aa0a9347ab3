"""A session's questions and the distribution of the class's answers, as CSV for after class:
one row per option of a choice, one per distinct number given, with the engine's answer and
whether each matches it."""

from __future__ import annotations

import csv
import io
from collections import Counter

from app.live.sessions import is_right

COLUMNS = ["poll", "asked_at_state", "kind", "prompt", "answer_given", "students",
           "matches_engine", "engine_answer", "answered"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a prompt or an option is typed by the
    teacher, but the file is opened later, anywhere)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value == int(value) and abs(value) < 1e15 else repr(float(value))


def poll_rows(poll: dict, answers: list[float]) -> list[list[str]]:
    base = [str(poll["id"]), str(poll["seq"]), poll["kind"], cell(poll["prompt"])]
    engine = poll["answer"]
    match = (lambda v: "" if engine is None else ("yes" if is_right(poll, v) else "no"))
    if poll["kind"] == "choice":
        counts = Counter(int(v) for v in answers)
        engine_text = "" if engine is None else cell(poll["options"][int(engine)])
        return [[*base, cell(option), str(counts.get(i, 0)), match(i), engine_text,
                 str(len(answers))] for i, option in enumerate(poll["options"])]
    counts = Counter(float(v) for v in answers)
    rows = [[*base, number(value), str(count), match(value), number(engine), str(len(answers))]
            for value, count in sorted(counts.items())]
    return rows or [[*base, "", "0", "", number(engine), "0"]]


def session_csv(polls: list[tuple[dict, list[float]]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for poll, answers in polls:
        writer.writerows(poll_rows(poll, answers))
    return out.getvalue()
