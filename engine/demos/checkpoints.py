"""Hand-calculation checkpoints: a learner's number for one quantity of an iteration (a delta,
a weight's or a bias's gradient, an updated weight), checked against the engine's and, when it
is wrong, matched against the usual slips, each a product of the chain rule's factors with one
factor changed, so the answer can say which factor differs.

The quantities are the trace's, for the batch as stepped: delta^l_j for one sample i (C is the
mean over N samples, so it carries the 1/N), dC/dw^l_jk = sum_i a^{l-1}_ik delta^l_ij,
dC/db^l_j = sum_i delta^l_ij, and w' = w - eta dC/dw for plain gradient descent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.learning.iteration import IterationTrace
from engine.networks.activations import ACTIVATIONS
from engine.networks.spec import SpecError

KINDS = ("delta", "grad_weight", "grad_bias", "new_weight")
# A number rounded to three significant digits still matches (0.5%); gradients can be tiny, so
# the absolute floor only lets an exact zero match.
RELATIVE, ABSOLUTE = 5e-3, 1e-12


@dataclass(frozen=True)
class Slip:
    """A wrong way to the number: its value and what it means."""

    id: str
    value: float
    says: str


SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def sup(n: int) -> str:
    """A layer number as a superscript: δ² for layer 2."""
    return str(n).translate(SUPERSCRIPT)


def matches(answer: float, value: float) -> bool:
    return bool(np.isfinite(value)) and abs(answer - value) <= max(RELATIVE * abs(value), ABSOLUTE)


class Factors:
    """The iteration's arrays for one layer, by the names of the maths."""

    def __init__(self, trace: IterationTrace, inputs: np.ndarray, layer: int):
        forward = {s.layer: s for s in trace.stages if s.phase == "forward"}
        backward = trace.stage("backward", layer).values
        self.l, self.n = layer, len(inputs)
        self.z = forward[layer].values["pre_activation"]
        self.a = forward[layer].values["activation"]
        self.a_prev = inputs if layer == 1 else forward[layer - 1].values["activation"]
        self.z_prev = None if layer == 1 else forward[layer - 1].values["pre_activation"]
        self.delta = backward["delta"]
        self.grad_a = backward["grad_activation"]
        self.fprime = backward.get("activation_derivative")
        activation = ACTIVATIONS[trace.spec.activations[layer - 1]]
        self.fprime_of_a = None
        if self.fprime is not None and not activation.output_only:
            primitive = activation.primitive
            self.fprime_of_a = primitive.local(0, primitive.forward(self.a), [self.a], {})


def delta_slips(f: Factors, i: int, j: int) -> tuple[float, list[Slip]]:
    L = sup(f.l)
    delta = float(f.delta[i, j])
    slips = [Slip("sign", -delta, f"the sign is flipped: δ{L} = ∂C/∂z{L}, and C grows with "
                  "the error")]
    if f.fprime is not None:
        da = float(f.grad_a[i, j])
        slips += [Slip("no_derivative", da, f"∂C/∂a{L} is right, but δ{L} also takes the "
                       f"activation's derivative f′(z{L})"),
                  Slip("activation_for_derivative", float(f.a[i, j]) * da,
                       f"∂C/∂a{L} is right, but it is multiplied by f(z{L}) = a{L}, not by "
                       f"the derivative f′(z{L})")]
        if f.fprime_of_a is not None:
            slips.append(Slip("derivative_at_a", float(f.fprime_of_a[i, j]) * da,
                              f"∂C/∂a{L} is right, but f′ is taken at a{L} (the activation), "
                              f"not at z{L} (the pre-activation)"))
    if f.n > 1:
        slips.append(Slip("mean", f.n * delta, f"the 1/N is missing: C is the mean over the "
                          f"{f.n} samples, so each δ carries 1/{f.n}"))
    return delta, slips


