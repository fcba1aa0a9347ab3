"""Safe parsing of a user's arithmetic expression into an engine graph, with value and gradients.

The text is parsed with `ast.parse(..., mode="eval")` and never executed: every node of the tree
is checked against a whitelist (numbers, variables, + - * / **, unary minus and plus, and calls of
exp, log, max, relu, sigmoid and tanh), and then each checked node is turned into an engine node.
Anything else, and anything past the limits below, is refused with an `ExpressionError`.
"""

from __future__ import annotations

import ast
import math
import numbers
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.autodiff import ops
from engine.autodiff.graph import Graph, Node, backward
from engine.views import serialize

MAX_LENGTH = 500  # characters of expression text, checked before parsing
MAX_DEPTH = 32  # levels of the expression tree, and of brackets in the text (checked first)
MAX_NODES = 200  # numbers, variable uses and operations in the expression tree
MAX_VARIABLES = 20  # distinct variable names
MAX_NAME_LENGTH = 32  # characters of one variable name
MAX_EXPONENT = 64  # largest size of a number written as an exponent, as the 3 in x ** 3
LABEL_LENGTH = 40  # characters of sub-expression text kept as an operation node's name

FUNCTIONS = {
    "exp": (ops.exp, 1),
    "log": (ops.log, 1),
    "max": (ops.maximum, 2),
    "relu": (ops.relu, 1),
    "sigmoid": (ops.sigmoid, 1),
    "tanh": (ops.tanh, 1),
}
ALLOWED_FUNCTIONS = ", ".join(sorted(FUNCTIONS))

BINARY = {
    ast.Add: ops.add,
    ast.Sub: ops.subtract,
    ast.Mult: ops.multiply,
    ast.Div: ops.divide,
    ast.Pow: ops.power,
}
UNARY = (ast.USub, ast.UAdd)

REFUSED_OPERATORS = {
    ast.FloorDiv: "'//'",
    ast.Mod: "'%'",
    ast.MatMult: "'@'",
    ast.LShift: "'<<'",
    ast.RShift: "'>>'",
    ast.BitOr: "'|'",
    ast.BitAnd: "'&'",
    ast.BitXor: "'^' (write powers as **)",
    ast.Not: "'not'",
    ast.Invert: "'~'",
}

REFUSED_SYNTAX = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "indexing is not allowed",
    ast.Lambda: "lambda functions are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and' and 'or' are not allowed",
    ast.IfExp: "conditional expressions are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.Starred: "starred arguments are not allowed",
    ast.NamedExpr: "assignment expressions (:=) are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dicts are not allowed",
}

REFUSED_CONSTANTS = {
    str: "strings are not allowed",
    bytes: "byte strings are not allowed",
    bool: "True and False are not allowed",
    complex: "complex numbers are not allowed",
}


class ExpressionError(ValueError):
    """An expression refused or impossible to evaluate; the message is meant for the user."""

    def __init__(self, message: str, column: int | None = None, line: int | None = None):
        super().__init__(message)
        self.column = column
        self.line = line


@dataclass(frozen=True)
class ParsedExpression:
    """A checked expression: its text, its syntax tree and its variable names, sorted."""

    text: str
    tree: ast.Expression
    variables: tuple[str, ...]


@dataclass
class ExpressionResult:
    """An evaluated expression: its value, d output / d variable for each variable, its graph."""

    expression: str
    output: float
    gradients: dict[str, float]
    graph: Graph
    output_node: Node
    statements: list[dict] | None = None

    def to_dict(self) -> dict:
        """A JSON-ready view: value, gradients, variable names, graph, recorded events and the
        node each line of a program made (one line, naming nothing, for an expression)."""
        return {
            "expression": self.expression,
            "output": self.output,
            "gradients": dict(self.gradients),
            "variables": list(self.gradients),
            "graph": serialize.graph_dict(self.graph),
            "events": serialize.plain(serialize.events_dict(self.graph)),
            "statements": self.statements or [
                {"line": 1, "name": None, "version": None, "node": self.output_node.id}],
        }


