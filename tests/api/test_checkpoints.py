"""POST /api/v1/checkpoints: a hand-calculated number checked, and the wrong factor named, on the
classic 2-2-2 worked example (inputs 0.05, 0.1; targets 0.01, 0.99)."""

from __future__ import annotations

import pytest

BODY = {"network": {"layer_sizes": [2, 2, 2], "activations": ["sigmoid", "sigmoid"],
                    "loss": "squared_error"},
        "params": {"weights": [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]],
                   "biases": [[0.35, 0.35], [0.6, 0.6]]},
        "inputs": [[0.05, 0.1]], "targets": [[0.01, 0.99]], "learning_rate": 0.5}
# From the trace: z¹₁ = 0.3775, a¹₁ = 0.59327, δ²₁ = 0.13850, ∂C/∂w²₁₁ = 0.082167.
A1, Z1, DELTA2, GRAD = 0.5932699921071872, 0.3775, 0.13849856162855698, 0.08216704056423078


def check(client, kind, answer, **where):
    quantity = {"kind": kind, "layer": 2, "j": 0, "k": 0, **where}
    response = client.post("/api/v1/checkpoints", json={**BODY, "quantity": quantity,
                                                       "answer": answer})
    assert response.status_code == 200, response.text
    return response.json()


def test_a_right_number_rounded_to_four_places_is_right(client):
    verdict = check(client, "grad_weight", 0.0822)
    assert verdict["correct"] and verdict["value"] == pytest.approx(GRAD)


@pytest.mark.parametrize("kind, answer, slip, words", [
    ("grad_weight", Z1 * DELTA2, "pre_activation_input", "a¹ is the activation, not z¹"),
    ("grad_weight", -GRAD, "sign", "sign"),
    ("grad_weight", 0.75136507 * DELTA2, "own_activation", "not a²_1 of layer 2"),
    ("delta", 0.75136507 - 0.01, "no_derivative", "f′(z²)"),
    ("new_weight", 0.4 + 0.5 * GRAD, "with_gradient", "against it"),
    ("new_weight", 0.4 - GRAD, "no_rate", "learning rate"),
    ("new_weight", 0.4 - 0.5 * Z1 * DELTA2, "gradient_pre_activation_input",
     "a¹ is the activation"),
])
def test_a_wrong_number_names_the_factor_that_differs(client, kind, answer, slip, words):
    verdict = check(client, kind, answer)
    assert not verdict["correct"] and verdict["slip"] == slip
    assert words in verdict["says"]


def test_a_number_no_slip_explains_says_so(client):
    verdict = check(client, "grad_bias", 123.0)
    assert not verdict["correct"] and verdict["slip"] is None and "none of" in verdict["says"]


@pytest.mark.parametrize("quantity, loc", [
    ({"kind": "delta", "layer": 3, "j": 0}, ["body", "quantity", "layer"]),
    ({"kind": "delta", "layer": 2, "j": 2}, ["body", "quantity", "j"]),
    ({"kind": "grad_weight", "layer": 1, "j": 0, "k": 5}, ["body", "quantity", "k"]),
    ({"kind": "delta", "layer": 1, "j": 0, "sample": 1}, ["body", "quantity", "sample"]),
    ({"kind": "gradient", "layer": 1, "j": 0}, ["body", "quantity", "kind"]),
])
def test_a_quantity_outside_the_network_is_a_422_at_its_field(client, quantity, loc):
    response = client.post("/api/v1/checkpoints", json={**BODY, "quantity": quantity, "answer": 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


def test_a_non_finite_answer_is_refused(client):
    body = '{"quantity": {"kind": "delta", "layer": 1, "j": 0}, "answer": NaN}'
    response = client.post("/api/v1/checkpoints", content=body,
                           headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_tiny_gradients_are_told_apart(client):
    """∂C/∂w¹₂₁ = x₁ δ¹₂ = 0.000498; swapping the indices gives x₂ δ¹₁ = 0.000877, close in
    absolute terms but a different product."""
    swapped = check(client, "grad_weight", 0.1 * 0.008771354689486937, layer=1, j=1, k=0)
    assert not swapped["correct"] and swapped["slip"] == "indices"
    assert check(client, "grad_weight", 0.0004977, layer=1, j=1, k=0)["correct"]


def test_an_update_by_another_optimiser_or_with_the_penalty_is_a_422_naming_why(client):
    quantity = {"kind": "new_weight", "layer": 2, "j": 0, "k": 0}
    adam = client.post("/api/v1/checkpoints", json={**BODY, "quantity": quantity, "answer": 0.4,
                                                    "optimizer": {"name": "adam"}})
    assert adam.status_code == 422 and "uses adam" in adam.json()["detail"][0]["msg"]
    penalised = client.post("/api/v1/checkpoints", json={**BODY, "quantity": quantity,
                                                         "answer": 0.4, "l2": 0.01})
    assert penalised.status_code == 422 and penalised.json()["detail"][0]["loc"][-1] == "l2"
    delta = {"kind": "delta", "layer": 2, "j": 0}
    same = client.post("/api/v1/checkpoints", json={**BODY, "quantity": delta,
                                                    "answer": DELTA2, "l2": 0.01})
    assert same.status_code == 200 and same.json()["correct"]   # δ is the same with a penalty
