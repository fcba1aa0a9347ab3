"""Short programs of assignments, parsed (never run) into one graph, with value and gradients.

A program is lines of `name = expression` (or `name += expression`, and -= *= /= **=), each
right-hand side in the grammar of engine.demos.expressions; the last line may be a bare
expression. The output is that expression, or else the last name assigned. A name given a plain
number (`a = -4.0`) is an input, like a name read before any line assigns it (its value comes
from `values`); both get a gradient. Assigning a name again makes a new node, a new version of
the name (c₁, c₂, ...), and a name read twice is one node with two outgoing edges, so the graph
shows fan-out and the summing of gradients. The text is parsed with `ast.parse(..., "exec")`
and checked statement by statement; nothing is executed. Errors name the line and column.
"""

from __future__ import annotations

import ast
import copy
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.autodiff.graph import Graph, Node, backward
from engine.demos import expressions as ex
from engine.demos.expressions import ExpressionError, ExpressionResult

MAX_LINES = 40  # lines of program text, blank lines and comments included
MAX_PROGRAM_LENGTH = 2000  # characters of program text (each line at most ex.MAX_LENGTH)
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")

AUGMENTED = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.Pow: "**="}
REFUSED_STATEMENTS = {
    ast.Import: "import is not allowed", ast.ImportFrom: "import is not allowed",
    ast.FunctionDef: "def is not allowed", ast.AsyncFunctionDef: "def is not allowed",
    ast.ClassDef: "class is not allowed", ast.AnnAssign: "annotations are not allowed",
    ast.For: "loops are not allowed", ast.While: "loops are not allowed",
    ast.If: "if is not allowed", ast.Delete: "del is not allowed",
}


@dataclass(frozen=True)
class Statement:
    """One checked line: the name it assigns (None for a last bare expression), its version
    (None unless the name is assigned more than once or read before it is assigned) and the
    right-hand side, an augmented assignment written out as `name op (value)`."""

    line: int
    target: str | None
    version: int | None
    value: ast.expr


@dataclass(frozen=True)
class ParsedProgram:
    """A checked program: its text, its statements, and the names it reads before assigning
    them (whose values must be given), sorted."""

    text: str
    statements: tuple[Statement, ...]
    variables: tuple[str, ...]


def is_program(text: str) -> bool:
    """Whether text is a program (several lines, or a line that starts with an assignment) rather
    than an expression."""
    if not isinstance(text, str) or len(text) > MAX_PROGRAM_LENGTH:
        return False
    text = _normalised(text).strip()
    if "\n" in text:
        return True
    try:
        tree = ex.parse_tree(text, mode="exec")
    except ExpressionError:
        return False
    return isinstance(tree.body[0], (ast.Assign, ast.AugAssign)) if tree.body else False


def evaluate_text(text: str, values: Mapping[str, float]) -> ExpressionResult:
    """A program or a one-line expression (exactly as engine.demos.expressions evaluates it)."""
    return evaluate_program(text, values) if is_program(text) else ex.evaluate(text, values)


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- parsing and checking

def parse_program(text: str) -> ParsedProgram:
    """Check a program against the grammar and the limits: its statements and input names."""
    text = _check_text(text)
    ex.check_brackets(text)
    tree = ex.parse_tree(text, mode="exec")
    if not tree.body:
        raise ExpressionError("the program is empty")
    _check_one_per_line(text, tree.body)
    statements, assigned, read_first, count = [], set(), set(), 0
    for stmt in tree.body:
        target = _target(text, stmt, last=stmt is tree.body[-1])
        names, count = ex.check_expression(text, stmt.value, count)
        if isinstance(stmt, ast.AugAssign):
            names.add(target)
            if isinstance(stmt.op, ast.Pow):
                ex.check_exponent(text, stmt.value)
        read_first |= names - assigned
        statements.append((stmt, target, names))
        if target is not None:
            assigned.add(target)
    if len(read_first) > ex.MAX_VARIABLES:
        raise ExpressionError(f"the program reads {len(read_first)} names before assigning "
                              f"them; the limit is {ex.MAX_VARIABLES}")
    counts = Counter(target for _, target, _ in statements)
    versions = _versions(statements, counts, read_first)
    return ParsedProgram(text, tuple(Statement(stmt.lineno, target, version, _value(stmt))
                                     for (stmt, target, _), version in zip(statements, versions,
                                                                           strict=True)),
                         tuple(sorted(read_first)))


def _check_text(text: str) -> str:
    """The text with its line breaks normalised, refused if too long or empty."""
    if not isinstance(text, str):
        raise ExpressionError("the program must be text")
    if len(text) > MAX_PROGRAM_LENGTH:
        raise ExpressionError(
            f"the program is {len(text)} characters long; the limit is {MAX_PROGRAM_LENGTH}")
    text = _normalised(text).strip("\n")
    lines = text.split("\n")
    if len(lines) > MAX_LINES:
        raise ExpressionError(f"the program has {len(lines)} lines; the limit is {MAX_LINES}")
    for number, line in enumerate(lines, start=1):
        if len(line) > ex.MAX_LENGTH:
            raise ExpressionError(f"line {number} is {len(line)} characters long; the limit is "
                                  f"{ex.MAX_LENGTH}", None, number)
    if not text.strip():
        raise ExpressionError("the program is empty")
    return text


