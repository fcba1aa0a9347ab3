"""The primitive operations: each one's forward value beside its derivative rules.

Every primitive answers four questions about its output y = f(x_0, x_1, ...):
  forward(*values, **attrs)          -> y
  vjp(i, g, y, values, attrs)        -> g . dy/dx_i   (reverse mode: gradient for parent i)
  jvp(i, t, y, values, attrs)        -> dy/dx_i . t   (forward mode: tangent from parent i)
  local(i, y, values, attrs)         -> dy/dx_i in compact form, for the trace: elementwise
                                        derivatives as arrays, a matrix product as the matrix
                                        the upstream gradient is multiplied by.
All values are float64 arrays; gradients have their parent's shape (see `unbroadcast`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

ONE = np.float64(1.0)


@dataclass(frozen=True, slots=True)
class Primitive:
    """A named operation with its forward value and its three derivative rules."""

    name: str
    forward: Callable
    vjp: Callable
    jvp: Callable
    local: Callable


def unbroadcast(grad: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum grad over the axes NumPy broadcast, so it has the parent's shape again."""
    if grad.shape == shape:
        return grad
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """sigma(x) = 1 / (1 + e^-x), evaluated without overflow for any |x|."""
    # e^-|x| is at most 1, so neither exponential overflows. The numerator is 1 for x >= 0 and
    # e^x = e^-|x| below 0: exp(min(x, 0)) is both, without a comparison and a select.
    e = np.exp(-np.abs(x))
    return np.exp(np.minimum(x, 0.0)) / (1.0 + e)


def stable_softmax(z: np.ndarray) -> np.ndarray:
    """softmax over the last axis, shifted by the row maximum so exp never overflows."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---------------------------------------------------------------- elementwise, one argument

def elementwise(name: str, f: Callable, derivative: Callable) -> Primitive:
    """A primitive y = f(x) applied entry by entry, given dy/dx = derivative(y, x, **attrs)."""
    return Primitive(
        name,
        f,
        lambda i, g, y, v, a: g * derivative(y, v[0], **a),
        lambda i, t, y, v, a: t * derivative(y, v[0], **a),
        lambda i, y, v, a: derivative(y, v[0], **a),
    )


negate = elementwise("negate", np.negative, lambda y, x: -ONE)
exp = elementwise("exp", np.exp, lambda y, x: y)
log = elementwise("log", np.log, lambda y, x: 1.0 / x)
sigmoid = elementwise("sigmoid", stable_sigmoid, lambda y, x: y * (1.0 - y))
tanh = elementwise("tanh", np.tanh, lambda y, x: 1.0 - y * y)
relu = elementwise("relu", lambda x: np.maximum(x, 0.0), lambda y, x: (x > 0).astype(np.float64))
leaky_relu = elementwise(
    "leaky_relu",
    lambda x, slope=0.01: np.where(x > 0, x, slope * x),
    lambda y, x, slope=0.01: np.where(x > 0, 1.0, slope),
)
identity = elementwise("identity", lambda x: x.copy(), lambda y, x: ONE)


# ---------------------------------------------------------------- broadcasting, two arguments

def broadcasting(name: str, f: Callable, partials: tuple[Callable, Callable]) -> Primitive:
    """y = f(a, b) with NumPy broadcasting, given dy/da and dy/db as functions of (y, a, b)."""
    return Primitive(
        name,
        f,
        lambda i, g, y, v, a: unbroadcast(g * partials[i](y, *v), v[i].shape),
        lambda i, t, y, v, a: t * partials[i](y, *v),
        lambda i, y, v, a: partials[i](y, *v),
    )


def _pow_exponent_partial(y, a, b):
    """d(a^b)/db = a^b ln a, defined for a > 0 (and taken as 0 where a^b is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y == 0, 0.0, y * np.log(a))


add = broadcasting("add", np.add, (lambda y, a, b: ONE, lambda y, a, b: ONE))
subtract = broadcasting("subtract", np.subtract, (lambda y, a, b: ONE, lambda y, a, b: -ONE))
multiply = broadcasting("multiply", np.multiply, (lambda y, a, b: b, lambda y, a, b: a))
divide = broadcasting("divide", np.divide, (lambda y, a, b: 1.0 / b, lambda y, a, b: -y / b))
power = broadcasting(
    "power", np.power, (lambda y, a, b: b * np.power(a, b - 1.0), _pow_exponent_partial))
maximum = broadcasting(
    "maximum",
    np.maximum,
    # The larger input takes the whole gradient; a tie goes to the first argument.
    (lambda y, a, b: (a >= b).astype(np.float64), lambda y, a, b: (a < b).astype(np.float64)),
)


# ---------------------------------------------------------------- reductions

def _expand(g, shape, axis):
    """Broadcast a reduced gradient back to the shape that was reduced."""
    if axis is not None:
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, shape)


def _count(shape, axis):
    return int(np.prod(shape)) if axis is None else shape[axis]


sum_ = Primitive(
    "sum",
    lambda x, axis=None: np.sum(x, axis=axis),
    lambda i, g, y, v, a: _expand(g, v[0].shape, a.get("axis")),
    lambda i, t, y, v, a: np.sum(t, axis=a.get("axis")),
    lambda i, y, v, a: ONE,
)

mean = Primitive(
    "mean",
    lambda x, axis=None: np.mean(x, axis=axis),
    lambda i, g, y, v, a: _expand(g, v[0].shape, a.get("axis")) / _count(v[0].shape, a.get("axis")),
    lambda i, t, y, v, a: np.mean(t, axis=a.get("axis")),
    lambda i, y, v, a: ONE / _count(v[0].shape, a.get("axis")),
)


# ---------------------------------------------------------------- matrix products

