"""Every primitive's derivative rules against central differences, stability, depth and fan-out.

The reference side never uses the engine: each case carries its own plain-NumPy formula, which
the finite differences evaluate in long double and difference against the unperturbed value, so
the rounding error of the reference (about 1e-19 |C| / 1e-6) stays far below the 1e-6 bar even
for small gradient entries.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pytest

from engine.autodiff import ops, primitives
from engine.autodiff.graph import Graph, backward
from engine.networks import losses
from engine.networks.network import build
from engine.networks.spec import NetworkSpec, Params
from tests.finite_diff import assert_gradient_close, central_difference, relative_error

LD = np.longdouble


def ld(a) -> np.ndarray:
    return np.asarray(a, dtype=LD)


# ---------------------------------------------------------------- independent NumPy formulas

def ref_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def ref_softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def ref_squared_error(a, y):
    n = a.shape[0] if a.ndim > 1 else 1
    return np.sum((a - y) ** 2) / (2 * n)


def ref_bce(z, y):
    p = ref_sigmoid(z)
    n = z.shape[0] if z.ndim > 1 else 1
    return -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)) / n


def ref_ce(z, y):
    n = z.shape[0] if z.ndim > 1 else 1
    return -np.sum(y * np.log(ref_softmax(z))) / n


# ---------------------------------------------------------------- cases

def normal(*shape):
    return lambda rng: rng.normal(size=shape)


def away_from_zero(*shape, low=0.1, high=2.0):
    return lambda rng: rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


def positive(*shape, low=0.5, high=2.0):
    return lambda rng: rng.uniform(low, high, size=shape)


def probabilities(*shape):
    return lambda rng: rng.uniform(0.05, 0.95, size=shape)


def one_hot(n, k):
    return lambda rng: np.eye(k)[rng.integers(0, k, size=n)]


def soft_targets(n, k):
    """Rows of positive numbers that do not sum to 1: the rules must not assume they do."""
    return lambda rng: rng.uniform(0.1, 1.0, size=(n, k))


@dataclass
class Case:
    id: str
    prim: primitives.Primitive
    ref: Callable              # plain NumPy (long double) forward
    args: list[Callable]       # rng -> array, one per parent
    attrs: dict = field(default_factory=dict)
    op: Callable | None = None  # the engine.autodiff.ops builder; ops.apply(prim, ...) when None
    elementwise: bool = False   # `local` is d y_k / d x_k entry by entry
    valid: Callable | None = None  # rejects argument draws too close to a kink

    def draw(self, seed: int) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        for _ in range(100):
            values = [np.asarray(make(rng), dtype=np.float64) for make in self.args]
            if self.valid is None or self.valid(*values):
                return values
        raise AssertionError("could not draw valid arguments")

    def build(self, nodes):
        if self.op is not None:
            return self.op(*nodes, **self.attrs)
        return ops.apply(self.prim, *nodes, **self.attrs)


def untied(a, b):
    return np.min(np.abs(np.subtract(a, b))) > 0.05


UNARY = [
    ("negate", primitives.negate, ops.negate, lambda x: -x, normal),
    ("exp", primitives.exp, ops.exp, np.exp, normal),
    ("log", primitives.log, ops.log, np.log, positive),
    ("sigmoid", primitives.sigmoid, ops.sigmoid, ref_sigmoid, normal),
    ("tanh", primitives.tanh, ops.tanh, np.tanh, normal),
    ("relu", primitives.relu, ops.relu, lambda x: np.where(x > 0, x, 0.0), away_from_zero),
    ("leaky_relu", primitives.leaky_relu, ops.leaky_relu,
     lambda x: np.where(x > 0, x, 0.01 * x), away_from_zero),
    ("identity", primitives.identity, ops.identity, lambda x: x, normal),
]

BINARY = [
    ("add", primitives.add, ops.add, lambda a, b: a + b, normal, normal),
    ("subtract", primitives.subtract, ops.subtract, lambda a, b: a - b, normal, normal),
    ("multiply", primitives.multiply, ops.multiply, lambda a, b: a * b, normal, normal),
    ("divide", primitives.divide, ops.divide, lambda a, b: a / b, normal, away_from_zero),
    ("power", primitives.power, ops.power, lambda a, b: a ** b, positive, normal),
    ("maximum", primitives.maximum, ops.maximum, np.maximum, normal, normal),
]

BROADCAST_SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((4,), (3, 4)), ((3, 1), (1, 4)),
                    ((), (2, 3)), ((2, 3), ())]


def make_cases() -> list[Case]:
    cases = []
    for name, prim, op, ref, gen in UNARY:
        for shape in [(3, 4), (5,), ()]:
            cases.append(Case(f"{name}-{shape}", prim, ref, [gen(*shape)], op=op,
                              elementwise=True))
    cases.append(Case("leaky_relu-slope0.2", primitives.leaky_relu,
                      lambda x: np.where(x > 0, x, 0.2 * x), [away_from_zero(3, 4)],
                      attrs={"slope": 0.2}, op=ops.leaky_relu, elementwise=True))
    for name, prim, op, ref, gen_a, gen_b in BINARY:
        for sa, sb in BROADCAST_SHAPES:
            cases.append(Case(f"{name}-{sa}-{sb}", prim, ref, [gen_a(*sa), gen_b(*sb)], op=op,
                              elementwise=sa == sb,
                              valid=untied if name == "maximum" else None))
    for shape, axes in [((3, 4), (None, 0, 1)), ((5,), (None, 0)), ((2, 3), (None, 0, 1))]:
        for axis in axes:
            cases.append(Case(f"sum-{shape}-axis{axis}", primitives.sum_,
                              lambda x, axis=axis: np.sum(x, axis=axis), [normal(*shape)],
                              attrs={"axis": axis}, op=ops.sum))
            cases.append(Case(f"mean-{shape}-axis{axis}", primitives.mean,
                              lambda x, axis=axis: np.mean(x, axis=axis), [normal(*shape)],
                              attrs={"axis": axis}, op=ops.mean))
    for sa, sb in [((3, 4), (4, 2)), ((1, 3), (3, 1)), ((2, 5), (5, 5))]:
        cases.append(Case(f"matmul-{sa}-{sb}", primitives.matmul, lambda a, b: a @ b,
                          [normal(*sa), normal(*sb)], op=ops.matmul))
    for n, n_in, n_out in [(3, 4, 2), (1, 2, 3), (5, 1, 1)]:
        cases.append(Case(f"affine-bias-{n}x{n_in}->{n_out}", primitives.affine,
                          lambda x, w, b: x @ w.T + b,
                          [normal(n, n_in), normal(n_out, n_in), normal(n_out)], op=ops.affine))
        cases.append(Case(f"affine-nobias-{n}x{n_in}->{n_out}", primitives.affine,
                          lambda x, w: x @ w.T, [normal(n, n_in), normal(n_out, n_in)],
                          op=ops.affine))
    for n, batch in [(3, 5), (1, 1), (2, 4)]:
        def ref_weighted(*v, n=n):
            return v[2 * n] + sum(v[k] * v[n + k] for k in range(n))
        cases.append(Case(f"weighted_sum-n{n}-batch{batch}", primitives.weighted_sum,
                          ref_weighted,
                          [normal()] * n + [normal(batch)] * n + [normal()], attrs={"n": n}))
    for shape in [(3, 4), (1, 2), (5,), (2, 3)]:
        cases.append(Case(f"softmax-{shape}", primitives.softmax, ref_softmax, [normal(*shape)],
                          op=ops.softmax))
    for n, batch in [(3, 4), (2, 1)]:
        for j in range(n):
            def ref_component(*z, j=j):
                return ref_softmax(np.stack(z, axis=-1))[..., j]
            cases.append(Case(f"softmax_component-n{n}-j{j}-batch{batch}",
                              primitives.softmax_component, ref_component,
                              [normal(batch)] * n, attrs={"j": j}))
    loss_cases = [
        ("squared_error", losses.squared_error, None, ref_squared_error,
         normal, normal),
        ("binary_cross_entropy", losses.binary_cross_entropy, None,
         ref_bce, normal, probabilities),
        ("cross_entropy", losses.cross_entropy, None, ref_ce, normal, one_hot),
        ("cross_entropy-soft", losses.cross_entropy, None, ref_ce, normal,
         soft_targets),
    ]
    for name, prim, op, ref, gen_out, gen_y in loss_cases:
        for n, k in [(4, 3), (1, 2), (6, 1)]:
            if "cross_entropy" in name and not name.startswith("binary") and k < 2:
                continue
            target = gen_y(n, k)
            cases.append(Case(f"{name}-{n}x{k}", prim, ref, [gen_out(n, k), target], op=op))
            # The scalar graph's version: every column its own parent.
            def ref_columns(*v, ref=ref, k=k):
                return ref(np.stack(v[:k], axis=-1), np.stack(v[k:], axis=-1))

            def column_gens(gen, n=n, k=k):
                return [lambda rng, gen=gen, c=c: gen(rng)[:, c] for c in range(k)]
            cases.append(Case(f"columns({name})-{n}x{k}", primitives.columns(prim), ref_columns,
                              column_gens(gen_out(n, k)) + column_gens(target),
                              attrs={"n": k}))
    return cases


CASES = make_cases()
SEEDS = [0, 1]


def engine_gradients(case: Case, args, weighting):
    """d/dx_i sum(R * f(x)) for every argument, by the engine's reverse mode on a graph."""
    graph = Graph()
    nodes = [graph.leaf(a, f"x{i}", "variable") for i, a in enumerate(args)]
    y = case.build(nodes)
    cost = ops.sum(ops.multiply(y, weighting))
    backward(cost)
    return y, [node.grad for node in nodes]


