"""Expressions typed by a user: values, gradients against finite differences, events, refusals."""

from __future__ import annotations

import json
import math
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from engine.demos.expressions import (
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NODES,
    MAX_VARIABLES,
    ExpressionError,
    evaluate,
    parse,
)
from tests.finite_diff import (
    TOLERANCE,
    assert_gradient_close,
    central_difference,
    relative_error,
)


def sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def relu(v: float) -> float:
    return max(v, 0.0)


def by_name(result, name):
    """The one node of result's graph called name."""
    (node,) = [n for n in result.graph.nodes if n.name == name]
    return node


def event_of(result, node):
    """The recorded backward event of node."""
    (event,) = [e for e in result.graph.backward_events if e.node_id == node.id]
    return event


# ---------------------------------------------------------------- forward values

@pytest.mark.parametrize(
    ("text", "values", "expected"),
    [
        ("2*x + 3", {"x": 4.0}, 11.0),
        ("x*y + x", {"x": 2.0, "y": 3.0}, 8.0),
        ("-x ** 2", {"x": 3.0}, -9.0),
        ("(-3) ** 2 + -3 ** 2", {}, 0.0),
        ("+x - -3", {"x": 1.5}, 4.5),
        ("(x - y) / 4", {"x": 7.0, "y": -1.0}, 2.0),
        ("2 ** -1 + 2 ** 0.5", {}, 0.5 + math.sqrt(2.0)),
        ("x ** y ** 2", {"x": 2.0, "y": 3.0}, 512.0),
        ("exp(x) + log(y)", {"x": 0.5, "y": 2.0}, math.exp(0.5) + math.log(2.0)),
        ("sigmoid(x) * tanh(y)", {"x": -0.3, "y": 0.8}, sigmoid(-0.3) * math.tanh(0.8)),
        ("relu(x) + relu(-x) + max(x, y)", {"x": -1.25, "y": -2.0}, 1.25 - 1.25),
        ("max(x, 2)", {"x": 5.0, "unused": 1.0}, 5.0),
    ],
)
def test_forward_value(text, values, expected):
    assert evaluate(text, values).output == pytest.approx(expected, rel=1e-15, abs=1e-15)


def test_graph_has_one_leaf_per_variable_and_named_roles():
    result = evaluate("x*x + x + 0.5 * 3", {"x": 2.0})
    assert [n.name for n in result.graph.nodes if n.role == "variable"] == ["x"]
    assert sorted(n.name for n in result.graph.nodes if n.role == "constant") == ["0.5", "3"]
    assert {n.name for n in result.graph.nodes if n.role == "hidden"} == {
        "x * x", "x * x + x", "0.5 * 3"}
    assert result.output_node.role == "output"
    assert result.output_node.name == "x * x + x + 0.5 * 3"
    assert result.output == 7.5
    assert result.gradients == {"x": 5.0}


def test_parse_lists_sorted_variables_once():
    assert parse("y * x + exp(y) - alpha").variables == ("alpha", "x", "y")


def test_to_dict_is_json_ready():
    result = evaluate("max(a, b) * log(a)", {"a": 2.0, "b": 1.0})
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["expression"] == "max(a, b) * log(a)"
    assert data["output"] == pytest.approx(2.0 * math.log(2.0))
    assert data["variables"] == ["a", "b"]
    assert data["gradients"] == {"a": pytest.approx(math.log(2.0) + 1.0), "b": 0.0}
    assert len(data["graph"]["nodes"]) == len(result.graph.nodes)
    assert len(data["events"]["backward"]) == len(result.graph.backward_events)


# ---------------------------------------------------------------- gradients

