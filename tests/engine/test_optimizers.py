"""The optimisers against an independent NumPy implementation of torch.optim's published update
rules (over 25 steps, to 1e-12), the state they carry, the eager order with a stateful
optimiser, training as chained iterations, and the checks on hyperparameters and state."""

from __future__ import annotations

import numpy as np
import pytest

from engine.learning.iteration import run_iteration
from engine.learning.optimizers import (
    OPTIMIZERS,
    OptimizerState,
    Update,
    configure,
    initial_state,
    state_from,
)
from engine.learning.training import train
from engine.networks.init import init_params
from engine.networks.spec import NetworkSpec, Params, SpecError
from tests.engine import numpy_net

STEPS = 25
LR = 0.05
CLOSE = {"rtol": 1e-12, "atol": 0.0}


def assert_close(ours: np.ndarray, theirs: np.ndarray) -> None:
    """Within 1e-12 relative to the array's largest entry: an entry that crosses zero (a weight
    near 0, a moment that changes sign) keeps the rounding of its neighbours' size."""
    assert np.max(np.abs(ours - theirs)) <= 1e-12 * np.max(np.abs(theirs))


# ---------------------------------------------------------------- the reference, from the docs

def reference_sgd(theta, g, state, t, lr, momentum=0.0, dampening=0.0, weight_decay=0.0,
                  nesterov=False):
    """torch.optim.SGD's algorithm as its documentation writes it."""
    if weight_decay:
        g = g + weight_decay * theta
    if momentum:
        state["b"] = g if t == 1 else momentum * state["b"] + (1 - dampening) * g
        g = g + momentum * state["b"] if nesterov else state["b"]
    return theta - lr * g


def reference_rmsprop(theta, g, state, t, lr, alpha=0.99, eps=1e-8, weight_decay=0.0,
                      momentum=0.0, centered=False):
    """torch.optim.RMSprop's algorithm as its documentation writes it."""
    if weight_decay:
        g = g + weight_decay * theta
    state["v"] = alpha * state.get("v", 0.0) + (1 - alpha) * g ** 2
    v_tilde = state["v"]
    if centered:
        state["g_ave"] = alpha * state.get("g_ave", 0.0) + (1 - alpha) * g
        v_tilde = v_tilde - state["g_ave"] ** 2
    if momentum > 0:
        state["b"] = momentum * state.get("b", 0.0) + g / (np.sqrt(v_tilde) + eps)
        return theta - lr * state["b"]
    return theta - lr * g / (np.sqrt(v_tilde) + eps)


def reference_adam(theta, g, state, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                   amsgrad=False, decoupled=False):
    """torch.optim.Adam's and AdamW's algorithm as their documentation writes it, with one
    change: AMSGrad keeps the largest v (as torch's code does) and corrects it, where the
    documentation takes the largest corrected v-hat."""
    beta1, beta2 = betas
    if weight_decay and decoupled:
        theta = theta - lr * weight_decay * theta
    elif weight_decay:
        g = g + weight_decay * theta
    state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g ** 2
    m_hat = state["m"] / (1 - beta1 ** t)
    v = state["v"]
    if amsgrad:
        state["v_max"] = v = np.maximum(state.get("v_max", 0.0), state["v"])
    v_hat = v / (1 - beta2 ** t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps)