# ---------------------------------------------------------------- parsing and checking

def parse(text: str) -> ParsedExpression:
    """Check text against the grammar and the limits; return its tree and variable names."""
    if not isinstance(text, str):
        raise ExpressionError("the expression must be text")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text)} characters long; the limit is {MAX_LENGTH}")
    text = text.strip()
    if not text:
        raise ExpressionError("the expression is empty")
    if "\n" in text or "\r" in text:
        raise ExpressionError("the expression must fit on one line")
    check_brackets(text)
    tree = parse_tree(text)
    names, _ = check_expression(text, tree.body)
    if len(names) > MAX_VARIABLES:
        raise ExpressionError(
            f"the expression uses {len(names)} variables; the limit is {MAX_VARIABLES}")
    return ParsedExpression(text, tree, tuple(sorted(names)))


def where(text: str, line: int, column: int) -> str:
    """'column 5', or 'line 2, column 5' in text of several lines."""
    return f"line {line}, column {column}" if "\n" in text else f"column {column}"


def check_brackets(text: str) -> None:
    """Refuse brackets nested deeper than MAX_DEPTH before the (recursive) parser sees them."""
    depth = 0
    for line, line_text in enumerate(text.split("\n"), start=1):
        for column, char in enumerate(line_text, start=1):
            depth += (char in "([{") - (char in ")]}")
            if depth > MAX_DEPTH:
                raise ExpressionError(f"brackets are nested more than {MAX_DEPTH} deep "
                                      f"({where(text, line, column)})", column, line)


_PARSE_LOCK = threading.Lock()