GRADIENT_CASES = [
    # (expression, the same function in Python with arguments in sorted name order, values)
    ("x*x + x", lambda x: x * x + x, [1.3]),
    ("x*y + x", lambda x, y: x * y + x, [0.7, -1.2]),
    ("x - y / x", lambda x, y: x - y / x, [1.4, 0.6]),
    ("-x * +y", lambda x, y: -x * +y, [0.9, 2.1]),
    ("x ** 3 - x ** -2 + x ** 0.5", lambda x: x**3 - x**-2 + x**0.5, [1.7]),
    ("x ** y", lambda x, y: x**y, [1.8, 2.3]),
    ("2 ** x * y", lambda x, y: 2**x * y, [0.4, -0.8]),
    ("exp(x) * log(y)", lambda x, y: math.exp(x) * math.log(y), [0.3, 2.5]),
    ("sigmoid(x) + tanh(x * y)", lambda x, y: sigmoid(x) + math.tanh(x * y), [-0.4, 0.9]),
    ("relu(x) * relu(y) + relu(-y)", lambda x, y: relu(x) * relu(y) + relu(-y), [0.8, -0.6]),
    ("max(x, y) * x", lambda x, y: max(x, y) * x, [0.3, 1.1]),
    ("max(x, y) * x", lambda x, y: max(x, y) * x, [1.3, 1.1]),
    ("exp(x) * log(x) / x", lambda x: math.exp(x) * math.log(x) / x, [1.6]),
    (
        "log(sigmoid(a*b) + max(a, 2*b)) - tanh(a/b) ** 2",
        lambda a, b: math.log(sigmoid(a * b) + max(a, 2 * b)) - math.tanh(a / b) ** 2,
        [0.7, 1.3],
    ),
]


@pytest.mark.parametrize(("text", "function", "point"), GRADIENT_CASES)
def test_gradient_matches_central_differences(text, function, point):
    names = parse(text).variables
    result = evaluate(text, dict(zip(names, point, strict=True)))
    assert result.output == pytest.approx(function(*point), rel=1e-12)
    analytic = np.array([result.gradients[name] for name in names])
    numeric = central_difference(lambda x: function(*x), np.array(point))
    assert_gradient_close(analytic, numeric)


# ---------------------------------------------------------------- recorded backward events

def test_fan_out_sums_the_contributions_of_both_uses():
    result = evaluate("x*y + x", {"x": 2.0, "y": 3.0})
    x, product, total = by_name(result, "x"), by_name(result, "x * y"), by_name(result, "x * y + x")
    received = dict(event_of(result, x).received)
    assert set(received) == {product.id, total.id}
    assert received[product.id] == 3.0
    assert received[total.id] == 1.0
    assert sum(received.values()) == x.grad == result.gradients["x"] == 4.0


def test_multiply_local_derivative_is_the_other_operand():
    result = evaluate("x*y + x", {"x": 2.0, "y": 3.0})
    x, y, product = by_name(result, "x"), by_name(result, "y"), by_name(result, "x * y")
    assert dict(event_of(result, product).local) == {x.id: 3.0, y.id: 2.0}


def test_add_passes_the_gradient_unchanged():
    result = evaluate("(x*y + x) * 5", {"x": 2.0, "y": 3.0})
    total, product, x = by_name(result, "x * y + x"), by_name(result, "x * y"), by_name(result, "x")
    event = event_of(result, total)
    assert event.upstream == 5.0
    assert dict(event.local) == {product.id: 1.0, x.id: 1.0}
    assert dict(event.sent) == {product.id: 5.0, x.id: 5.0}


@pytest.mark.parametrize(("x", "y"), [(1.0, 2.0), (2.0, 1.0)])
def test_max_routes_the_whole_gradient_to_the_larger_input(x, y):
    result = evaluate("max(x, y) * 3", {"x": x, "y": y})
    larger, smaller = ("x", "y") if x > y else ("y", "x")
    sent = dict(event_of(result, by_name(result, "max(x, y)")).sent)
    assert sent[by_name(result, larger).id] == 3.0
    assert sent[by_name(result, smaller).id] == 0.0
    assert result.gradients == {larger: 3.0, smaller: 0.0}


# ---------------------------------------------------------------- refusals

SHALLOW_AND_WIDE = "*".join(["(x+x+x+x+x+x+x+x)"] * 20)