REFERENCES = {
    "sgd": reference_sgd, "rmsprop": reference_rmsprop, "adam": reference_adam,
    "adamw": lambda *a, **k: reference_adam(*a, decoupled=True, **{"weight_decay": 0.01, **k}),
}
# Each optimiser with non-default settings and with weight decay.
CASES = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.9}),
    ("sgd", {"momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05}),
    ("sgd", {"momentum": 0.7, "nesterov": True, "weight_decay": 0.1}),
    ("rmsprop", {}),
    ("rmsprop", {"alpha": 0.9, "eps": 1e-6, "momentum": 0.5, "weight_decay": 0.02}),
    ("rmsprop", {"alpha": 0.8, "centered": True, "weight_decay": 0.01}),
    ("rmsprop", {"alpha": 0.95, "centered": True, "momentum": 0.3, "eps": 1e-4}),
    ("adam", {}),
    ("adam", {"betas": [0.8, 0.95], "eps": 1e-6, "weight_decay": 0.05}),
    ("adam", {"betas": [0.3, 0.7], "amsgrad": True, "weight_decay": 0.1}),
    ("adamw", {}),
    ("adamw", {"betas": [0.85, 0.99], "eps": 1e-7, "weight_decay": 0.2, "amsgrad": True}),
]
SPEC = NetworkSpec((3, 4, 2), ("tanh", "linear"), "squared_error")


def gradient(theta: np.ndarray, a: np.ndarray, k: int) -> np.ndarray:
    """A gradient that changes with the parameter and the step, so state matters."""
    return np.sin(theta * a + k) + 0.3 * theta


@pytest.mark.parametrize("name, given", CASES)
def test_every_optimiser_follows_the_published_rules(name, given):
    rng = np.random.default_rng(7)
    params = init_params(SPEC, seed=1)
    params.biases = [rng.normal(size=b.shape) for b in params.biases]
    scales = [rng.normal(size=a.shape) for a in params.weights + params.biases]
    settings = configure(name, given)
    state = initial_state(settings, params)
    reference = [a.copy() for a in params.weights + params.biases]
    reference_state = [{} for _ in reference]
    hyper = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    for t in range(1, STEPS + 1):
        grads = [gradient(a, s, t) for a, s in zip(params.weights + params.biases, scales,
                                                     strict=True)]
        update = Update(settings, LR, state, params)
        params = update.step_all(params, Params(grads[:2], grads[2:]))
        state = update.state_after()
        reference = [REFERENCES[name](theta, gradient(theta, s, t), st, t, LR, **hyper)
                     for theta, s, st in zip(reference, scales, reference_state, strict=True)]
        for ours, theirs in zip(params.weights + params.biases, reference, strict=True):
            assert_close(ours, theirs)
    assert state.step == STEPS
    names = {"momentum_buffer": "b", "square_avg": "v", "grad_avg": "g_ave", "exp_avg": "m",
             "exp_avg_sq": "v", "max_exp_avg_sq": "v_max"}
    for buffer, kept in state.buffers.items():
        for ours, theirs in zip(kept.weights + kept.biases, reference_state, strict=True):
            assert_close(ours, theirs[names[buffer]])


def test_the_state_kept_follows_the_settings():
    kept = {(name, str(given)): [q.name for q in configure(name, given).kept]
            for name, given in CASES}
    assert kept[("sgd", "{}")] == []
    assert kept[("sgd", "{'momentum': 0.9}")] == ["momentum_buffer"]
    assert kept[("rmsprop", str(CASES[7][1]))] == ["square_avg", "grad_avg", "momentum_buffer"]
    assert kept[("adam", "{}")] == ["exp_avg", "exp_avg_sq"]
    assert kept[("adamw", str(CASES[-1][1]))] == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]


@pytest.mark.parametrize("name, given", [CASES[3], CASES[7], CASES[10]])
def test_entry_by_entry_is_the_whole_array_and_leaves_the_state_given_alone(name, given):
    params = init_params(SPEC, seed=2)
    grads = init_params(SPEC, seed=3)
    settings = configure(name, given)
    state = initial_state(settings, params)
    for _ in range(3):   # a state with something in it
        update = Update(settings, LR, state, params)
        params, state = update.step_all(params, grads), update.state_after()
    kept = {name: p.copy() for name, p in state.buffers.items()}
    whole = Update(settings, LR, state, params, record=True)
    expected = whole.step_all(params, grads)
    entries = Update(settings, LR, state, params, record=True)
    w = params.weights[0].copy()
    for index in np.ndindex(w.shape):
        w[index] = entries.step("weight", 1, index, params.weights[0][index],
                                grads.weights[0][index])
    np.testing.assert_array_equal(w, expected.weights[0])
    for buffer in kept:
        np.testing.assert_array_equal(entries.buffers[buffer].weights[0],
                                      whole.buffers[buffer].weights[0])
        np.testing.assert_array_equal(state.buffers[buffer].weights[0], kept[buffer].weights[0])
    for quantity, shown in entries.shown.items():
        np.testing.assert_array_equal(shown.weights[0], whole.shown[quantity].weights[0])


# ---------------------------------------------------------------- in the iteration and training

def xor_problem():
    spec = NetworkSpec((2, 3, 1), ("tanh", "sigmoid"), "binary_cross_entropy", l2=0.01)
    params, x, y = numpy_net.random_problem(spec, seed=4, batch=6)
    return spec, params, x, (y > 0.5).astype(float)


