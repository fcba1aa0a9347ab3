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

EXAMPLE = {"expression": "(x*y + x) * sigmoid(w)", "values": {"x": 2.0, "y": 3.0, "w": 0.5}}

GRAMMAR = (
    "Numbers, variable names, + - * / **, unary minus, brackets and the functions "
    f"{ALLOWED_FUNCTIONS} (max takes two arguments). At most {MAX_LENGTH} characters, "
    f"{MAX_NODES} numbers, names and operations, {MAX_DEPTH} levels of nesting, "
    f"{MAX_VARIABLES} variables and exponents up to {MAX_EXPONENT} in size. The text is "
    "parsed, checked against this grammar and never executed."
)

VariableName = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]


class ExpressionRequest(StrictModel):
    """An expression and a value for each variable it uses (extra variables are ignored)."""

    expression: Annotated[str, Field(min_length=1, max_length=MAX_LENGTH, description=GRAMMAR)]
    values: Annotated[dict[VariableName, Number],
                      Field(max_length=MAX_VARIABLES,
                            description="A finite number for each variable of the expression.")]

    model_config = {"json_schema_extra": {"examples": [
        EXAMPLE, {"expression": "x*y + x", "values": {"x": 2, "y": 3}}]}}


class ExpressionResponse(BaseModel):
    """The value, d output / d variable for each variable (sorted by name), the graph and the
    forward and backward events of every node."""

    expression: str = Field(description="The expression as evaluated (surrounding spaces cut).")
    output: float
    gradients: dict[str, float]
    variables: list[str]
    graph: GraphOut
    events: EventsOut

    model_config = {"json_schema_extra": {"examples": [{
        "expression": "x*y + x", "output": 8.0, "gradients": {"x": 4.0, "y": 2.0},
        "variables": ["x", "y"],
        "graph": {"nodes": [], "edges": []}, "events": {"forward": [], "backward": []}}]}}