REFUSED = [
    ("__import__('os')",
     "function '__import__' is not allowed; allowed: exp, log, max, relu, sigmoid, tanh"),
    ("os.system('ls')", "'os.system' cannot be called"),
    ("x.__class__", "attribute access is not allowed"),
    ("(lambda: 1)()", "'lambda: 1' cannot be called"),
    ("lambda: 1", "lambda functions are not allowed"),
    ("x[0]", "indexing is not allowed"),
    ("'a'", "strings are not allowed"),
    ("f'{x}'", "f-strings are not allowed"),
    ("x if y else 1", "conditional expressions are not allowed"),
    ("x < y", "comparisons are not allowed"),
    ("x and y", "'and' and 'or' are not allowed"),
    ("[x for x in y]", "comprehensions are not allowed"),
    ("(x := 1)", "assignment expressions (:=) are not allowed"),
    ("exp(*x)", "starred arguments are not allowed"),
    ("foo(x)", "function 'foo' is not allowed"),
    ("exp(x, y)", "exp() takes 1 argument, got 2"),
    ("max(x)", "max() takes 2 arguments, got 1"),
    ("exp(x=1)", "exp() takes no keyword arguments"),
    ("x // 2", "operator '//' is not allowed"),
    ("x % 2", "operator '%' is not allowed"),
    ("x @ y", "operator '@' is not allowed"),
    ("x ^ 2", "write powers as **"),
    ("not x", "operator 'not' is not allowed"),
    ("True + x", "True and False are not allowed"),
    ("1j * x", "complex numbers are not allowed"),
    ("_x + 1", "names starting with an underscore are not allowed"),
    ("exp + 1", "'exp' is a function"),
    ("x" * 33, "variable names are limited to 32 characters"),
    ("2 ** 1000", f"exponent 1000 is larger than the limit {MAX_EXPONENT}"),
    ("x ** -100", f"exponent -100 is larger than the limit {MAX_EXPONENT}"),
    ("1e400 * x", "this number is too large"),
    ("9" * 400, "this number is too large"),
    ("x +", "syntax error"),
    ("x + (y", "syntax error: '(' was never closed"),
    ("", "the expression is empty"),
    ("   ", "the expression is empty"),
    ("x +\n1", "one line"),
    ("(" * 500 + "x" + ")" * 500, f"the limit is {MAX_LENGTH}"),
    ("-" * 10000 + "x", f"the limit is {MAX_LENGTH}"),
    ("x+" * 50000 + "x", f"the limit is {MAX_LENGTH}"),
    ("(" * 100 + "x" + ")" * 100, f"brackets are nested more than {MAX_DEPTH} deep"),
    ("-" * 400 + "x", f"nested more than {MAX_DEPTH} levels deep"),
    ("x" + "**x" * 150, f"nested more than {MAX_DEPTH} levels deep"),
    (SHALLOW_AND_WIDE, f"more than {MAX_NODES} numbers, names and operations"),
    ("+".join(f"v{i}" for i in range(MAX_VARIABLES + 1)), f"the limit is {MAX_VARIABLES}"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_hostile_or_invalid_text_is_refused_quickly(text, message):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert time.perf_counter() - start < 5  # exponential work would take years; this takes ms
    assert message in str(caught.value)


def test_refusal_names_the_column():
    with pytest.raises(ExpressionError) as caught:
        parse("x + y.real")
    assert caught.value.column == 5
    assert "(column 5: 'y.real')" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "values", "message"),
    [
        ("exp(exp(exp(10)))", {}, "exp(exp(10)) is not finite: the result overflowed"),
        ("9 ** 9 ** 9", {}, "is not finite: the result overflowed"),
        ("log(x)", {"x": -1.0}, "log(x) is not finite at x = -1"),
        ("1/x", {"x": 0.0}, "1 / x is not finite at x = 0: division by zero"),
        ("y * x ** 0.5", {"x": -4.0, "y": 1.0}, "x ** 0.5 is not finite at x = -4"),
        ("y * x ** 0.5", {"x": 0.0, "y": 1.0}, "derivative of x ** 0.5 with respect to x"),
        ("x + y", {"x": 1.0}, "no value given for variable 'y'"),
        ("x + 1", {"x": math.inf}, "the value of 'x' must be finite"),
        ("x + 1", {"x": "1"}, "the value of 'x' must be a number"),
    ],
)
def test_evaluation_failure_is_refused(text, values, message):
    with pytest.raises(ExpressionError) as caught:
        evaluate(text, values)
    assert message in str(caught.value)


# ---------------------------------------------------------------- random expressions

def finite(value: float) -> float:
    """value, or OverflowError if the reference computation left the finite floats."""
    if isinstance(value, complex) or not math.isfinite(value):
        raise OverflowError(value)
    return value