def test_the_update_stage_shows_adams_quantities_for_every_weight():
    spec, params, x, y = xor_problem()
    settings = configure("adam", {"betas": [0.8, 0.9]})
    first = run_iteration(spec, params, x, y, 0.1, optimizer=settings)
    trace = run_iteration(spec, first.params_after, x, y, 0.1, optimizer=settings,
                          optimizer_state=first.optimizer_state_after)
    update = trace.stage("update").values
    assert update["optimizer"] == "adam" and update["step_count"] == 2
    shown = update["quantities"]
    assert set(shown) == {"grad", "gradient_step", "param_step", "exp_avg", "exp_avg_sq",
                          "exp_avg_hat", "exp_avg_sq_hat"}
    g = trace.stage("backward", 1).values["grad_weights"]
    m1 = first.optimizer_state_after.buffers["exp_avg"].weights[0]
    v1 = first.optimizer_state_after.buffers["exp_avg_sq"].weights[0]
    m, v = 0.8 * m1 + 0.2 * g, 0.9 * v1 + 0.1 * g * g
    np.testing.assert_array_equal(shown["grad"]["weights"][0], g)
    np.testing.assert_allclose(shown["gradient_step"]["weights"][0], -0.1 * g, **CLOSE)
    np.testing.assert_allclose(shown["exp_avg"]["weights"][0], m, **CLOSE)
    np.testing.assert_allclose(shown["exp_avg_sq"]["weights"][0], v, **CLOSE)
    np.testing.assert_allclose(shown["exp_avg_hat"]["weights"][0], m / (1 - 0.8 ** 2), **CLOSE)
    np.testing.assert_allclose(shown["exp_avg_sq_hat"]["weights"][0], v / (1 - 0.9 ** 2),
                               **CLOSE)
    step = trace.params_after.weights[0] - trace.params_before.weights[0]
    np.testing.assert_array_equal(shown["param_step"]["weights"][0], step)
    np.testing.assert_allclose(step, -0.1 * (m / 0.36) / (np.sqrt(v / 0.19) + 1e-8), rtol=1e-12)
    assert trace.to_data()["optimizer_state_after"]["step"] == 2


