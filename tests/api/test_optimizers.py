"""The optimiser, its state and the L2 penalty in POST /api/v1/iterations and /train: old requests
answered to the byte as before, state carried from one response to the next request, every
refusal a 422 naming the field and the limit, and the catalog and the requests reading the
engine's one registry."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest

from app.schemas.iterations import TINY_EXAMPLE
from engine.learning.optimizers import OPTIMIZERS

GOLDEN = Path(__file__).parent / "golden" / "plain_sgd.json"
ITERATIONS, TRAIN = "/api/v1/iterations", "/api/v1/train"


def tiny(**changes) -> dict:
    return {**copy.deepcopy(TINY_EXAMPLE), **changes}


def only_error(response) -> dict:
    assert response.status_code == 422, response.text
    (error,) = response.json()["detail"]
    return error


@pytest.mark.parametrize("case", json.loads(GOLDEN.read_text()), ids=lambda c: c["url"])
def test_requests_without_an_optimiser_are_answered_as_before(client, case):
    """The golden responses were written by the last commit before optimisers (5c2d376):
    every number and every field the same, and no field added."""
    response = client.post(case["url"], json=case["request"])
    assert response.status_code == 200
    assert response.json() == case["response"]


def test_the_state_carries_from_one_iteration_to_the_next_as_training_does(client):
    body = tiny(optimizer={"name": "adam", "betas": [0.8, 0.9], "weight_decay": 0.01}, l2=0.05)
    first = client.post(ITERATIONS, json=body).json()
    assert first["optimizer"] == {"name": "adam", "betas": [0.8, 0.9], "eps": 1e-8,
                                  "weight_decay": 0.01, "amsgrad": False}
    assert set(first["optimizer_state_after"]) == {"step", "exp_avg", "exp_avg_sq"}
    second = client.post(ITERATIONS, json={**body, "params": first["params_after"],
                                           "optimizer_state": first["optimizer_state_after"]})
    second = second.json()
    update = second["stages"][-1]
    assert update["optimizer"] == "adam" and update["step_count"] == 2
    assert {"grad", "gradient_step", "param_step", "exp_avg", "exp_avg_sq", "exp_avg_hat",
            "exp_avg_sq_hat", "grad_with_decay"} == set(update["quantities"])
    # One sample: training's shuffle changes nothing, so two steps of /train are the same.
    trained = client.post(TRAIN, json={key: body[key] for key in (
        "network", "params", "inputs", "targets", "learning_rate", "optimizer", "l2")}
        | {"iterations": 2, "include_data": False}).json()
    assert trained["params_after"] == second["params_after"]
    assert trained["optimizer_state_after"] == second["optimizer_state_after"]
    assert trained["optimizer"] == first["optimizer"] and trained["l2"] == 0.05


def test_the_update_stage_shows_momentum_and_the_plain_step_beside_the_step_taken(client):
    body = tiny(optimizer={"name": "sgd", "momentum": 0.9}, update_order="eager",
                granularity="scalar")
    first = client.post(ITERATIONS, json=body).json()
    second = client.post(ITERATIONS, json={**body, "params": first["params_after"],
                                           "optimizer_state": first["optimizer_state_after"]})
    shown = second.json()["stages"][-1]["quantities"]
    g = np.array(shown["grad"]["weights"][1])
    velocity = np.array(shown["momentum_buffer"]["weights"][1])
    np.testing.assert_allclose(shown["gradient_step"]["weights"][1], -0.5 * g, rtol=1e-15)
    np.testing.assert_allclose(shown["param_step"]["weights"][1], -0.5 * velocity, rtol=1e-12)
    before = np.array(first["optimizer_state_after"]["momentum_buffer"]["weights"][1])
    np.testing.assert_allclose(velocity, 0.9 * before + g, rtol=1e-15)


@pytest.mark.parametrize("optimizer, loc, phrase", [
    ({"name": "adagrad"}, ["optimizer", "name"], "'sgd', 'rmsprop', 'adam' or 'adamw'"),
    ({"name": "sgd", "momentum": 1}, ["optimizer", "momentum"], "must be in [0, 1), got 1"),
    ({"name": "sgd", "momentum": 0.5, "dampening": 0.5, "nesterov": True},
     ["optimizer", "nesterov"], "dampening 0"),
    ({"name": "rmsprop", "alpha": -0.1}, ["optimizer", "alpha"], "must be in [0, 1)"),
    ({"name": "rmsprop", "eps": 0}, ["optimizer", "eps"], "must be in (0, 1]"),
    ({"name": "adam", "betas": [0.9, 1.5]}, ["optimizer", "betas", 1], "must be in [0, 1)"),
    ({"name": "adam", "betas": 0.9}, ["optimizer", "betas"], "a pair of numbers"),
    ({"name": "adamw", "weight_decay": 100}, ["optimizer", "weight_decay"], "[0, 10]"),
    ({"name": "adamw", "amsgrad": "true"}, ["optimizer", "amsgrad"], "true or false"),
    ({"name": "adam", "momentum": 0.9}, ["optimizer", "momentum"], "adam takes no `momentum`"),
    ({"name": "adam", "lr": 0.01}, ["optimizer", "lr"], "`learning_rate`"),
    ({"name": "adam", "eps": 10**400}, ["optimizer", "eps"], "an integer of 401 digits"),
    ({"name": "adam", "eps": {"value": 0.1}}, ["optimizer", "eps"], "must be a number"),
])
def test_an_optimiser_is_refused_naming_the_field_and_the_limit(client, optimizer, loc, phrase):
    for url, body in ((ITERATIONS, tiny()), (TRAIN, {**tiny(), "iterations": 2})):
        error = only_error(client.post(url, json={**body, "optimizer": optimizer}))
        assert error["loc"] == ["body", *loc] and phrase in error["msg"]


def adam_state(**changes) -> dict:
    zeros = {"weights": [[[0.0, 0.0], [0.0, 0.0]]] * 2, "biases": [[0.0, 0.0]] * 2}
    return {"step": 3, "exp_avg": zeros, "exp_avg_sq": zeros, **changes}


@pytest.mark.parametrize("state, loc, phrase", [
    (adam_state(exp_avg={"weights": [[[0.0, 0.0]], [[0.0, 0.0], [0.0, 0.0]]],
                         "biases": [[0.0, 0.0]] * 2}),
     ["optimizer_state", "exp_avg", "weights", 0], "must have shape 2x2"),
    (adam_state(exp_avg_sq={"weights": [[[0.0, 0.0], [0.0, 0.0]]] * 2, "biases": [[0.0]] * 2}),
     ["optimizer_state", "exp_avg_sq", "biases", 0], "must have 2 entries"),
    (adam_state(exp_avg_sq={"weights": [[[0.0, -1.0], [0.0, 0.0]]] * 2,
                            "biases": [[0.0, 0.0]] * 2}),
     ["optimizer_state", "exp_avg_sq", "weights", 0], "cannot be negative"),
    ({"step": 3, "exp_avg": adam_state()["exp_avg"]}, ["optimizer_state", "exp_avg_sq"],
     "omit optimizer_state to start afresh"),
    (adam_state(square_avg=adam_state()["exp_avg"]), ["optimizer_state", "square_avg"],
     "keeps no `square_avg`"),
    (adam_state(step=-1), ["optimizer_state", "step"], "greater than or equal to 0"),
    (adam_state(step=True), ["optimizer_state", "step"], "valid integer"),
    (adam_state(exp_avg={"weights": "zeros", "biases": [[0.0, 0.0]] * 2}),
     ["optimizer_state", "exp_avg", "weights"], "valid array"),
])
def test_a_state_that_does_not_fit_is_a_422_naming_the_field(client, state, loc, phrase):
    body = tiny(optimizer={"name": "adam"}, optimizer_state=state)
    error = only_error(client.post(ITERATIONS, json=body))
    assert error["loc"] == ["body", *loc] and phrase in error["msg"]


def test_a_state_with_nan_or_infinity_is_a_422_not_a_500(client):
    for number in ("NaN", "Infinity", "-Infinity"):
        body = json.dumps(tiny(optimizer={"name": "adam"}, optimizer_state=adam_state()))
        body = body.replace('"exp_avg": {"weights": [[[0.0', f'"exp_avg": {{"weights": [[[{number}',
                            1)
        response = client.post(ITERATIONS, content=body,
                               headers={"content-type": "application/json"})
        error = only_error(response)
        assert error["loc"][:4] == ["body", "optimizer_state", "exp_avg", "weights"]


def test_a_hyperparameter_that_is_nan_is_a_422(client):
    body = json.dumps(tiny(optimizer={"name": "rmsprop", "alpha": 0.5})).replace("0.5}", "NaN}")
    response = client.post(ITERATIONS, content=body, headers={"content-type": "application/json"})
    error = only_error(response)
    assert error["loc"] == ["body", "optimizer", "alpha"] and "got nan" in error["msg"]


def test_a_state_needs_its_optimiser(client):
    error = only_error(client.post(ITERATIONS, json=tiny(optimizer_state={"step": 1})))
    assert error["loc"] == ["body", "optimizer_state"] and "`optimizer`" in error["msg"]


@pytest.mark.parametrize("l2", [-0.5, 11, "0.1"])
def test_the_l2_penalty_is_bounded(client, l2):
    assert only_error(client.post(ITERATIONS, json=tiny(l2=l2)))["loc"] == ["body", "l2"]


def test_a_stateful_optimiser_counts_in_the_work_budget(client):
    body = {"network": {"layer_sizes": [2, 8, 8, 1], "activations": ["tanh", "tanh", "sigmoid"],
                        "loss": "binary_cross_entropy"},
            "dataset": {"name": "xor", "samples": 40}, "iterations": 3, "include_data": False}
    plain = client.post(TRAIN, json=body).json()["work"]["per_iteration"]
    named = client.post(TRAIN, json={**body, "optimizer": {"name": "sgd"}}).json()
    adam = client.post(TRAIN, json={**body, "optimizer": {"name": "adam"}, "l2": 0.1}).json()
    assert named["work"]["per_iteration"] == plain < adam["work"]["per_iteration"]
    assert named["optimizer_state_after"] == {"step": 3}
    assert not adam["diverged"] and adam["optimizer_state_after"]["step"] == 3


def test_the_catalog_lists_every_optimiser_from_the_registry(client):
    served = client.get("/api/v1/catalog").json()["optimizers"]
    assert [o["name"] for o in served] == list(OPTIMIZERS)
    adam = next(o for o in served if o["name"] == "adam")
    betas = next(h for h in adam["hyperparameters"] if h["name"] == "betas")
    assert betas == {"name": "betas", "label": "β₁, β₂", "kind": "pair", "default": [0.9, 0.999],
                     "min": 0.0, "max": 1.0, "exclusive_min": False, "exclusive_max": True}
    assert [q["name"] for q in adam["state"]] == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
    assert [q["name"] for q in adam["shows"]][:3] == ["grad", "gradient_step", "param_step"]
    adamw = next(o for o in served if o["name"] == "adamw")
    assert next(h for h in adamw["hyperparameters"]
                if h["name"] == "weight_decay")["default"] == 0.01


def test_an_optimiser_registered_later_is_accepted_with_no_other_edit(client, sign_sgd):
    body = tiny(optimizer={"name": "sign_sgd", "scale": 0.5})
    response = client.post(ITERATIONS, json=body)
    assert response.status_code == 200, response.text
    update = response.json()["stages"][-1]
    before = np.array(TINY_EXAMPLE["params"]["weights"][0])
    sign = np.array(update["quantities"]["sign"]["weights"][0])
    np.testing.assert_array_equal(update["weights"][0], before - 0.5 * 0.5 * sign)
    names = [o["name"] for o in client.get("/api/v1/catalog").json()["optimizers"]]
    assert "sign_sgd" in names


def test_a_diverged_step_returns_its_state_with_null_for_what_is_not_finite(client):
    body = {"network": {"layer_sizes": [1, 1], "activations": ["linear"],
                        "loss": "squared_error"},
            "params": {"weights": [[[1e200]]], "biases": [[0.0]]}, "inputs": [[1e200]],
            "targets": [[0.0]], "optimizer": {"name": "sgd", "momentum": 0.9}}
    stepped = client.post(ITERATIONS, json=body).json()
    assert stepped["diverged"] and stepped["params_after"]["weights"] == [[[None]]]
    assert stepped["optimizer_state_after"]["momentum_buffer"]["weights"] == [[[None]]]
    trained = client.post(TRAIN, json={**body, "iterations": 3}).json()
    assert trained["diverged"] and trained["optimizer_state_after"]["step"] == 1
