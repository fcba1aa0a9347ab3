"""Programs of assignments: micrograd's engine examples against numbers computed here, versions
of reassigned names, fan-out, and refusals that name the line and column."""

from __future__ import annotations

import time

import numpy as np
import pytest

from engine.demos.expressions import MAX_LENGTH, MAX_NODES, ExpressionError, evaluate
from engine.demos.programs import (
    MAX_LINES,
    MAX_PROGRAM_LENGTH,
    evaluate_program,
    evaluate_text,
    is_program,
    parse_program,
)
from tests.finite_diff import assert_gradient_close, central_difference

# micrograd's README example (and its test_more_ops), `.relu()` written as relu(...).
MORE_OPS = """\
a = -4.0
b = 2.0
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + relu(b + a)
d += 3 * d + relu(b - a)
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
"""

# micrograd's test_sanity_check.
SANITY = """\
x = -4.0
z = 2 * x + 2 + x
q = relu(z) + z * x
h = relu(z * z)
y = h + q + q * x
"""


def relu(v: float) -> float:
    return max(v, 0.0)


def more_ops(a: float, b: float) -> float:
    """The same computation in plain Python floats, written here."""
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + relu(b + a)
    d += 3 * d + relu(b - a)
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def sanity(x: float) -> float:
    z = 2 * x + 2 + x
    q = relu(z) + z * x
    h = relu(z * z)
    return h + q + q * x


def by_name(result, name):
    (node,) = [n for n in result.graph.nodes if n.name == name]
    return node


@pytest.mark.parametrize(("program", "function", "point", "names"), [
    (MORE_OPS, more_ops, [-4.0, 2.0], ["a", "b"]),
    (SANITY, sanity, [-4.0], ["x"]),
])
def test_micrograd_examples_give_the_value_and_gradients_computed_here(
        program, function, point, names):
    result = evaluate_program(program, {})
    assert result.output == pytest.approx(function(*point), rel=1e-12)
    assert list(result.gradients) == names
    numeric = central_difference(lambda x: function(*x), np.array(point))
    assert_gradient_close([result.gradients[name] for name in names], numeric)


def test_micrograd_readme_numbers_to_four_places():
    result = evaluate_program(MORE_OPS, {})
    assert f"{result.output:.4f}" == "24.7041"
    assert f"{result.gradients['a']:.4f} {result.gradients['b']:.4f}" == "138.8338 645.5773"


def test_reassigned_names_are_new_versions_and_each_line_names_its_node():
    result = evaluate_program(MORE_OPS, {})
    names = [n.name for n in result.graph.nodes]
    for name in ["a", "b", "c₁", "c₂", "c₃", "d₁", "d₂", "d₃", "e", "f", "g₁", "g₂"]:
        assert names.count(name) == 1, name
    lines = result.to_dict()["statements"]
    assert [(s["line"], s["name"], s["version"]) for s in lines[:6]] == [
        (1, "a", None), (2, "b", None), (3, "c", 1), (4, "d", 1), (5, "c", 2), (6, "c", 3)]
    assert result.graph.node(lines[4]["node"]).name == "c₂"
    assert result.output_node.name == "g₂" and result.output_node.role == "output"
    # c₂ = c₁ + (c₁ + 1): labels use the versions the names stood for on that line.
    assert "c₁ + 1" in names


def test_a_name_used_twice_is_one_node_with_two_edges_and_summed_gradients():
    result = evaluate_program("x = 3.0\ny = x * 2\nout = y + x", {})
    x, y, out = by_name(result, "x"), by_name(result, "y"), by_name(result, "out")
    edges = [(p.id, n.id) for n in result.graph.nodes for p in n.parents if p is x]
    assert sorted(edges) == sorted([(x.id, y.id), (x.id, out.id)])
    (event,) = [e for e in result.graph.backward_events if e.node_id == x.id]
    assert dict(event.received) == {y.id: 2.0, out.id: 1.0}
    assert result.gradients == {"x": 3.0}


def test_names_read_before_assignment_take_their_values_from_values():
    parsed = parse_program("c = c + 1\nc = c * w")
    assert parsed.variables == ("c", "w")
    result = evaluate_program("c = c + 1\nc = c * w", {"c": 2.0, "w": 5.0, "unused": 1.0})
    assert result.output == 15.0
    assert result.gradients == {"c": 5.0, "w": 3.0}
    assert [n.name for n in result.graph.nodes if n.role != "constant"] == [
        "c", "w", "c₁", "c₂"]