UNARY = {
    "-": lambda v: -v,
    "exp": math.exp,
    "log": math.log,
    "sigmoid": sigmoid,
    "tanh": math.tanh,
    "relu": relu,
}
BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
}
VARIABLES = ("a", "b", "c")


@dataclass(frozen=True)
class Tree:
    """A random expression: its text, and the same function in plain Python on a dict of values."""

    text: str
    function: Callable[[dict], float]

    def __repr__(self) -> str:
        return repr(self.text)


def unary(pair) -> Tree:
    name, tree = pair
    text = f"(-{tree.text})" if name == "-" else f"{name}({tree.text})"
    return Tree(text, lambda env: finite(UNARY[name](tree.function(env))))


def binary(triple) -> Tree:
    symbol, left, right = triple
    if symbol == "max":
        return Tree(f"max({left.text}, {right.text})",
                    lambda env: max(left.function(env), right.function(env)))
    return Tree(f"({left.text} {symbol} {right.text})",
                lambda env: finite(BINARY[symbol](left.function(env), right.function(env))))


LEAVES = st.one_of(
    st.sampled_from(VARIABLES).map(lambda name: Tree(name, lambda env: env[name])),
    st.sampled_from([0.5, 1, 2, 3]).map(lambda number: Tree(repr(number), lambda env: number)),
)
EXPRESSIONS = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.tuples(st.sampled_from(sorted(UNARY)), children).map(unary),
        st.tuples(st.sampled_from([*BINARY, "max"]), children, children).map(binary),
    ),
    max_leaves=8,
)

# Values on a 0.01 grid in [-2, 2]: no tiny magnitudes, whose cancellations neither the engine
# nor finite differences can resolve.
POINTS = st.integers(-200, 200).map(lambda k: k / 100)


def near_kink(result) -> bool:
    """Whether a relu or max in the graph is within 1e-3 of switching."""
    for node in result.graph.nodes:
        values = [float(p.value) for p in node.parents]
        if node.op == "relu" and abs(values[0]) < 1e-3:
            return True
        if node.op == "maximum" and abs(values[0] - values[1]) < 1e-3:
            return True
    return False


@settings(max_examples=50, deadline=None)
@given(
    expression=EXPRESSIONS,
    point=st.lists(POINTS, min_size=len(VARIABLES), max_size=len(VARIABLES)),
)
def test_random_expressions_match_python_and_central_differences(expression, point):
    text, function = expression.text, expression.function
    names = parse(text).variables
    point = [point[VARIABLES.index(name)] for name in names]

    def reference(x):
        return function(dict(zip(names, map(float, x), strict=True)))

    try:
        expected = reference(point)
        numeric = central_difference(reference, np.array(point))
        coarse = central_difference(reference, np.array(point), step=1e-5)
    except (ArithmeticError, ValueError):
        assume(False)
    # Only where the reference itself is accurate: its round-off, which the larger step cuts
    # tenfold, must be far below the tolerance (this leaves out saturated sigmoids and the like).
    assume(relative_error(numeric, coarse) < TOLERANCE / 10)
    try:
        result = evaluate(text, dict(zip(names, point, strict=True)))
    except ExpressionError as error:
        # The values are finite (the reference computed them); only a gradient may not be.
        assert "derivative" in str(error) or "gradient" in str(error), str(error)
        assume(False)
    assume(not near_kink(result))
    assert result.output == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert_gradient_close([result.gradients[name] for name in names], numeric)


def test_parsing_from_many_threads_leaves_the_warning_filters_as_they_were():
    # "x is 1" makes ast.parse warn (SyntaxWarning) before the checks refuse it; each parse
    # silences that with catch_warnings, which swaps the process-wide filter list. Without the
    # lock around it, 300 parses a thread left them changed in one run of three.
    before = list(warnings.filters)
    errors = []

    def parse_many():
        for _ in range(1000):
            try:
                evaluate("x is 1", {"x": 1.0})
            except ExpressionError:
                pass
            except Exception as error:  # noqa: BLE001 - anything else is the failure
                errors.append(error)

    threads = [threading.Thread(target=parse_many) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert warnings.filters == before
