"""POST /api/v1/expressions: a typed expression's value, its gradients and its graph."""

from __future__ import annotations

from fastapi import APIRouter

from app.body_route import JSONBodyRoute
from app.responses import FastJSONResponse
from app.schemas.common import ERROR_RESPONSES
from app.schemas.expressions import ExpressionRequest, ExpressionResponse
from engine.demos.expressions import ExpressionError, ExpressionResult, evaluate, parse
from engine.demos.programs import evaluate_program, is_program, parse_program
from engine.networks.spec import SpecError

router = APIRouter(prefix="/api/v1/expressions", tags=["expressions"], route_class=JSONBodyRoute)


def evaluate_request(request: ExpressionRequest) -> ExpressionResult:
    """The expression or program evaluated, with a refused text addressed to `expression` and a
    missing value to `values`."""
    program = is_program(request.expression)
    try:
        parsed = (parse_program if program else parse)(request.expression)
    except ExpressionError as error:
        raise SpecError("expression", str(error)) from error
    missing = [name for name in parsed.variables if name not in request.values]
    if missing:
        raise SpecError("values", "no value given for " + ", ".join(map(repr, missing)))
    try:
        return (evaluate_program if program else evaluate)(request.expression, request.values)
    except ExpressionError as error:
        raise SpecError("expression", str(error)) from error


@router.post("", response_model=ExpressionResponse, responses=ERROR_RESPONSES,
             summary="Evaluate an expression and backpropagate through its graph")
def create_expression(request: ExpressionRequest) -> FastJSONResponse:
    """Parse the expression or program safely (never executed), build its graph, run forward
    and backward.

    A refused expression (outside the grammar or the limits) or one that is not finite at the
    given values is a 422 whose message says what was refused and where.
    """
    return FastJSONResponse(evaluate_request(request).to_dict())