def numeric_gradient(case: Case, args, weighting, i):
    """Central differences of sum(R * ref(x)) in x_i, evaluated in long double."""
    base = [ld(a) for a in args]
    r = ld(weighting)
    c0 = np.sum(r * case.ref(*base))

    def cost(x):
        values = list(base)
        values[i] = ld(x)
        return float(np.sum(r * case.ref(*values)) - c0)

    return central_difference(cost, args[i])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_vjp_matches_central_differences(case, seed):
    args = case.draw(seed)
    expected_value = case.ref(*[ld(a) for a in args])
    rng = np.random.default_rng(seed + 1000)
    weighting = rng.uniform(0.5, 1.5, np.shape(expected_value)) * rng.choice(
        [-1.0, 1.0], np.shape(expected_value))
    y, grads = engine_gradients(case, args, weighting)
    np.testing.assert_allclose(y.value, np.asarray(expected_value, dtype=np.float64),
                               rtol=1e-12, atol=1e-12)
    for i, grad in enumerate(grads):
        assert grad.shape == args[i].shape, f"gradient {i} has the wrong shape"
        assert_gradient_close(grad, numeric_gradient(case, args, weighting, i))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_jvp_is_the_transpose_of_vjp(case):
    """<J t, g> == <t, J^T g> for each argument, and J t is the directional derivative."""
    args = case.draw(7)
    rng = np.random.default_rng(8)
    y = case.prim.forward(*args, **case.attrs)
    for i, arg in enumerate(args):
        t = rng.normal(size=arg.shape)
        g = rng.normal(size=np.shape(y))
        # Forward mode adds each parent's tangent into an array of the node's shape.
        jt = np.zeros_like(y) + case.prim.jvp(i, t, y, args, case.attrs)
        jtg = case.prim.vjp(i, g, y, args, case.attrs)
        assert jt.shape == np.shape(y)
        assert np.sum(jt * g) == pytest.approx(np.sum(t * jtg), rel=1e-12, abs=1e-12)

        base = [ld(a) for a in args]
        y0 = case.ref(*base)

        def directional(s, i=i, t=t, base=base, y0=y0, g=g):
            values = list(base)
            values[i] = base[i] + ld(s[0]) * ld(t)
            return float(np.sum(ld(g) * (case.ref(*values) - y0)))

        numeric = central_difference(directional, np.zeros(1))[0]
        assert relative_error(np.sum(jt * g), numeric) < 1e-6


