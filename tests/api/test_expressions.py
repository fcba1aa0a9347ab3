"""POST /api/v1/expressions: values and gradients by hand and from the engine; hostile input."""

from __future__ import annotations

import math

import pytest

from engine.demos.expressions import MAX_LENGTH, MAX_VARIABLES, evaluate
from engine.demos.programs import MAX_PROGRAM_LENGTH, evaluate_program

URL = "/api/v1/expressions"


def post(client, expression, values):
    return client.post(URL, json={"expression": expression, "values": values})


def test_x_times_y_plus_x_by_hand(client):
    response = post(client, "x*y + x", {"x": 2, "y": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["output"] == 8.0
    assert body["gradients"] == {"x": 4.0, "y": 2.0}  # d/dx = y + 1, d/dy = x
    assert body["variables"] == ["x", "y"]


def test_the_schema_example_by_hand(client):
    x, y, w = 2.0, 3.0, 0.5
    body = post(client, "(x*y + x) * sigmoid(w)", {"x": x, "y": y, "w": w}).json()
    s = 1.0 / (1.0 + math.exp(-w))
    assert body["output"] == pytest.approx((x * y + x) * s, rel=1e-15)
    assert body["gradients"]["x"] == pytest.approx((y + 1.0) * s, rel=1e-15)
    assert body["gradients"]["y"] == pytest.approx(x * s, rel=1e-15)
    assert body["gradients"]["w"] == pytest.approx((x * y + x) * s * (1.0 - s), rel=1e-15)


@pytest.mark.parametrize(("expression", "values"), [
    ("x*y + x", {"x": 2.0, "y": 3.0}),
    ("(x*y + x) * sigmoid(w)", {"x": 2.0, "y": 3.0, "w": 0.5}),
    ("tanh(a) / (1 + exp(-b)) - relu(a - b) + max(a, b) ** 2", {"a": 0.3, "b": -1.7}),
    ("log(x) * x ** -2 + -x", {"x": 1.5}),
    ("2.5", {}),
])
def test_output_gradients_and_graph_equal_the_engine(client, expression, values):
    response = post(client, expression, values)
    assert response.status_code == 200
    body = response.json()
    expected = evaluate(expression, values).to_dict()
    assert body["output"] == expected["output"]
    assert body["gradients"] == expected["gradients"]
    assert body["variables"] == expected["variables"]
    assert body["graph"] == expected["graph"]
    assert len(body["events"]["forward"]) == len(body["graph"]["nodes"])


def test_graph_has_a_node_per_variable_and_operation(client):
    body = post(client, "x*y + x", {"x": 2, "y": 3}).json()
    ops = sorted(node["op"] for node in body["graph"]["nodes"])
    assert ops.count("multiply") == 1 and ops.count("add") == 1
    names = {node["name"] for node in body["graph"]["nodes"]}
    assert {"x", "y"} <= names
    assert len(body["graph"]["edges"]) == 4


def test_extra_values_are_ignored(client):
    body = post(client, "x + 1", {"x": 1.0, "unused": 5.0}).json()
    assert body["gradients"] == {"x": 1.0}


HOSTILE = [
    ("__import__('os')", "__import__"),
    ("__import__('os').system('ls')", "cannot be called"),
    ("x.__class__", "attribute"),
    ("().__class__.__bases__[0]", "not allowed"),
    ("2**1000", "exponent"),
    ("x ** 99999999", "exponent"),
    ("9" * 400, "too large"),
    ("(" * 100 + "x" + ")" * 100, "nested"),
    ("-" * 200 + "x", "nested"),
    ("foo(x)", "foo"),
    ("exp(x, x)", "argument"),
    ("open('/etc/passwd')", "open"),
    ("lambda: 0", "lambda"),
    ("[x for x in (1, 2)]", "comprehension"),
    ("'a' * 10", "string"),
    ("x if x else 0", "conditional"),
    ("x == 1", "comparison"),
    ("(y := 2)", "assignment"),
    ("f'{x}'", "f-string"),
    ("x // 2", "'//'"),
    ("x ^ 2", "'^'"),
    ("x; import os", "syntax"),
    ("_secret + 1", "underscore"),
    ("exp", "function"),
    ("x +", "syntax"),
    ("   ", "empty"),
]


@pytest.mark.parametrize(("expression", "refused"), HOSTILE)
def test_hostile_and_malformed_expressions_are_422_saying_what_was_refused(
        client, expression, refused):
    response = post(client, expression, {"x": 1.0, "y": 2.0})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "expression"]
    assert refused in error["msg"]


def test_too_long_is_422_naming_the_limit(client):
    response = post(client, "x+" * (MAX_LENGTH // 2) + "x", {"x": 1.0})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "expression"] and str(MAX_LENGTH) in error["msg"]


@pytest.mark.parametrize(("expression", "values", "problem"), [
    ("log(x)", {"x": -1.0}, "positive"),
    ("1 / x", {"x": 0.0}, "division by zero"),
    ("exp(exp(x))", {"x": 10.0}, "overflow"),
])
def test_non_finite_results_are_422_naming_the_cause(client, expression, values, problem):
    response = post(client, expression, values)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "expression"] and problem in error["msg"]


def test_a_missing_value_is_422_on_values(client):
    response = post(client, "x * y", {"x": 1.0})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "values"] and "'y'" in error["msg"]


@pytest.mark.parametrize("values", [
    {"x": "NaN"}, {"x": "Infinity"}, {"x": "one"}, {"x": [1.0]},
    {f"v{i}": 1.0 for i in range(MAX_VARIABLES + 1)},
])
def test_bad_values_are_422(client, values):
    response = post(client, "x", values)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "values"]