def weight_slips(f: Factors, j: int, k: int) -> tuple[float, list[Slip]]:
    l, L, P = f.l, sup(f.l), sup(f.l - 1)
    delta, a_prev = f.delta[:, j], f.a_prev[:, k]
    grad = float(a_prev @ delta)
    slips = [Slip("sign", -grad, "the sign is flipped")]
    if f.z_prev is not None:
        slips.append(Slip("pre_activation_input", float(f.z_prev[:, k] @ delta),
                          f"δ{L} is right, but a{P} is the activation, not z{P}: the "
                          f"weight multiplies what layer {l - 1} outputs"))
    slips.append(Slip("own_activation", float(f.a[:, j] @ delta),
                      f"δ{L} is right, but the weight's input is a{P}_{k + 1} of layer "
                      f"{l - 1}, not a{L}_{j + 1} of layer {l}"))
    if f.fprime is not None:
        slips.append(Slip("no_derivative", float(a_prev @ f.grad_a[:, j]),
                          f"a{P} is right, but δ{L} needs f′(z{L}): ∂C/∂a{L} alone is "
                          "not δ"))
        if f.fprime_of_a is not None:
            slips.append(Slip("derivative_at_a",
                              float(a_prev @ (f.fprime_of_a[:, j] * f.grad_a[:, j])),
                              f"a{P} is right, but in δ{L} f′ is taken at a{L}, not at "
                              f"z{L}"))
    if j < f.a_prev.shape[1] and k < f.delta.shape[1] and (j, k) != (k, j):
        slips.append(Slip("indices", float(f.a_prev[:, j] @ f.delta[:, k]),
                          f"the indices are swapped: w{L}_jk joins neuron k of layer {l - 1} "
                          f"to neuron j of layer {l}"))
    if f.n > 1:
        slips.append(Slip("mean", f.n * grad, f"the 1/N is missing: the gradient is the mean "
                          f"over the {f.n} samples"))
    return grad, slips


def bias_slips(f: Factors, j: int) -> tuple[float, list[Slip]]:
    L = sup(f.l)
    grad = float(f.delta[:, j].sum())
    slips = [Slip("sign", -grad, "the sign is flipped")]
    if f.fprime is not None:
        slips.append(Slip("no_derivative", float(f.grad_a[:, j].sum()),
                          f"δ{L} needs f′(z{L}): ∂C/∂a{L} alone is not δ"))
    if f.n > 1:
        slips.append(Slip("mean", f.n * grad, "the 1/N is missing"))
    return grad, slips


def update_slips(trace: IterationTrace, f: Factors, j: int, k: int) -> tuple[float, list[Slip]]:
    name = trace.optimizer.optimizer.name if trace.optimizer is not None else "sgd"
    if name != "sgd":
        raise SpecError("quantity.kind", "an updated weight is checked for plain gradient "
                        "descent only; this iteration uses " + name)
    eta = trace.learning_rate
    w = float(trace.params_before.weights[f.l - 1][j, k])
    grad, grad_slips = weight_slips(f, j, k)
    new = float(trace.params_after.weights[f.l - 1][j, k])
    slips = [Slip("with_gradient", w + eta * grad, "the weight moved with the gradient: it "
                  "moves against it, w − η ∂C/∂w"),
             Slip("no_rate", w - grad, f"the learning rate is missing: w − η ∂C/∂w with "
                  f"η = {eta:g}")]
    slips += [Slip(f"gradient_{s.id}", w - eta * s.value, f"the update is right for your "
                   f"gradient, but in the gradient {s.says}") for s in grad_slips]
    return new, slips


def check(trace: IterationTrace, inputs: np.ndarray, kind: str, layer: int, j: int, k: int,
          sample: int, answer: float) -> dict:
    """The verdict on `answer`: {value, correct, slip, says}, slip None when right or when no
    usual slip explains it."""
    sizes = trace.spec.layer_sizes
    if not 1 <= layer < len(sizes):
        raise SpecError("quantity.layer", f"layer must be 1 to {len(sizes) - 1}")
    if not 0 <= j < sizes[layer]:
        raise SpecError("quantity.j", f"layer {layer} has neurons 0 to {sizes[layer] - 1}")
    if kind in ("grad_weight", "new_weight") and not 0 <= k < sizes[layer - 1]:
        raise SpecError("quantity.k", f"layer {layer - 1} has neurons 0 to {sizes[layer - 1] - 1}")
    if not 0 <= sample < len(inputs):
        raise SpecError("quantity.sample", f"the batch has samples 0 to {len(inputs) - 1}")
    if kind in ("grad_weight", "new_weight") and trace.spec.l2:
        raise SpecError("l2", "a weight's gradient and update are checked without the L2 "
                        "penalty only (it adds λw to the gradient); a δ or a bias's gradient "
                        "is the same with it")
    f = Factors(trace, inputs, layer)
    value, slips = {"delta": lambda: delta_slips(f, sample, j),
                    "grad_weight": lambda: weight_slips(f, j, k),
                    "grad_bias": lambda: bias_slips(f, j),
                    "new_weight": lambda: update_slips(trace, f, j, k)}[kind]()
    if matches(answer, value):
        return {"value": value, "correct": True, "slip": None, "says": "right"}
    found = next((s for s in slips if matches(answer, s.value)), None)
    if found is None:
        return {"value": value, "correct": False, "slip": None,
                "says": "this matches none of the usual slips: recompute each factor"}
    return {"value": value, "correct": False, "slip": found.id, "says": found.says}