def test_plain_sgd_named_is_the_update_of_before():
    spec, params, x, y = xor_problem()
    plain = run_iteration(spec, params, x, y, 0.4)
    named = run_iteration(spec, params, x, y, 0.4, optimizer=configure("sgd"))
    for a, b in zip(plain.params_after.weights, named.params_after.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    assert "quantities" not in plain.stage("update").values
    assert "optimizer" not in plain.to_data() and named.to_data()["optimizer"]["name"] == "sgd"


@pytest.mark.parametrize("name, given", [CASES[2], CASES[6], CASES[12]])
def test_eager_steps_each_parameter_with_its_own_state(name, given):
    spec, params, x, y = xor_problem()
    settings = configure(name, given)
    state = run_iteration(spec, params, x, y, 0.1, optimizer=settings).optimizer_state_after
    runs = {(order, granularity): run_iteration(spec, params, x, y, 0.1, order, granularity,
                                                optimizer=settings, optimizer_state=state)
            for order in ("after_backward", "eager") for granularity in ("layer", "scalar")}
    eager, scalar = runs[("eager", "layer")], runs[("eager", "scalar")]
    correct = runs[("after_backward", "layer")]
    for l in (0, 1):
        np.testing.assert_allclose(scalar.params_after.weights[l], eager.params_after.weights[l],
                                   rtol=1e-12)
        for buffer, kept in eager.optimizer_state_after.buffers.items():
            np.testing.assert_allclose(scalar.optimizer_state_after.buffers[buffer].weights[l],
                                       kept.weights[l], rtol=1e-12)
    # The output layer moves first, from the true gradient; the layer before it does not.
    np.testing.assert_array_equal(eager.params_after.weights[1], correct.params_after.weights[1])
    assert not np.allclose(eager.params_after.weights[0], correct.params_after.weights[0],
                           rtol=1e-9, atol=0)
    assert eager.optimizer_state_after.step == correct.optimizer_state_after.step == 2


def test_training_is_iterations_chained_through_the_state():
    """train() with an optimiser and an L2 penalty is run_iteration after run_iteration, each on
    the rows train draws, carrying parameters and state: the same numbers to the bit."""
    spec, params, x, y = xor_problem()
    settings = configure("adamw", {"amsgrad": True, "weight_decay": 0.1})
    result = train(spec, params, x, y, learning_rate=0.05, iterations=20, seed=3,
                   optimizer=settings)
    rng = np.random.default_rng(3)
    state = None
    for iteration in range(20):
        rows = rng.permutation(len(x))   # the full batch, drawn afresh for each epoch
        trace = run_iteration(spec, params, x[rows], y[rows], 0.05, record=False,
                              optimizer=settings, optimizer_state=state)
        assert result.loss_curve[iteration] == trace.loss
        params, state = trace.params_after, trace.optimizer_state_after
    for a, b in zip(result.params_after.weights + result.params_after.biases,
                    params.weights + params.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    for buffer, kept in state.buffers.items():
        for a, b in zip(result.optimizer_state_after.buffers[buffer].weights, kept.weights,
                        strict=True):
            np.testing.assert_array_equal(a, b)
    assert result.to_dict()["optimizer_state_after"]["step"] == 20
    assert "optimizer_state_after" not in train(spec, params, x, y, learning_rate=0.05,
                                                iterations=1).to_dict()


# ---------------------------------------------------------------- checks

@pytest.mark.parametrize("name, given, field, phrase", [
    ("sgd", {"momentum": 1.0}, "optimizer.momentum", "must be in [0, 1), got 1"),
    ("sgd", {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, "optimizer.nesterov",
     "momentum > 0 and dampening 0"),
    ("sgd", {"nesterov": 1}, "optimizer.nesterov", "true or false"),
    ("sgd", {"lr": 0.1}, "optimizer.lr", "`learning_rate`"),
    ("sgd", {"alpha": 0.9}, "optimizer.alpha", "takes momentum, dampening, weight_decay, "
     "nesterov"),
    ("rmsprop", {"eps": 0.0}, "optimizer.eps", "(0, 1]"),
    ("rmsprop", {"weight_decay": 11}, "optimizer.weight_decay", "[0, 10]"),
    ("adam", {"betas": [0.9]}, "optimizer.betas", "a pair of numbers"),
    ("adam", {"betas": [0.9, 1.0]}, "optimizer.betas[1]", "[0, 1), got 1"),
    ("adamw", {"betas": [True, 0.9]}, "optimizer.betas[0]", "must be a number in [0, 1)"),
    ("adam", {"amsgrad": "yes"}, "optimizer.amsgrad", "true or false"),
    ("rmsprop", {"momentum": float("nan")}, "optimizer.momentum", "[0, 1), got nan"),
    ("rmsprop", {"momentum": 10**400}, "optimizer.momentum", "got an integer of 401 digits"),
])
def test_hyperparameters_are_checked_naming_the_field_and_the_bound(name, given, field, phrase):
    with pytest.raises(SpecError) as caught:
        configure(name, given)
    assert caught.value.field == field and phrase in caught.value.message


def test_an_unknown_optimiser_names_the_ones_there_are():
    with pytest.raises(SpecError, match="known: " + ", ".join(OPTIMIZERS)):
        configure("adagrad")


def buffers(params: Params, **changes) -> dict:
    out = {"exp_avg": (params.weights, params.biases),
           "exp_avg_sq": ([abs(w) for w in params.weights], params.biases)}
    return {**out, **changes}


@pytest.mark.parametrize("change, field, phrase", [
    ({"exp_avg": ([np.zeros((3, 4)), np.zeros((3, 3))], [np.zeros(4), np.zeros(2)])},
     "optimizer_state.exp_avg.weights[0]", "must have shape 4x3"),
    ({"exp_avg": ([np.zeros((4, 3))], [np.zeros(4)])},
     "optimizer_state.exp_avg.weights", "needs 2 matrices"),
    ({"exp_avg_sq": ([np.full((4, 3), np.inf), np.zeros((2, 4))], [np.zeros(4), np.zeros(2)])},
     "optimizer_state.exp_avg_sq.weights[0]", "finite"),
    ({"exp_avg_sq": ([np.zeros((4, 3)), -np.ones((2, 4))], [np.zeros(4), np.zeros(2)])},
     "optimizer_state.exp_avg_sq.weights[1]", "cannot be negative"),
    ({"momentum_buffer": ([np.zeros((4, 3)), np.zeros((2, 4))], [np.zeros(4), np.zeros(2)])},
     "optimizer_state.momentum_buffer", "keeps no `momentum_buffer`"),
])
def test_a_state_is_checked_naming_the_field(change, field, phrase):
    params = init_params(SPEC, seed=0)
    with pytest.raises(SpecError) as caught:
        state_from(configure("adam"), SPEC, 3, buffers(params, **change))
    assert caught.value.field == field and phrase in caught.value.message


def test_a_missing_buffer_says_how_to_start_afresh():
    params = init_params(SPEC, seed=0)
    sent = buffers(params)
    del sent["exp_avg_sq"]
    with pytest.raises(SpecError, match="omit optimizer_state to start afresh"):
        state_from(configure("adam"), SPEC, 1, sent)
    state = state_from(configure("adam"), SPEC, 1, buffers(params))
    assert isinstance(state, OptimizerState) and state.step == 1