def test_unknown_fields_are_refused(client):
    response = client.post(URL, json={"expression": "x", "values": {"x": 1}, "eval": True})
    assert response.status_code == 422


# ---------------------------------------------------------------- programs

PROGRAM = "a = -4.0\nb = 2.0\nc = a + b\nd = a * b + b**3\nc += c + 1\ne = c - d\nf = e**2"


def test_a_program_gives_the_engines_value_gradients_and_lines(client):
    response = post(client, PROGRAM, {})
    assert response.status_code == 200
    body = response.json()
    expected = evaluate_program(PROGRAM, {}).to_dict()
    for key in ("output", "gradients", "variables", "graph", "statements"):
        assert body[key] == expected[key], key
    # f = (c₂ - d)^2 with c₂ = 2(a + b) + 1 and d = ab + b^3, worked by hand.
    a, b = -4.0, 2.0
    e = 2 * (a + b) + 1 - (a * b + b**3)
    assert body["output"] == e**2
    assert body["gradients"] == {"a": 2 * e * (2 - b), "b": 2 * e * (2 - a - 3 * b**2)}
    names = {node["id"]: node["name"] for node in body["graph"]["nodes"]}
    assert [(s["name"], s["version"], names[s["node"]]) for s in body["statements"][2:5]] == [
        ("c", 1, "c₁"), ("d", None, "d"), ("c", 2, "c₂")]


def test_a_one_line_expression_names_its_output_in_statements(client):
    body = post(client, "x*y + x", {"x": 2, "y": 3}).json()
    output = next(n for n in body["graph"]["nodes"] if n["role"] == "output")
    assert body["statements"] == [{"line": 1, "name": None, "version": None,
                                   "node": output["id"]}]


def test_a_refused_program_is_422_naming_the_line_and_column(client):
    response = post(client, "a = 1.0\nb = a.real\nb", {})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "expression"]
    assert "(line 2, column 5: 'a.real')" in error["msg"]


def test_a_programs_missing_input_is_422_on_values(client):
    response = post(client, "c = c + w\nc = c * 2", {"c": 1.0})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "values"] and "'w'" in error["msg"]


def test_a_too_long_program_is_422_naming_the_limit(client):
    response = post(client, "a = 1\n" * (MAX_PROGRAM_LENGTH // 6 + 1), {})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "expression"] and str(MAX_PROGRAM_LENGTH) in error["msg"]