matmul = Primitive(
    "matmul",
    np.matmul,
    lambda i, g, y, v, a: g @ v[1].T if i == 0 else v[0].T @ g,
    lambda i, t, y, v, a: t @ v[1] if i == 0 else v[0] @ t,
    lambda i, y, v, a: v[1].T if i == 0 else v[0].T,
)


def _affine_forward(x, weights, bias=None):
    z = x @ weights.T
    return z if bias is None else np.add(z, bias, out=z)


def _affine_vjp(i, g, y, v, a):
    if i == 0:
        return g @ v[1]
    if i == 1:
        return g.T @ v[0]
    return np.add.reduce(g, axis=0)   # g.sum(axis=0), without the method's Python wrapper


def _affine_jvp(i, t, y, v, a):
    if i == 0:
        return t @ v[1].T
    if i == 1:
        return v[0] @ t.T
    return np.broadcast_to(t, y.shape)


affine = Primitive(
    # z = x W^T + b for a batch of rows x: W has shape (n_out, n_in), entry (j, k) joins input
    # k to output j. The local derivatives are dz/dx = W, dz/dW = x (the a_k in a_k f'(z_j)
    # dC/da_j) and dz/db = 1.
    "affine",
    _affine_forward,
    _affine_vjp,
    _affine_jvp,
    lambda i, y, v, a: (v[1], v[0], ONE)[i],
)


def _weighted_sum_forward(*v, n):
    total = v[2 * n]
    for k in range(n):
        total = total + v[k] * v[n + k]
    return total


def _weighted_sum_partial(i, v, n):
    """dz/dw_k = a_k, dz/da_k = w_k, dz/db = 1 for z = sum_k w_k a_k + b."""
    if i < n:
        return v[n + i]
    if i < 2 * n:
        return v[i - n]
    return ONE


weighted_sum = Primitive(
    # One neuron's pre-activation z_j = sum_k w_jk a_k + b_j with every weight its own parent:
    # parents are (w_j1..w_jn, a_1..a_n, b_j), weights and bias scalars, activations (batch,).
    "weighted_sum",
    _weighted_sum_forward,
    lambda i, g, y, v, a: unbroadcast(g * _weighted_sum_partial(i, v, a["n"]), v[i].shape),
    lambda i, t, y, v, a: t * _weighted_sum_partial(i, v, a["n"]),
    lambda i, y, v, a: _weighted_sum_partial(i, v, a["n"]),
)


# ---------------------------------------------------------------- penalties

def _l2_forward(*weights, l2):
    """(λ/2) Σ w² over every entry of every parent, summed as one flat vector (so the layer
    and the scalar graph, whose parents are the same entries one by one, agree to the bit)."""
    flat = np.concatenate([np.ravel(w) for w in weights])
    return 0.5 * l2 * np.add.reduce(flat * flat)


l2_penalty = Primitive(
    # The L2 penalty on weights: parents are the weight matrices (or, in the scalar graph, every
    # weight), and dP/dW = λ W.
    "l2_penalty",
    _l2_forward,
    lambda i, g, y, v, a: g * (a["l2"] * v[i]),
    lambda i, t, y, v, a: a["l2"] * np.sum(v[i] * t),
    lambda i, y, v, a: a["l2"] * v[i],
)


# ---------------------------------------------------------------- softmax

def _softmax_vjp(i, g, y, v, a):
    return y * (g - np.sum(g * y, axis=-1, keepdims=True))


softmax = Primitive(
    # a = softmax(z) per row; da_j/dz_k = a_j (delta_jk - a_k), so the local derivative is one
    # Jacobian matrix per row.
    "softmax",
    stable_softmax,
    _softmax_vjp,
    _softmax_vjp,  # the Jacobian is symmetric, so the JVP has the VJP's formula
    lambda i, y, v, a: y[..., :, None] * (np.eye(y.shape[-1]) - y[..., None, :]),
)


def _component_partial(i, y, v, j):
    """d softmax_j / d z_i = a_j (delta_ij - a_i), for one output neuron j of a scalar graph."""
    others = stable_softmax(np.stack(v, axis=-1))[..., i]
    return y * ((1.0 if i == j else 0.0) - others)


softmax_component = Primitive(
    # Output neuron j of a softmax layer in the scalar graph: parents are z_1..z_n.
    "softmax",
    lambda *v, j: stable_softmax(np.stack(v, axis=-1))[..., j],
    lambda i, g, y, v, a: g * _component_partial(i, y, v, a["j"]),
    lambda i, t, y, v, a: t * _component_partial(i, y, v, a["j"]),
    lambda i, y, v, a: _component_partial(i, y, v, a["j"]),
)


def columns(prim: Primitive) -> Primitive:
    """The same primitive with each column of its two matrix arguments a separate parent.

    Used by the scalar graph, where every neuron is its own node: parents are
    (x_1..x_n, y_1..y_n), each of shape (batch,). The maths stays in `prim`.
    """

    def stacked(v, n):
        return [np.stack(v[:n], axis=-1), np.stack(v[n:], axis=-1)]

    def vjp(i, g, y, v, a):
        n = a["n"]
        return prim.vjp(i // n, g, y, stacked(v, n), {})[..., i % n]

    def jvp(i, t, y, v, a):
        n = a["n"]
        full = [np.zeros_like(m) for m in stacked(v, n)]
        full[i // n][..., i % n] = t
        return prim.jvp(i // n, full[i // n], y, stacked(v, n), {})

    return Primitive(
        prim.name,
        lambda *v, n: prim.forward(*stacked(v, n)),
        vjp,
        jvp,
        lambda i, y, v, a: prim.local(i // a["n"], y, stacked(v, a["n"]), {})[..., i % a["n"]],
    )
