"""The formulas the pages show, rendered once from LaTeX to MathML with named slots for numbers.

A template writes a slot as [[name]]. Rendering puts a unique number in each slot, converts the
LaTeX with latex2mathml, and turns each unique number's <mn> into
<mn class="slot" data-slot="name">, which the browser fills with a number from the API's JSON
(formatting it, never computing it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from latex2mathml.converter import convert

# name: (what it shows, LaTeX with [[slot]] placeholders)
TEMPLATES: dict[str, tuple[str, str]] = {
    "pre_activation": (
        "Forward: the weighted sum into neuron j of layer l",
        r"z^[[l]]_[[j]] = \sum_{k} w^[[l]]_{[[j]]k}\, a^[[prev]]_{k} + b^[[l]]_[[j]] = [[z]]"),
    "activation": (
        "Forward: the activation of neuron j of layer l",
        r"a^[[l]]_[[j]] = f\left(z^[[l]]_[[j]]\right) = f\left([[z]]\right) = [[a]]"),
    "loss_squared_error": (
        "Loss: squared error, averaged over the batch",
        r"C = \frac{1}{N} \sum_{i} \frac{1}{2} \left\| a^{L}_{i} - y_{i} \right\|^{2} = [[loss]]"),
    "loss_binary_cross_entropy": (
        "Loss: binary cross-entropy, averaged over the batch",
        r"C = -\frac{1}{N} \sum_{i} \left[ y_{i} \ln p_{i} + (1 - y_{i}) \ln (1 - p_{i}) \right]"
        r" = [[loss]]"),
    "loss_cross_entropy": (
        "Loss: cross-entropy with softmax outputs, averaged over the batch",
        r"C = -\frac{1}{N} \sum_{i} \sum_{j} y_{ij} \ln a^{L}_{ij} = [[loss]]"),
    "loss_penalty": (
        "Loss: the cost on the data plus the L2 penalty on the weights",
        r"C = C_{0} + \frac{\lambda}{2} \sum_{l} \left\| W^{l} \right\|^{2}"
        r" = [[data]] + [[penalty]] = [[loss]]"),
    "grad_output": (
        "Loss: how the cost changes with output j of the last layer L",
        r"\frac{\partial C}{\partial a^[[l]]_[[j]]} = [[grad]]"),
    "delta_output": (
        "Backward: the error at output neuron j",
        r"\delta^[[l]]_[[j]] = \frac{\partial C}{\partial a^[[l]]_[[j]]}\,"
        r" f'\left(z^[[l]]_[[j]]\right) = [[grad]] \times [[fprime]] = [[delta]]"),
    "delta_output_fused": (
        "Backward: the error at output neuron j (the loss's derivative and f' simplify)",
        r"\delta^[[l]]_[[j]] = \frac{a^[[l]]_[[j]] - y_[[j]]}{N} = \frac{[[a]] - [[y]]}{[[n]]}"
        r" = [[delta]]"),
    "delta_hidden": (
        "Backward: the error at hidden neuron j, from the next layer's errors",
        r"\delta^[[l]]_[[j]] = f'\left(z^[[l]]_[[j]]\right) \sum_{k} w^[[next]]_{k[[j]]}\,"
        r"\delta^[[next]]_{k} = [[fprime]] \times [[sum]] = [[delta]]"),
    "grad_weight": (
        "Backward: the gradient of one weight",
        r"\frac{\partial C}{\partial w^[[l]]_{[[j]][[k]]}} = a^[[prev]]_[[k]]\, \delta^[[l]]_[[j]]"
        r" = [[a]] \times [[delta]] = [[grad]]"),
    "chain_rule": (
        "The chain rule for one weight",
        r"\frac{\partial C}{\partial w^[[l]]_{[[j]][[k]]}} = "
        r"\frac{\partial z^[[l]]_[[j]]}{\partial w^[[l]]_{[[j]][[k]]}}"
        r"\frac{\partial a^[[l]]_[[j]]}{\partial z^[[l]]_[[j]]}"
        r"\frac{\partial C}{\partial a^[[l]]_[[j]]}"
        r" = [[dzdw]] \times [[dadz]] \times [[dcda]] = [[grad]]"),
    "chain_rule_sample": (
        "The chain rule for one weight and one sample i of a batch of N",
        r"\frac{\partial C_{i}}{\partial w^[[l]]_{[[j]][[k]]}} = "
        r"\frac{\partial z^[[l]]_[[j]]}{\partial w^[[l]]_{[[j]][[k]]}}"
        r"\frac{\partial a^[[l]]_[[j]]}{\partial z^[[l]]_[[j]]}"
        r"\left(N \frac{\partial C}{\partial a^[[l]]_{[[j]]}}\right)"
        r" = [[dzdw]] \times [[dadz]] \times \left([[n]] \times [[dcda]]\right) = [[grad]]"),
    "grad_bias": (
        "Backward: the gradient of one bias",
        r"\frac{\partial C}{\partial b^[[l]]_[[j]]} = \delta^[[l]]_[[j]] = [[grad]]"),
    "update": (
        "Update: one step of gradient descent",
        r"w \leftarrow w - \eta \frac{\partial C}{\partial w}"
        r" = [[w]] - [[eta]] \times [[grad]] = [[new]]"),
    # The update by an optimiser, one formula per quantity it computes; theta is the weight or
    # bias shown, g its gradient, t the optimiser's step count (PyTorch's update rules).
    "opt_grad_decay": (
        "Update: weight decay adds lambda times the weight to the gradient",
        r"g = \frac{\partial C}{\partial \theta} + \lambda \theta"
        r" = [[grad]] + [[lambda]] \times [[w]] = [[g]]"),
    "opt_momentum_first": (
        "Update: the velocity starts as the first gradient",
        r"b_{1} = g = [[b]]"),
    "opt_momentum": (
        "Update: the velocity remembers the steps before (momentum mu, dampening tau)",
        r"b_{t} = \mu\, b_{t-1} + (1 - \tau)\, g = [[mu]] \times [[b_prev]]"
        r" + (1 - [[tau]]) \times [[g]] = [[b]]"),
    "opt_step_velocity": (
        "Update: the step follows the velocity",
        r"\theta \leftarrow \theta - \eta\, b_{t} = [[w]] - [[eta]] \times [[b]] = [[new]]"),
    "opt_step_nesterov": (
        "Update: Nesterov's step looks one velocity ahead",
        r"\theta \leftarrow \theta - \eta\, (g + \mu\, b_{t})"
        r" = [[w]] - [[eta]] \times ([[g]] + [[mu]] \times [[b]]) = [[new]]"),
    "opt_step_plain": (
        "Update: a plain gradient step",
        r"\theta \leftarrow \theta - \eta\, g = [[w]] - [[eta]] \times [[g]] = [[new]]"),
    "opt_square_avg": (
        "Update: RMSProp's running mean of squared gradients (smoothing alpha)",
        r"v_{t} = \alpha\, v_{t-1} + (1 - \alpha)\, g^{2}"
        r" = [[alpha]] \times [[v_prev]] + (1 - [[alpha]]) \times [[g]]^{2} = [[v]]"),
    "opt_grad_avg": (
        "Update: centered RMSProp also keeps the running mean of the gradients",
        r"\bar{g}_{t} = \alpha\, \bar{g}_{t-1} + (1 - \alpha)\, g"
        r" = [[alpha]] \times [[gbar_prev]] + (1 - [[alpha]]) \times [[g]] = [[gbar]]"),
    "opt_denominator": (
        "Update: the scale of recent gradients",
        r"d = \sqrt{v_{t}} + \epsilon = \sqrt{[[v]]} + [[eps]] = [[den]]"),
    "opt_denominator_centered": (
        "Update: the spread of recent gradients about their mean",
        r"d = \sqrt{v_{t} - \bar{g}_{t}^{2}} + \epsilon"
        r" = \sqrt{[[v]] - [[gbar]]^{2}} + [[eps]] = [[den]]"),
    "opt_rmsprop_momentum": (
        "Update: the velocity of the scaled gradient",
        r"b_{t} = \mu\, b_{t-1} + \frac{g}{d}"
        r" = [[mu]] \times [[b_prev]] + \frac{[[g]]}{[[den]]} = [[b]]"),
    "opt_rmsprop_step": (
        "Update: the gradient divided by its recent scale",
        r"\theta \leftarrow \theta - \eta\, \frac{g}{d}"
        r" = [[w]] - [[eta]] \times \frac{[[g]]}{[[den]]} = [[new]]"),
    "opt_decoupled_decay": (
        "Update: AdamW shrinks the weight first (decoupled weight decay)",
        r"\theta' = \theta\, (1 - \eta \lambda) = [[w]] \times (1 - [[eta]] \times [[lambda]])"
        r" = [[decayed]]"),
    "opt_exp_avg": (
        "Update: Adam's first moment, a running mean of the gradient (beta 1)",
        r"m_{t} = \beta_{1} m_{t-1} + (1 - \beta_{1})\, g"
        r" = [[beta_one]] \times [[m_prev]] + (1 - [[beta_one]]) \times [[g]] = [[m]]"),
    "opt_exp_avg_sq": (
        "Update: Adam's second moment, a running mean of the squared gradient (beta 2)",
        r"v_{t} = \beta_{2} v_{t-1} + (1 - \beta_{2})\, g^{2}"
        r" = [[beta_two]] \times [[v_prev]] + (1 - [[beta_two]]) \times [[g]]^{2} = [[v]]"),
    "opt_max_exp_avg_sq": (
        "Update: AMSGrad keeps the largest second moment so far",
        r"v^{\max}_{t} = \max(v^{\max}_{t-1}, v_{t}) = \max([[vmax_prev]], [[v]]) = [[vmax]]"),
    "opt_m_hat": (
        "Update: the first moment corrected for starting at zero",
        r"\hat{m} = \frac{m_{t}}{1 - \beta_{1}^{t}} = \frac{[[m]]}{1 - [[beta_one]]^{[[t]]}}"
        r" = [[mhat]]"),
    "opt_v_hat": (
        "Update: the second moment corrected for starting at zero",
        r"\hat{v} = \frac{v_{t}}{1 - \beta_{2}^{t}} = \frac{[[v]]}{1 - [[beta_two]]^{[[t]]}}"
        r" = [[vhat]]"),
    "opt_v_hat_max": (
        "Update: the largest second moment, corrected for starting at zero",
        r"\hat{v} = \frac{v^{\max}_{t}}{1 - \beta_{2}^{t}}"
        r" = \frac{[[vmax]]}{1 - [[beta_two]]^{[[t]]}} = [[vhat]]"),
    "opt_adam_step": (
        "Update: Adam's step, the mean gradient over its recent scale",
        r"\theta \leftarrow \theta - \eta\, \frac{\hat{m}}{\sqrt{\hat{v}} + \epsilon}"
        r" = [[w]] - [[eta]] \times \frac{[[mhat]]}{\sqrt{[[vhat]]} + [[eps]]} = [[new]]"),
    "opt_step_taken": (
        "Update: the step taken beside a plain gradient step",
        r"\Delta\theta = [[step]] \qquad -\eta\, \frac{\partial C}{\partial \theta}"
        r" = [[plain]]"),
    "node_event": (
        "Backward at node v: what it sends to parent p (p adds up what all its children send)",
        r"\frac{\partial C}{\partial v} \frac{\partial v}{\partial p}"
        r" = [[upstream]] \times [[local]] = [[sent]]"),
    "batch_mean": (
        "A batch's gradient is the mean of per-sample gradients",
        r"\frac{\partial C}{\partial w} = \frac{1}{N} \sum_{i} \frac{\partial C_{i}}{\partial w}"
        r" = [[grad]]"),
}

SLOT = re.compile(r"\[\[([a-z_]+)\]\]")
FIRST_MARKER = 900001  # markers are whole numbers no formula contains


@dataclass(frozen=True)
class Formula:
    name: str
    title: str
    latex: str
    mathml: str
    slots: tuple[str, ...]


def render(name: str, title: str, template: str) -> Formula:
    """LaTeX with [[slot]]s to MathML whose slots are empty <mn data-slot> elements."""
    slots: list[str] = []

    def marker(match: re.Match) -> str:
        slots.append(match.group(1))
        return "{" + str(FIRST_MARKER + len(slots) - 1) + "}"

    latex = SLOT.sub(marker, template)
    mathml = convert(latex)
    for index, slot in enumerate(slots):
        mathml = mathml.replace(f"<mn>{FIRST_MARKER + index}</mn>",
                                f'<mn class="slot" data-slot="{slot}">?</mn>', 1)
    display = SLOT.sub(lambda m: m.group(1), template)
    return Formula(name, title, display, mathml, tuple(dict.fromkeys(slots)))


@lru_cache(maxsize=512)
def math(latex: str) -> str:
    """LaTeX without slots as MathML (a catalog entry's f(z), say), converted once."""
    return convert(latex)


@lru_cache
def all_formulas() -> dict[str, Formula]:
    """Every template rendered, once per process."""
    return {name: render(name, title, template) for name, (title, template) in TEMPLATES.items()}