def parse_tree(text: str, mode: str = "eval") -> ast.AST:
    """ast.parse (an expression in eval mode, a program in exec mode), its errors turned into
    ExpressionError and its warnings silenced."""
    try:
        # catch_warnings swaps the process-wide filter list and puts it back on exit; two
        # threads interleaving that would leave the wrong list behind, so one parses at a time.
        with _PARSE_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text, mode=mode)
    except SyntaxError as error:
        column, line = error.offset or None, error.lineno or 1
        at = f" ({where(text, line, column)})" if column else ""
        raise ExpressionError(f"syntax error: {error.msg}{at}", column, line) from None
    except ValueError as error:  # a null byte, on releases that do not call it a syntax error
        raise ExpressionError(f"syntax error: {error}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError("the expression is nested too deeply to parse") from None


def check_expression(text: str, root: ast.expr, count: int = 0) -> tuple[set[str], int]:
    """Walk one expression with a stack (no recursion), refusing anything outside the grammar
    or the limits; the names it reads, and `count` plus its numbers, names and operations."""
    names: set[str] = set()
    stack = [(root, 1)]
    what = "the program" if "\n" in text else "the expression"
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise refuse(text, node, f"{what} is nested more than {MAX_DEPTH} levels deep")
        if count > MAX_NODES:
            raise ExpressionError(f"{what} has more than {MAX_NODES} numbers, names and operations")
        stack.extend((child, depth + 1) for child in reversed(_operands(text, node, names)))
    return names, count


def _operands(text: str, node: ast.AST, names: set[str]) -> list[ast.expr]:
    """The sub-expressions of node, once node itself is checked (a variable joins names)."""
    if isinstance(node, ast.Constant):
        _number(text, node)
        return []
    if isinstance(node, ast.Name):
        names.add(check_name(text, node))
        return []
    if isinstance(node, ast.UnaryOp):
        _operator(text, node, UNARY, "unary - and +")
        return [node.operand]
    if isinstance(node, ast.BinOp):
        _operator(text, node, tuple(BINARY), "+ - * / **")
        if isinstance(node.op, ast.Pow):
            check_exponent(text, node.right)
        return [node.left, node.right]
    if isinstance(node, ast.Call):
        _call(text, node)
        return list(node.args)
    refused = REFUSED_SYNTAX.get(type(node), f"{type(node).__name__} is not allowed")
    raise refuse(text, node, refused)


def _number(text: str, node: ast.Constant) -> None:
    """Refuse a constant that is not a finite int or float literal."""
    refused = REFUSED_CONSTANTS.get(type(node.value))
    if refused is None and not isinstance(node.value, (int, float)):
        refused = "only numbers and variable names are allowed"
    if refused is None and not math.isfinite(_float(node.value)):
        refused = "this number is too large"
    if refused is not None:
        raise refuse(text, node, refused)


def check_name(text: str, node: ast.Name) -> str:
    """The name of a variable, refused if private-looking, a function's name or too long."""
    name = node.id
    if name.startswith("_"):
        raise refuse(text, node, "names starting with an underscore are not allowed")
    if name in FUNCTIONS:
        raise refuse(text, node, f"{name!r} is a function: call it, as in {name}(...)")
    if len(name) > MAX_NAME_LENGTH:
        raise refuse(text, node, f"variable names are limited to {MAX_NAME_LENGTH} characters")
    return name


def _operator(text: str, node: ast.UnaryOp | ast.BinOp, allowed: tuple, listing: str) -> None:
    """Refuse an operator outside `allowed`."""
    if not isinstance(node.op, allowed):
        symbol = REFUSED_OPERATORS.get(type(node.op), type(node.op).__name__)
        raise refuse(text, node, f"operator {symbol} is not allowed; allowed: {listing}")


def check_exponent(text: str, node: ast.expr) -> None:
    """Refuse a number written as an exponent whose size is over MAX_EXPONENT."""
    value = literal(node)
    if value is not None and abs(value) > MAX_EXPONENT:
        raise refuse(text, node, f"exponent {_segment(text, node)} is larger than the limit "
                                  f"{MAX_EXPONENT}{' in size' if value < 0 else ''}")


def _call(text: str, node: ast.Call) -> None:
    """Refuse a call that is not one of FUNCTIONS, by name, with its number of arguments."""
    if not isinstance(node.func, ast.Name):
        raise refuse(text, node, f"{_segment(text, node.func)!r} cannot be called; "
                                  f"allowed functions: {ALLOWED_FUNCTIONS}")
    name = node.func.id
    if name not in FUNCTIONS:
        raise refuse(text, node, f"function {name!r} is not allowed; allowed: {ALLOWED_FUNCTIONS}")
    if node.keywords:
        raise refuse(text, node, f"{name}() takes no keyword arguments")
    arity = FUNCTIONS[name][1]
    if len(node.args) != arity:
        plural = "s" if arity > 1 else ""
        raise refuse(text, node, f"{name}() takes {arity} argument{plural}, got {len(node.args)}")


def literal(node: ast.expr) -> float | None:
    """The value of a number written with optional signs, like 3 or -0.5; else None."""
    sign = 1.0
    while isinstance(node, ast.UnaryOp) and isinstance(node.op, UNARY):
        sign = -sign if isinstance(node.op, ast.USub) else sign
        node = node.operand
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return sign * _float(node.value)
    return None


def _float(value: int | float) -> float:
    """A literal as a float, infinite if it is too large for one."""
    try:
        return float(value)
    except OverflowError:
        return math.inf


def refuse(text: str, node: ast.AST, message: str) -> ExpressionError:
    """An error naming the line (in a program) and column where node starts, quoting its text."""
    line_text = text.split("\n")[node.lineno - 1]
    column = len(line_text.encode()[: node.col_offset].decode()) + 1  # col_offset counts bytes
    return ExpressionError(
        f"{message} ({where(text, node.lineno, column)}: {_segment(text, node)!r})",
        column, node.lineno)


def _segment(text: str, node: ast.AST) -> str:
    """The text of node as the user wrote it, shortened."""
    return _short(ast.get_source_segment(text, node) or "")


def _short(text: str) -> str:
    """text cut to LABEL_LENGTH characters, with an ellipsis if cut."""
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "…"


# ---------------------------------------------------------------- evaluation

def evaluate(text: str, values: Mapping[str, float]) -> ExpressionResult:
    """Parse text, build its graph with the given variable values and run backward through it."""
    parsed = parse(text)
    numbers_given = given_values(parsed.variables, values)
    graph = Graph(record=True)
    with np.errstate(all="ignore"):
        variables = {name: graph.leaf(numbers_given[name], name=name, role="variable")
                     for name in parsed.variables}
        output = build(parsed.tree.body, graph, variables)
        if output.prim is not None:
            output.role = "output"
        require_finite_values(graph)
        backward(output)
    require_finite_gradients(graph)
    return ExpressionResult(
        expression=parsed.text,
        output=float(output.value),
        gradients={name: float(leaf.grad) for name, leaf in variables.items()},
        graph=graph,
        output_node=output,
    )


def given_values(variables: tuple[str, ...], values: Mapping[str, float]) -> dict[str, float]:
    """The value of each variable as a float; missing, non-numeric or non-finite is refused."""
    found = {}
    for name in variables:
        if name not in values:
            raise ExpressionError(f"no value given for variable {name!r}")
        value = values[name]
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ExpressionError(
                f"the value of {name!r} must be a number, not {type(value).__name__}")
        if not math.isfinite(value):
            raise ExpressionError(f"the value of {name!r} must be finite, not {value}")
        found[name] = float(value)
    return found


def build(node: ast.expr, graph: Graph, variables: Mapping[str, Node]) -> Node:
    """The graph node of a checked sub-expression (recursion is at most MAX_DEPTH deep)."""
    number = literal(node)
    if number is not None:
        return graph.leaf(number, name=_label(node), role="constant")
    if isinstance(node, ast.Name):
        return variables[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = build(node.operand, graph, variables)
        return ops.negate(operand, name=_label(node)) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left = build(node.left, graph, variables)
        right = build(node.right, graph, variables)
        return BINARY[type(node.op)](left, right, name=_label(node))
    args = [build(arg, graph, variables) for arg in node.args]
    return FUNCTIONS[node.func.id][0](*args, name=_label(node))


def _label(node: ast.expr) -> str:
    """A node name: the sub-expression's text in normal form, shortened."""
    return _short(ast.unparse(node))


def require_finite_values(graph: Graph) -> None:
    """Refuse the first node, in creation order, whose value is not finite."""
    for node in graph.nodes:
        if not np.isfinite(node.value).all():
            raise ExpressionError(f"{node.name} is not finite{_at(node)}: {_value_problem(node)}")


def _value_problem(node: Node) -> str:
    """Why an operation on finite values gave a non-finite one."""
    first = float(node.parents[0].value)
    if node.op == "log":
        return "log needs a positive argument"
    if node.op == "divide" and float(node.parents[1].value) == 0.0:
        return "division by zero"
    if node.op == "power" and np.isnan(node.value):
        return "a negative number to a non-integer power is not a real number"
    if node.op == "power" and first == 0.0:
        return "zero to a negative power is a division by zero"
    return "the result overflowed"


def require_finite_gradients(graph: Graph) -> None:
    """Refuse the first non-finite gradient met by backward, naming the node it went through."""
    for event in graph.backward_events:
        node = graph.node(event.node_id)
        if not np.isfinite(event.upstream).all():
            raise ExpressionError(f"the gradient at {node.name} overflowed{_at(node)}")
        for parent_id, grad in event.sent:
            if not np.isfinite(grad).all():
                raise ExpressionError(
                    f"the derivative of {node.name} with respect to "
                    f"{graph.node(parent_id).name} is not finite{_at(node)}")


def _at(node: Node) -> str:
    """' at x = 1, y = 2' for the variables node depends on, or '' if none."""
    found, stack, seen = {}, [node], {node.id}
    while stack:
        current = stack.pop()
        if current.role == "variable":
            found[current.name] = float(current.value)
        fresh = [parent for parent in current.parents if parent.id not in seen]
        seen.update(parent.id for parent in fresh)
        stack.extend(fresh)
    return " at " + ", ".join(f"{n} = {v:g}" for n, v in sorted(found.items())) if found else ""