def _check_one_per_line(text: str, body: list[ast.stmt]) -> None:
    """Refuse two statements on one line (a semicolon) and any statement but an assignment."""
    for previous, stmt in zip([None, *body], body, strict=False):
        if previous is not None and stmt.lineno == previous.end_lineno:
            raise ex.refuse(text, stmt, "one statement per line: put this on a line of its own")
        if not isinstance(stmt, (ast.Assign, ast.AugAssign, ast.Expr)):
            refused = REFUSED_STATEMENTS.get(type(stmt), f"{type(stmt).__name__} is not allowed")
            raise ex.refuse(text, stmt, f"{refused}; write lines of name = expression")


def _target(text: str, stmt: ast.stmt, last: bool) -> str | None:
    """The one name a statement assigns; a bare expression is allowed only as the last line."""
    if isinstance(stmt, ast.Expr):
        if not last:
            raise ex.refuse(text, stmt, "only the last line may be a bare expression (the "
                                        "output); give this one a name: name = ...")
        return None
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    if len(targets) != 1:
        raise ex.refuse(text, stmt, "assign one name at a time (a = b = ... is not allowed)")
    if not isinstance(targets[0], ast.Name):
        raise ex.refuse(text, targets[0], "only a plain name can be assigned")
    if isinstance(stmt, ast.AugAssign) and type(stmt.op) not in AUGMENTED:
        raise ex.refuse(text, stmt, f"this operator is not allowed; allowed: "
                                    f"{' '.join(AUGMENTED.values())}")
    return ex.check_name(text, targets[0])


def _versions(statements, counts: Counter, read_first: set[str]) -> list[int | None]:
    """For each statement, the version of the name it assigns: 1, 2, ... for a name assigned
    more than once or read before its first assignment, None otherwise."""
    seen: Counter = Counter()
    versions = []
    for _, target, _ in statements:
        if target is None or (counts[target] == 1 and target not in read_first):
            versions.append(None)
            continue
        seen[target] += 1
        versions.append(seen[target])
    return versions


def _value(stmt: ast.stmt) -> ast.expr:
    """The right-hand side; `c += v` as `c + (v)`, placed where the statement is."""
    if not isinstance(stmt, ast.AugAssign):
        return stmt.value
    name = ast.Name(stmt.target.id, ast.Load())
    return ast.copy_location(ast.BinOp(ast.copy_location(name, stmt.target), stmt.op, stmt.value),
                             stmt)


# ---------------------------------------------------------------- evaluation

def display_name(target: str, version: int | None) -> str:
    """c, or c₂ for the second version of c."""
    return target if version is None else target + str(version).translate(SUBSCRIPTS)


class _Renamed(ast.NodeTransformer):
    """A copy of an expression whose names are those of the nodes they stand for (c₂)."""

    def __init__(self, names: Mapping[str, str]):
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.Name:
        return ast.copy_location(ast.Name(self.names.get(node.id, node.id), ast.Load()), node)


def evaluate_program(text: str, values: Mapping[str, float]) -> ExpressionResult:
    """Parse a program, build its graph line by line and run backward from the output."""
    parsed = parse_program(text)
    given = ex.given_values(parsed.variables, values)
    graph = Graph(record=True)
    with np.errstate(all="ignore"):
        scope = {name: graph.leaf(given[name], name=name, role="variable")
                 for name in parsed.variables}
        inputs = dict(scope)
        lines = [_run_line(statement, graph, scope, inputs) for statement in parsed.statements]
        output = graph.node(lines[-1]["node"])
        if output.prim is not None:
            output.role = "output"
        ex.require_finite_values(graph)
        backward(output)
    ex.require_finite_gradients(graph)
    return ExpressionResult(
        expression=parsed.text,
        output=float(output.value),
        gradients={name: 0.0 if leaf.grad is None else float(leaf.grad)
                   for name, leaf in sorted(inputs.items())},
        graph=graph,
        output_node=output,
        statements=lines,
    )


def _run_line(statement: Statement, graph: Graph, scope: dict[str, Node],
              inputs: dict[str, Node]) -> dict:
    """Build one line's node, name it after the name it assigns and bind the name to it."""
    name = None if statement.target is None else display_name(statement.target,
                                                               statement.version)
    literal = ex.literal(statement.value)
    if name is not None and literal is not None:
        node = graph.leaf(literal, name=name, role="variable")
        inputs[name] = node
    else:
        known = {key: node.name for key, node in scope.items()}
        renamed = _Renamed(known).visit(copy.deepcopy(statement.value))
        first_new = len(graph.nodes)
        node = ex.build(renamed, graph, {node.name: node for node in scope.values()})
        if name is not None and node.id >= first_new:
            node.name = name
    if statement.target is not None:
        scope[statement.target] = node
    return {"line": statement.line, "name": statement.target, "version": statement.version,
            "node": node.id}