ELEMENTWISE = [c for c in CASES if c.elementwise]


@pytest.mark.parametrize("case", ELEMENTWISE, ids=lambda c: c.id)
def test_local_is_the_elementwise_derivative(case):
    """For y = f(x) entry by entry, local(i) is dy_k/dx_k: d/dx_k of sum(f(x))."""
    args = case.draw(3)
    y = case.prim.forward(*args, **case.attrs)
    for i, arg in enumerate(args):
        local = np.broadcast_to(case.prim.local(i, y, args, case.attrs), arg.shape)
        base = [ld(a) for a in args]
        c0 = np.sum(case.ref(*base))

        def total(x, i=i, base=base, c0=c0):
            values = list(base)
            values[i] = ld(x)
            return float(np.sum(case.ref(*values)) - c0)

        assert_gradient_close(local, central_difference(total, arg))


def test_local_of_products_is_the_matrix_the_gradient_meets():
    rng = np.random.default_rng(4)
    a, b, g = rng.normal(size=(3, 4)), rng.normal(size=(4, 2)), rng.normal(size=(3, 2))
    y = primitives.matmul.forward(a, b)
    np.testing.assert_allclose(primitives.matmul.vjp(0, g, y, [a, b], {}),
                               g @ primitives.matmul.local(0, y, [a, b], {}))
    np.testing.assert_allclose(primitives.matmul.vjp(1, g, y, [a, b], {}),
                               primitives.matmul.local(1, y, [a, b], {}) @ g)
    x, w, bias = rng.normal(size=(5, 3)), rng.normal(size=(2, 3)), rng.normal(size=2)
    z = primitives.affine.forward(x, w, bias)
    g = rng.normal(size=z.shape)
    local = [primitives.affine.local(i, z, [x, w, bias], {}) for i in range(3)]
    np.testing.assert_array_equal(local[0], w)
    np.testing.assert_array_equal(local[1], x)
    np.testing.assert_allclose(primitives.affine.vjp(0, g, z, [x, w, bias], {}), g @ local[0])
    np.testing.assert_allclose(primitives.affine.vjp(1, g, z, [x, w, bias], {}), g.T @ local[1])
    assert primitives.sum_.local(0, None, [x], {"axis": 0}) == 1.0
    assert primitives.mean.local(0, None, [x], {"axis": 0}) == pytest.approx(1 / 5)
    assert primitives.mean.local(0, None, [x], {"axis": None}) == pytest.approx(1 / 15)


