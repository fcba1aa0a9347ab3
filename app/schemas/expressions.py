"""Models for POST /api/v1/expressions: a user's expression, its value, gradients and graph."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from app.schemas.common import GraphOut, Number, StrictModel
from app.schemas.iterations import EventsOut
from engine.demos.expressions import (
    ALLOWED_FUNCTIONS,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NAME_LENGTH,
    MAX_NODES,
    MAX_VARIABLES,
)
from engine.demos.programs import MAX_LINES, MAX_PROGRAM_LENGTH

EXAMPLE = {"expression": "(x*y + x) * sigmoid(w)", "values": {"x": 2.0, "y": 3.0, "w": 0.5}}

GRAMMAR = (
    "Numbers, variable names, + - * / **, unary minus, brackets and the functions "
    f"{ALLOWED_FUNCTIONS} (max takes two arguments). At most {MAX_LENGTH} characters, "
    f"{MAX_NODES} numbers, names and operations, {MAX_DEPTH} levels of nesting, "
    f"{MAX_VARIABLES} variables and exponents up to {MAX_EXPONENT} in size. The text is "
    "parsed, checked against this grammar and never executed. Or a program: up to "
    f"{MAX_LINES} lines (and {MAX_PROGRAM_LENGTH} characters) of `name = expression` (or "
    "+= -= *= /= **=), each line an expression as above, the last line optionally a bare "
    "expression; the output is that expression or the last name assigned. A name given a plain "
    "number, or read before it is assigned (its value from `values`), is an input; assigning a "
    "name again makes a new version of it (c₁, c₂, ...)."
)

PROGRAM_EXAMPLE = {"expression": "a = -4.0\nb = 2.0\nc = a + b\nd = a * b + b**3\n"
                                 "c += c + 1\ne = c - d\nf = e**2", "values": {}}

VariableName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]


class ExpressionRequest(StrictModel):
    """An expression and a value for each variable it uses (extra variables are ignored)."""

    expression: Annotated[str, Field(min_length=1, max_length=MAX_PROGRAM_LENGTH,
                                     description=GRAMMAR)]
    values: Annotated[dict[VariableName, Number],
                      Field(max_length=MAX_VARIABLES,
                            description="A finite number for each variable of the expression.")]

    model_config = {"json_schema_extra": {"examples": [
        EXAMPLE, {"expression": "x*y + x", "values": {"x": 2, "y": 3}}, PROGRAM_EXAMPLE]}}


class StatementOut(BaseModel):
    """The node one line of a program made, and the name (and version) it was given."""

    line: int = Field(description="1-based line of the text.")
    name: str | None = Field(description="The name assigned; null for a last bare expression.")
    version: int | None = Field(description="1, 2, ... for a name assigned more than once or "
                                            "read before it is assigned; null otherwise.")
    node: int = Field(description="The graph node the name stands for after this line.")


class ExpressionResponse(BaseModel):
    """The value, d output / d variable for each variable (sorted by name), the graph, the
    forward and backward events of every node, and the node each line of a program made."""

    expression: str = Field(description="The expression as evaluated (surrounding spaces cut).")
    output: float
    gradients: dict[str, float]
    variables: list[str]
    graph: GraphOut
    events: EventsOut
    statements: list[StatementOut]

    model_config = {"json_schema_extra": {"examples": [{
        "expression": "x*y + x", "output": 8.0, "gradients": {"x": 4.0, "y": 2.0},
        "variables": ["x", "y"],
        "graph": {"nodes": [], "edges": []}, "events": {"forward": [], "backward": []},
        "statements": [{"line": 1, "name": None, "version": None, "node": 4}]}]}}
