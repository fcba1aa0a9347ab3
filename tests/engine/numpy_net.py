"""A plain-NumPy network, written from the maths and independent of the engine.

z^l = a^{l-1} (W^l)^T + b^l, a^l = f_l(z^l); the losses follow engine/losses.py's conventions:
  squared_error         C = (1/N) sum_i 1/2 ||a_i - y_i||^2
  binary_cross_entropy  C = -(1/N) sum_i sum_j [y ln a + (1 - y) ln(1 - a)], a = sigmoid(z)
  cross_entropy         C = -(1/N) sum_i sum_j y_ij ln a_ij, a = softmax(z)
Everything works in whatever float type it is given: the finite differences use long double.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LD = np.longdouble
LEAKY_SLOPE = 0.01


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0 * z),
    "leaky_relu": lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
    "linear": lambda z: z,
    "softmax": softmax,
}

# f'(z) for the elementwise activations, from z and a = f(z).
DERIVATIVES = {
    "sigmoid": lambda z, a: a * (1.0 - a),
    "tanh": lambda z, a: 1.0 - a * a,
    "relu": lambda z, a: np.where(z > 0, 1.0, 0.0),
    "leaky_relu": lambda z, a: np.where(z > 0, 1.0, LEAKY_SLOPE),
    "linear": lambda z, a: np.ones_like(z),
}


def per_sample_loss(loss: str, z, a, y):
    if loss == "squared_error":
        return 0.5 * np.sum((a - y) ** 2, axis=1)
    if loss == "binary_cross_entropy":
        return -np.sum(y * np.log(a) + (1.0 - y) * np.log(1.0 - a), axis=1)
    if loss == "cross_entropy":
        return -np.sum(y * np.log(a), axis=1)
    raise ValueError(loss)


def grad_output(loss: str, a, y):
    """dC/da^L."""
    n = a.shape[0]
    if loss == "squared_error":
        return (a - y) / n
    if loss == "binary_cross_entropy":
        return (a - y) / (a * (1.0 - a)) / n
    return -y / a / n


@dataclass
class Forward:
    zs: list      # zs[l] = z^l, zs[0] unused (None)
    activations: list  # activations[l] = a^l, activations[0] = x
    per_sample: np.ndarray
    loss: float


def forward(spec, weights, biases, x, y) -> Forward:
    a = x
    zs, acts = [None], [x]
    for l in range(1, spec.depth + 1):
        z = a @ weights[l - 1].T + biases[l - 1]
        a = ACTIVATIONS[spec.activations[l - 1]](z)
        zs.append(z)
        acts.append(a)
    per_sample = per_sample_loss(spec.loss, zs[-1], acts[-1], y)
    return Forward(zs, acts, per_sample, np.mean(per_sample))


@dataclass
class Backward:
    grad_output: np.ndarray   # dC/da^L
    deltas: dict              # deltas[l] = dC/dz^l
    grad_activations: dict    # dC/da^l for l < L
    grad_weights: dict
    grad_biases: dict


def output_delta(spec, z, a, y):
    """delta^L: the chain rule through f_L, simplified for the two cross-entropies."""
    n = a.shape[0]
    if spec.loss == "binary_cross_entropy":
        return (a - y) / n
    if spec.loss == "cross_entropy":
        return (a * y.sum(axis=1, keepdims=True) - y) / n
    g = grad_output(spec.loss, a, y)
    if spec.activations[-1] == "softmax":
        return a * (g - np.sum(g * a, axis=1, keepdims=True))
    return g * DERIVATIVES[spec.activations[-1]](z, a)


def backprop(spec, weights, fwd: Forward, y) -> Backward:
    """The textbook recursion delta^{l-1} = f'(z^{l-1}) * (delta^l W^l)."""
    depth = spec.depth
    delta = output_delta(spec, fwd.zs[depth], fwd.activations[depth], y)
    out = Backward(grad_output(spec.loss, fwd.activations[depth], y), {}, {}, {}, {})
    for l in range(depth, 0, -1):
        out.deltas[l] = delta
        out.grad_weights[l] = delta.T @ fwd.activations[l - 1]
        out.grad_biases[l] = delta.sum(axis=0)
        if l > 1:
            grad_a = delta @ weights[l - 1]
            out.grad_activations[l - 1] = grad_a
            name = spec.activations[l - 2]
            delta = grad_a * DERIVATIVES[name](fwd.zs[l - 1], fwd.activations[l - 1])
    return out


def loss_of(spec, weights, biases, x, y) -> LD:
    """C in long double."""
    return forward(spec, [np.asarray(w, LD) for w in weights], [np.asarray(b, LD) for b in biases],
                   np.asarray(x, LD), np.asarray(y, LD)).loss


def numeric_gradients(spec, weights, biases, x, y, central_difference):
    """dC/dW^l and dC/db^l by central differences of the long-double loss, differenced against
    the unperturbed loss so the result keeps long double's precision."""
    c0 = loss_of(spec, weights, biases, x, y)
    grads_w, grads_b = [], []
    for l in range(spec.depth):
        def of_w(w, l=l):
            changed = list(weights)
            changed[l] = w
            return float(loss_of(spec, changed, biases, x, y) - c0)

        def of_b(b, l=l):
            changed = list(biases)
            changed[l] = b
            return float(loss_of(spec, weights, changed, x, y) - c0)

        grads_w.append(central_difference(of_w, weights[l]))
        grads_b.append(central_difference(of_b, biases[l]))
    return grads_w, grads_b


def targets_for(spec, rng, n: int) -> np.ndarray:
    """Targets the loss accepts: one-hot rows for cross-entropy, 0/1 for BCE, normal otherwise."""
    k = spec.layer_sizes[-1]
    if spec.loss == "cross_entropy":
        return np.eye(k)[rng.integers(0, k, size=n)]
    if spec.loss == "binary_cross_entropy":
        return rng.integers(0, 2, size=(n, k)).astype(np.float64)
    return rng.normal(size=(n, k))


def random_problem(spec, seed: int, batch: int, weight_std: float = 0.8):
    """Random parameters (non-zero biases), inputs and valid targets."""
    from engine.networks.spec import Params

    rng = np.random.default_rng(seed)
    weights = [rng.normal(0.0, weight_std, size=spec.weight_shape(l))
               for l in range(1, spec.depth + 1)]
    biases = [rng.normal(0.0, 0.3, size=spec.layer_sizes[l]) for l in range(1, spec.depth + 1)]
    x = rng.normal(size=(batch, spec.layer_sizes[0]))
    return Params(weights, biases), x, targets_for(spec, rng, batch)