def test_last_bare_expression_is_the_output_and_aliases_share_a_node():
    result = evaluate_program("a = 2.0\nb = a\nunused = 7.0\nb * b", {})
    assert result.output == 4.0
    assert result.gradients == {"a": 4.0, "unused": 0.0}
    statements = result.to_dict()["statements"]
    assert statements[1]["node"] == statements[0]["node"]
    assert statements[-1]["name"] is None


def test_one_line_expressions_are_evaluated_exactly_as_before():
    assert not is_program("x*y + x") and is_program("a = 1") and is_program("x\ny")
    assert is_program("a = 1; b = 2") and not is_program("x; import os")
    old = evaluate("x*y + x", {"x": 2.0, "y": 3.0}).to_dict()
    assert evaluate_text("x*y + x", {"x": 2.0, "y": 3.0}).to_dict() == old


def test_crlf_and_blank_lines_and_comments():
    result = evaluate_program("# inputs\r\na = 2.0\r\n\r\nb = a * a  # square\r\n", {})
    assert (result.output, result.gradients) == (4.0, {"a": 4.0})
    assert result.to_dict()["statements"][1]["line"] == 4


REFUSED = [
    ("a = 1\nimport os", "import is not allowed; write lines of name = expression (line 2, "
                         "column 1: 'import os')"),
    ("a = 1\ndef f(): pass", "def is not allowed"),
    ("a = 1\nfor i in x: pass", "loops are not allowed"),
    ("a = b = 1", "assign one name at a time"),
    ("a, b = 1, 2", "only a plain name can be assigned"),
    ("x = 1\nx.y = 2", "only a plain name can be assigned (line 2, column 1: 'x.y')"),
    ("a = 1; b = 2", "one statement per line"),
    ("a = 1\nb\nc = 2", "only the last line may be a bare expression (the output); give this "
                          "one a name: name = ... (line 2, column 1: 'b')"),
    ("a = 1\nb = a.real", "attribute access is not allowed (line 2, column 5: 'a.real')"),
    ("a = 1\nb = exp(a\nc = 2", "syntax error: '(' was never closed (line 2, column 8)"),
    ("a = 1\n  b = 2", "unexpected indent (line 2"),
    ("c = 1\nc //= 2", "this operator is not allowed; allowed: += -= *= /= **="),
    ("c = 2\nc **= 1000", "exponent 1000 is larger than the limit 64 (line 2, column 7"),
    ("relu = 3\nrelu", "'relu' is a function"),
    ("_x = 3\n_x", "names starting with an underscore are not allowed"),
    ("a = 1\nb: float = 2", "annotations are not allowed"),
    ("a = 1\nb = __import__('os')", "function '__import__' is not allowed"),
    ("\n".join(f"v{i} = {i}" for i in range(MAX_LINES + 1)), f"the limit is {MAX_LINES}"),
    ("a = 1\nb = " + "a+" * 300 + "a", f"line 2 is 605 characters long; the limit is "
                                       f"{MAX_LENGTH}"),
    ("\n".join(["a = " + "1+" * 150 + "1"] * 14), f"the limit is {MAX_PROGRAM_LENGTH}"),
    ("\n".join([f"a{i} = x+x+x+x+x+x+x+x+x+x" for i in range(12)]),
     f"the program has more than {MAX_NODES} numbers, names and operations"),
    ("\n".join(f"v{i} = w{i}" for i in range(21)), "reads 21 names before assigning them"),
    ("\n\n  \n", "the program is empty"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refusals_name_the_line_and_column(text, message):
    start = time.perf_counter()
    with pytest.raises(ExpressionError) as caught:
        parse_program(text)
    assert time.perf_counter() - start < 5  # exponential work would take years; this takes ms
    assert message in str(caught.value)


def test_refusal_carries_line_and_column():
    with pytest.raises(ExpressionError) as caught:
        parse_program("a = 1\nb = 2\nc = a + b.real")
    assert (caught.value.line, caught.value.column) == (3, 9)


def test_failure_in_a_doubling_program_is_found_quickly():
    # 2^(2^k) overflows; naming the inputs walks a graph with 2^38 paths, once per node.
    program = "a0 = 2.0\n" + "\n".join(f"a{i} = a{i - 1} * a{i - 1}" for i in range(1, 39))
    start = time.perf_counter()
    with pytest.raises(ExpressionError, match="not finite at a0 = 2: the result overflowed"):
        evaluate_program(program, {})
    assert time.perf_counter() - start < 5  # exponential work would take years; this takes ms