def test_softmax_local_is_the_jacobian_per_row():
    rng = np.random.default_rng(5)
    z = rng.normal(size=(3, 4))
    y = primitives.softmax.forward(z)
    jac = primitives.softmax.local(0, y, [z], {})
    assert jac.shape == (3, 4, 4)
    for row in range(3):
        for j in range(4):
            def component(v, row=row, j=j):
                return float(ref_softmax(ld(v)[None, :])[0, j])
            np.testing.assert_allclose(jac[row, j], central_difference(component, z[row]),
                                       rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ["squared_error", "binary_cross_entropy", "cross_entropy"])
def test_loss_local_is_dC_dout(name):
    prim = losses.LOSSES[name].primitive
    ref = {"squared_error": ref_squared_error, "binary_cross_entropy": ref_bce,
           "cross_entropy": ref_ce}[name]
    rng = np.random.default_rng(6)
    out = rng.normal(size=(4, 3))
    y = np.eye(3)[[0, 2, 1, 1]]
    c = prim.forward(out, y)
    c0 = ref(ld(out), ld(y))
    numeric = central_difference(lambda v: float(ref(ld(v), ld(y)) - c0), out)
    assert_gradient_close(prim.local(0, c, [out, y], {}), numeric)
    assert_gradient_close(prim.vjp(0, np.float64(1.0), c, [out, y], {}), numeric)


# ---------------------------------------------------------------- textbook values

def test_textbook_values():
    g = Graph()
    x = g.leaf(0.0, "x", "variable")
    s = ops.sigmoid(x)
    backward(s)
    assert s.value == 0.5 and x.grad == 0.25
    g = Graph()
    x = g.leaf(0.0, "x", "variable")
    backward(ops.tanh(x))
    assert x.grad == 1.0
    assert losses.squared_error.forward(np.array([[1.0, 2.0]]), np.zeros((1, 2))) == 2.5
    assert losses.binary_cross_entropy.forward(np.zeros((1, 1)), np.ones((1, 1))) == (
        pytest.approx(np.log(2.0), rel=1e-15))
    assert losses.cross_entropy.forward(np.zeros((1, 2)), np.array([[1.0, 0.0]])) == (
        pytest.approx(np.log(2.0), rel=1e-15))
    # Two samples: the batch mean halves the per-sample gradient (a - y).
    np.testing.assert_allclose(
        losses.squared_error.local(0, None, [np.array([[3.0], [1.0]]), np.zeros((2, 1))], {}),
        [[1.5], [0.5]])


# ---------------------------------------------------------------- numerical stability

def raising():
    """Turn every warning and every floating-point error except a harmless underflow to 0 into
    an exception (exp(-1e4) underflowing to 0.0 is the correct answer, not an error)."""
    return np.errstate(over="raise", divide="raise", invalid="raise", under="ignore")


