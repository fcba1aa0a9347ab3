"""The terminal trace: --json is the API's answer to the bit, the tables show every stage's
numbers, and a mistake is one line naming the field."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from engine.cli import main


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def run(capsysbinary, *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    captured = capsysbinary.readouterr()
    return code, captured.out, captured.err.decode()


CASES = [
    ["--preset", "tiny-2-2-2"],
    ["--layers", "2-2-2", "--preset", "tiny-2-2-2", "--lr", "0.1", "--order", "eager"],
    ["--layers", "2-3-1", "--activations", "relu,sigmoid", "--loss", "binary_cross_entropy",
     "--seed", "7", "--init", "he", "--inputs", "0.5,-1;1,2;0,0.25", "--targets", "1;0;1"],
    ["--preset", "xor", "--batch", "20", "--granularity", "scalar"],
    ["--preset", "softmax-3", "--batch", "4"],
]


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(a) for a in CASES])
def test_json_is_the_apis_answer_to_the_bit(capsysbinary, client, argv):
    code, body, _ = run(capsysbinary, "trace", *argv, "--body")
    assert code == 0
    response = client.post("/api/v1/iterations", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 200
    code, printed, _ = run(capsysbinary, "trace", *argv, "--json")
    assert code == 0
    assert printed == response.content + b"\n"


def test_tables_show_each_stage_with_the_traces_numbers(capsysbinary, client):
    code, printed, _ = run(capsysbinary, "trace", "--preset", "tiny-2-2-2")
    assert code == 0
    text = printed.decode()
    trace = json.loads(run(capsysbinary, "trace", "--preset", "tiny-2-2-2", "--json")[1])
    for stage in trace["stages"]:
        assert f"{stage['name']}  [{stage['tag']}]" in text
    assert "C = 0.298371" in text
    assert "0.138499  -0.0380982" in text  # delta^2 of the worked example
    assert "W¹ ← W¹ − η ∂C/∂W¹" in text and "0.149781  0.199561" in text


@pytest.mark.parametrize(("argv", "message"), [
    (["--preset", "nope"], "error: preset: unknown preset 'nope'"),
    (["--layers", "2-x-1"], "error: layers: cannot read '2-x-1'"),
    (["--layers", "3-2-2"], "error: inputs"),
    (["--inputs", "1,2", "--targets", "a"], "error: targets: cannot read 'a'"),
    (["--activations", "tanh,nope"], "activations"),
])
def test_mistakes_are_one_line_naming_the_field(capsysbinary, argv, message):
    code, printed, error = run(capsysbinary, "trace", *argv)
    assert code == 2 and printed == b""
    assert message in error and error.count("\n") == 1


def test_python_dash_m_engine_runs():
    result = subprocess.run([sys.executable, "-m", "engine", "trace", "--json"],
                            capture_output=True, check=True)
    assert json.loads(result.stdout)["loss"] == pytest.approx(0.298371109, abs=1e-9)
