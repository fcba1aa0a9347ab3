"""The notebook widget's Python side: requests answered as the API answers them (to the byte),
its front end made from the page's own modules and stylesheets, its trace, parameters and
stepping from Python."""

from __future__ import annotations

import json
import re

import pytest

pytest.importorskip("anywidget")

from app.schemas.iterations import TINY_EXAMPLE  # noqa: E402
from backprop_widget import Playground, PlaygroundError  # noqa: E402
from backprop_widget.frontend import ENTRY, css, esm, modules  # noqa: E402
from backprop_widget.requests import answer  # noqa: E402

REQUESTS = [
    ("GET", "/api/v1/catalog", None),
    ("GET", "/api/v1/formulas", None),
    ("GET", "/api/v1/presets", None),
    ("GET", "/api/v1/datasets", None),
    ("POST", "/api/v1/datasets/xor", {"samples": 20, "noise": 0.1, "seed": 3}),
    ("POST", "/api/v1/iterations", TINY_EXAMPLE),
    ("POST", "/api/v1/iterations", {**TINY_EXAMPLE, "granularity": "scalar"}),
    ("POST", "/api/v1/networks", {"network": TINY_EXAMPLE["network"], "seed": 2}),
    ("POST", "/api/v1/gradcheck", TINY_EXAMPLE),
    ("POST", "/api/v1/train", {**TINY_EXAMPLE, "iterations": 20}),
    ("POST", "/api/v1/expressions", {"expression": "a = 2\nb = a * a\nb + a", "values": {}}),
    ("POST", "/api/v1/exports/numpy", TINY_EXAMPLE),
    # refused: each in the API's one error shape, with the API's status
    ("POST", "/api/v1/iterations", {**TINY_EXAMPLE, "learning_rate": -1}),
    ("POST", "/api/v1/iterations", {**TINY_EXAMPLE, "inputs": [[1.0, 2.0, 3.0]]}),
    ("POST", "/api/v1/datasets/nope", {}),
    ("POST", "/api/v1/expressions", {"expression": "a = 1\nb = a.real", "values": {}}),
    ("POST", "/api/v1/exports/pytorch", {**TINY_EXAMPLE, "update_order": "eager"}),
]


@pytest.mark.parametrize(("method", "path", "body"), REQUESTS,
                         ids=[f"{m} {p}" for m, p, _ in REQUESTS])
def test_requests_are_answered_as_the_api_answers_them(client, method, path, body):
    status, data = answer(method, path, body)
    response = client.request(method, path, json=body)
    assert status == response.status_code
    if path == "/api/v1/formulas":  # FastAPI writes this one through its response model
        assert json.loads(data) == response.json()
    else:
        assert data == response.content


def test_an_unknown_path_is_404():
    assert answer("GET", "/api/v1/nothing")[0] == 404
    assert answer("DELETE", "/api/v1/iterations")[0] == 404


def test_the_front_end_is_the_pages_modules_dependencies_first():
    found = modules()
    paths = [path for path, _ in found]
    assert paths[-1] == ENTRY and "playground/playground.js" in paths and "core/api.js" in paths
    assert len(paths) == len(set(paths))
    for index, (path, source) in enumerate(found):
        assert not re.search(r"""from\s*["']\.\.?/""", source), path
        for dependency in re.findall(r"__bp_module__:([\w./-]+)", source):
            assert dependency in paths[:index], (path, dependency)
    text = esm()
    assert "__MODULES__" not in text and json.dumps(ENTRY) in text
    assert "createPlayground" in text and "export default" in text


def test_the_stylesheets_are_scoped_to_the_widget():
    text = css()
    assert text.startswith(".bp-notebook {") and ":root" not in text
    assert "--positive: #0072b2" in text and not re.search(r"\bbody\b", text)


def test_trace_and_params_are_the_apis_for_the_starting_batch(client):
    widget = Playground(network={"layer_sizes": [2, 3, 1], "activations": ["tanh", "sigmoid"],
                                 "loss": "binary_cross_entropy"},
                        data={"name": "circles", "samples": 40, "seed": 2}, seed=5, batch=6)
    body = widget.iteration_body()
    assert len(body["inputs"]) == 6 and body["seed"] == 5
    expected = client.post("/api/v1/iterations", json=body).json()
    assert widget.trace == expected and widget.params == expected["params_before"]
    assert widget.options["hide"] == ["data", "train"]


def test_data_in_every_form_and_presets():
    rows = ([[0.0, 1.0], [1.0, 0.0]], [[1.0], [0.0]])
    network = {"layer_sizes": [2, 1], "activations": ["sigmoid"], "loss": "binary_cross_entropy"}
    as_pair = Playground(network=network, data=rows)
    as_dict = Playground(network=network, data={"inputs": rows[0], "targets": rows[1]})
    assert as_pair.trace == as_dict.trace and as_pair.options["points"]["inputs"] == rows[0]
    assert Playground().trace["loss"] == pytest.approx(0.298371109, abs=1e-9)
    assert len(Playground(preset="xor").options["points"]["inputs"]) == 200


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"preset": "nope"}, "preset: unknown preset 'nope'"),
    ({"network": {"layer_sizes": [2, 1], "activations": ["tanh"], "loss": "squared_error"}},
     "data: give data"),
    ({"network": {"layer_sizes": [3, 1], "activations": ["tanh"], "loss": "squared_error"},
      "data": "xor"}, "inputs: must be a list of rows with 3 numbers"),
    ({"learning_rate": 0.0}, "learning_rate: Input should be greater than 0"),
])
def test_a_refused_setting_raises_naming_the_field(kwargs, message):
    with pytest.raises(PlaygroundError, match=re.escape(message)):
        Playground(**kwargs)


def test_messages_requests_answered_and_steps_sent():
    widget = Playground()
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, buffers))
    body = {**widget.iteration_body(), "learning_rate": 0.1}
    widget._on_message(widget, {"type": "request", "id": 7, "method": "POST",
                                "path": "/api/v1/iterations", "body": body}, [])
    (reply, buffers), = sent
    assert reply == {"type": "response", "id": 7, "status": 200}
    answered = json.loads(buffers[0])
    assert answered["learning_rate"] == 0.1 and widget.trace["learning_rate"] == 0.5
    widget._on_message(widget, {"type": "trace", "trace": answered}, [])
    assert widget.trace == answered and widget.params == answered["params_before"]
    widget._on_message(widget, {"type": "something else"}, [])
    widget.step(2)
    assert [content for content, _ in sent[1:]] == [{"type": "action",
                                                     "action": {"type": "next"}}] * 2