@pytest.mark.parametrize("name", ["squared_error", "binary_cross_entropy", "cross_entropy"])
def test_losses_are_finite_for_huge_logits(name):
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5e3], [3e3, -7e3, 1e4]])
    if name == "cross_entropy":
        y = np.eye(3)[[1, 0, 2]]
    else:
        y = np.array([[0.0, 1.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    op = partial(ops.apply, losses.LOSSES[name].primitive)
    with warnings.catch_warnings(), raising():
        warnings.simplefilter("error")
        g = Graph()
        out = g.leaf(z, "z", "variable")
        target = g.leaf(y, "y", "variable")
        c = op(out, target)
        backward(c)
        per_sample = losses.LOSSES[name].per_sample(z, y)
    assert np.isfinite(c.value) and np.isfinite(per_sample).all()
    assert np.isfinite(out.grad).all() and np.isfinite(target.grad).all()
    assert c.value == pytest.approx(per_sample.mean(), rel=1e-12)


def test_huge_logit_loss_values_by_hand():
    with warnings.catch_warnings(), raising():
        warnings.simplefilter("error")
        # -ln(1 - sigma(1e4)) = 1e4 to double precision; -ln sigma(1e4) = 0.
        assert losses.binary_cross_entropy.forward(np.array([[1e4]]), np.array([[0.0]])) == 1e4
        assert losses.binary_cross_entropy.forward(np.array([[1e4]]), np.array([[1.0]])) == 0.0
        assert losses.binary_cross_entropy.forward(np.array([[-1e4]]), np.array([[1.0]])) == 1e4
        # The true class has logit -1e4 against 1e4: C = 2e4.
        assert losses.cross_entropy.forward(np.array([[1e4, -1e4]]),
                                            np.array([[0.0, 1.0]])) == 2e4
        np.testing.assert_array_equal(
            losses.binary_cross_entropy.local(0, None, [np.array([[1e4, -1e4]]),
                                                         np.array([[0.0, 1.0]])], {}),
            [[1.0, -1.0]])


def test_sigmoid_saturates_exactly_without_warnings():
    with warnings.catch_warnings(), raising():
        warnings.simplefilter("error")
        g = Graph()
        x = g.leaf([1e4, -1e4, 800.0, -800.0], "x", "variable")
        s = ops.sigmoid(x)
        backward(s)
    np.testing.assert_array_equal(s.value, [1.0, 0.0, 1.0, 0.0])
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0, 0.0])


def test_softmax_of_huge_logits_does_not_overflow():
    with warnings.catch_warnings(), raising():
        warnings.simplefilter("error")
        g = Graph()
        z = g.leaf([[1e4, -1e4], [1e4, 1e4 - np.log(3.0)]], "z", "variable")
        a = ops.softmax(z)
        backward(ops.sum(ops.multiply(a, np.array([[1.0, 2.0], [3.0, -1.0]]))))
    np.testing.assert_array_equal(a.value[0], [1.0, 0.0])
    np.testing.assert_allclose(a.value[1], [0.75, 0.25], rtol=1e-12)
    assert np.isfinite(z.grad).all()


# ---------------------------------------------------------------- depth, fan-out, recording

def test_backward_on_a_10000_node_tanh_chain():
    assert sys.getrecursionlimit() < 10_000  # a recursive backward would fail here
    g = Graph()
    x = g.leaf(0.5, "x", "variable")
    y = x
    for _ in range(10_000):
        y = ops.tanh(y)
    backward(y)

    def chain(v):
        out = ld(v)
        for _ in range(10_000):
            out = np.tanh(out)
        return out

    y0 = chain(0.5)
    assert float(y0) == pytest.approx(float(y.value), rel=1e-12)
    numeric = central_difference(lambda v: float(chain(v) - y0), np.array(0.5))
    assert_gradient_close(x.grad, numeric)


def test_backward_on_a_10000_node_add_chain():
    g = Graph()
    x = g.leaf([1.0, -2.0], "x", "variable")
    y = x
    for _ in range(9_999):
        y = y + x
    backward(ops.sum(y))
    np.testing.assert_array_equal(x.grad, [10_000.0, 10_000.0])
    np.testing.assert_array_equal(y.value, [10_000.0, -20_000.0])
    event = next(e for e in g.backward_events if e.node_id == x.id)
    assert len(event.received) == 10_000


def test_fan_out_gradients_accumulate():
    g = Graph()
    xv = np.array([0.5, -1.5, 2.0])
    x = g.leaf(xv, "x", "variable")
    square = x * x
    y = square + x
    backward(ops.sum(y))
    np.testing.assert_allclose(x.grad, 2 * xv + 1, rtol=1e-15)
    event = next(e for e in g.backward_events if e.node_id == x.id)
    # x reaches y along two paths, through x*x and directly; x*x uses x twice, so it sends two
    # contributions (one per argument slot) and the direct edge one.
    assert {child for child, _ in event.received} == {square.id, y.id}
    assert len(event.received) == 3
    np.testing.assert_allclose(sum(grad for _, grad in event.received), x.grad, rtol=1e-15)
    np.testing.assert_array_equal(event.upstream, x.grad)
    by_child = {}
    for child, grad in event.received:
        by_child[child] = by_child.get(child, 0) + grad
    np.testing.assert_allclose(by_child[square.id], 2 * xv)
    np.testing.assert_allclose(by_child[y.id], np.ones(3))


def test_fan_out_two_children_two_contributions():
    g = Graph()
    xv = np.array([0.3, -0.7])
    x = g.leaf(xv, "x", "variable")
    e = ops.exp(x)
    y = e + x
    backward(ops.sum(y))
    event = next(ev for ev in g.backward_events if ev.node_id == x.id)
    assert [child for child, _ in event.received] == [y.id, e.id]
    np.testing.assert_allclose(event.received[0][1], [1.0, 1.0])
    np.testing.assert_allclose(event.received[1][1], np.exp(xv))
    np.testing.assert_allclose(x.grad, np.exp(xv) + 1, rtol=1e-15)


def small_expression(record: bool):
    g = Graph(record=record)
    x = g.leaf([[0.2, -0.4], [1.1, 0.3]], "x", "variable")
    w = g.leaf([[0.5, -1.0], [2.0, 0.1]], "W", "param")
    h = ops.tanh(x @ w)
    c = ops.mean(ops.sigmoid(h) * h + ops.exp(-x) / 2.0)
    backward(c)
    return g, x, w, c


def test_recording_off_gives_the_same_gradients_and_no_events():
    g_on, x_on, w_on, c_on = small_expression(True)
    g_off, x_off, w_off, c_off = small_expression(False)
    assert g_on.backward_events and not g_off.backward_events
    assert all(n.received is None for n in g_off.nodes)
    assert c_on.value == c_off.value
    np.testing.assert_array_equal(x_on.grad, x_off.grad)
    np.testing.assert_array_equal(w_on.grad, w_off.grad)


def test_node_ids_are_stable_and_deterministic():
    def describe(graph):
        return [(n.id, n.name, n.op, n.role, tuple(p.id for p in n.parents)) for n in graph.nodes]

    first, second = small_expression(True)[0], small_expression(True)[0]
    assert describe(first) == describe(second)
    assert [n.id for n in first.nodes] == list(range(len(first.nodes)))
    assert all(p.id < n.id for n in first.nodes for p in n.parents)

    spec = NetworkSpec((2, 3, 2), ("tanh", "softmax"), "cross_entropy")
    params = Params([np.ones((3, 2)), np.ones((2, 3))], [np.zeros(3), np.zeros(2)])
    x, y = np.ones((4, 2)), np.eye(2)[[0, 1, 1, 0]]
    for granularity in ("layer", "scalar"):
        a = build(spec, params, x, y, granularity).graph
        b = build(spec, params, x, y, granularity).graph
        assert describe(a) == describe(b)
    scalar = build(spec, params, x, y, "scalar").graph
    names = [n.name for n in scalar.nodes]
    assert "w2_13" in names and "b1_3" in names and "a2_2" in names
    assert len(set(names)) == len(names)


def test_node_operators_build_the_right_graph():
    g = Graph()
    xv = np.array([0.5, 1.5])
    x = g.leaf(xv, "x", "variable")
    y = (2.0 - x) * 3.0 + x ** 2.0 + 2.0 ** x - (-x) / 4.0 + 1.0 / x + x / 2.0
    backward(ops.sum(y))
    expected = -3.0 + 2 * xv + np.log(2.0) * 2.0 ** xv + 0.25 - 1.0 / xv ** 2 + 0.5
    np.testing.assert_allclose(x.grad, expected, rtol=1e-14)
