"""Loss functions: each a primitive C(out, y) averaged over the batch, plus its per-sample values.

Conventions (rows are samples, N of them):
  squared_error         C = (1/N) sum_i 1/2 ||a_i - y_i||^2, taken on the output activations a.
  binary_cross_entropy  C = -(1/N) sum_i sum_j [y ln p + (1-y) ln(1-p)], p = sigmoid(z), taken on
                        the output pre-activations z (logits) so it is finite for any |z|.
  cross_entropy         C = -(1/N) sum_i sum_j y_ij ln softmax(z_i)_j, taken on the logits z.
For the two cross-entropies the loss node's parent is z^L, and its local derivative is the
textbook simplification dC/dz = (a - y)/N: the sigma'(z) or softmax Jacobian cancels.
`grad_output` still gives dC/da at the output, where it is finite, for the trace.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from engine.autodiff.primitives import Primitive, stable_sigmoid, stable_softmax


def _softplus(z):
    """ln(1 + e^z) without overflow."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def _logsumexp(z):
    top = z.max(axis=-1, keepdims=True)
    return (top + np.log(np.exp(z - top).sum(axis=-1, keepdims=True)))[..., 0]


# Per-sample losses: one number per row.
def squared_error_per_sample(a, y):
    return 0.5 * np.add.reduce((a - y) ** 2, axis=-1)


def binary_cross_entropy_per_sample(z, y):
    # -[y ln sigma(z) + (1-y) ln(1 - sigma(z))] = softplus(z) - y z
    return np.add.reduce(_softplus(z) - y * z, axis=-1)


def cross_entropy_per_sample(z, y):
    return _logsumexp(z) * y.sum(axis=-1) - np.add.reduce(y * z, axis=-1)


def _batch(x):
    return x.shape[0] if x.ndim > 1 else 1


def _squared_error_local(a, y):
    return (a - y) / _batch(a)


def _bce_local(z, y):
    return (stable_sigmoid(z) - y) / _batch(z)


def _ce_local(z, y):
    return (stable_softmax(z) * y.sum(axis=-1, keepdims=True) - y) / _batch(z)


def batch_mean(per_sample) -> np.float64:
    """The mean of the per-sample losses; np.mean's own sum and division, without its wrapper
    (np.add.reduce is the function NumPy's sum calls; the result is the same to the bit)."""
    return np.add.reduce(per_sample, axis=None) / per_sample.size


def _primitive(name, per_sample, local_derivative, target_partial):
    def vjp(i, g, c, v, a):
        return g * (local_derivative(*v) if i == 0 else target_partial(*v))

    def jvp(i, t, c, v, a):
        return np.sum(t * (local_derivative(*v) if i == 0 else target_partial(*v)))

    return Primitive(
        name,
        lambda out, y: batch_mean(per_sample(out, y)),
        vjp,
        jvp,
        lambda i, c, v, a: local_derivative(*v) if i == 0 else target_partial(*v),
    )


squared_error = _primitive(
    "squared_error", squared_error_per_sample, _squared_error_local,
    lambda a, y: -(a - y) / _batch(a))
binary_cross_entropy = _primitive(
    "binary_cross_entropy", binary_cross_entropy_per_sample, _bce_local,
    lambda z, y: -z / _batch(z))
cross_entropy = _primitive(
    "cross_entropy", cross_entropy_per_sample, _ce_local,
    lambda z, y: (_logsumexp(z)[..., None] - z) / _batch(z))


def _squared_error_grad_output(a, y):
    return (a - y) / _batch(a)


def _bce_grad_output(a, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return (a - y) / (a * (1.0 - a)) / _batch(a)


def _ce_grad_output(a, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(y == 0, 0.0, -y / a) / _batch(a)


@dataclass(frozen=True)
class Loss:
    """How a loss attaches to a network's output layer, and what it asks of the targets."""

    name: str
    label: str                      # as people read it: "binary cross-entropy"
    primitive: Primitive
    on_logits: bool                 # True: the loss node's parent is z^L, not a^L
    output_activation: str | None   # the output activation it requires, if any
    targets: str                    # "any" numbers, "unit" ([0, 1]) or "classes" (labels)
    per_sample: Callable            # (out, y) -> (N,)
    grad_output: Callable           # (a, y) -> dC/da at the output (may hold inf where a saturates)

    @property
    def needs_unit_targets(self) -> bool:
        """Whether every target must lie in [0, 1] (a probability or a class indicator)."""
        return self.targets != "any"


LOSSES = {loss.name: loss for loss in (
    Loss("squared_error", "squared error", squared_error, False, None, "any",
         squared_error_per_sample, _squared_error_grad_output),
    Loss("binary_cross_entropy", "binary cross-entropy", binary_cross_entropy, True, "sigmoid",
         "unit", binary_cross_entropy_per_sample, _bce_grad_output),
    Loss("cross_entropy", "cross-entropy", cross_entropy, True, "softmax", "classes",
         cross_entropy_per_sample, _ce_grad_output),
)}
