"""One training iteration as a list of stages, a view of the recorded graph grouped by layer.

Stages, in order: forward l = 1..L (z^l, a^l); the loss (C, per-sample losses, dC/da^L; with
an L2 penalty also C₀ and the penalty); backward l = L..1 (delta^l = dC/dz^l, dC/dW^l, dC/db^l,
per-sample contributions for small batches; with an L2 penalty dC/dW^l's two terms; at l = 1,
when asked for, dC/dx); the update
(new parameters from an optimiser: plain SGD p <- p - learning_rate * dC/dp unless one is named,
and then what it kept and showed for every parameter).

`after_backward` (the correct order) changes the parameters only once every delta is known.
`eager` changes each layer's parameters as soon as their gradient is known, so the error sent
to earlier layers passes through weights that have already moved: the result is no longer the
negative gradient, which is the point of showing it. With a stateful optimiser each parameter
takes its optimiser step at that moment, with its own state, as it would after the backward pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.autodiff.graph import Node, backward
from engine.learning.optimizers import (
    OptimizerState,
    Settings,
    Update,
    configure,
    initial_state,
)
from engine.limits import MAX_PER_SAMPLE
from engine.networks.losses import LOSSES
from engine.networks.network import BuiltNetwork, build
from engine.networks.spec import NetworkSpec, Params, SpecError
from engine.views.serialize import (
    all_finite,
    data,
    events_dict,
    graph_dict,
    plain,
    recorded_events,
)


@dataclass(frozen=True)
class UpdateOrder:
    name: str
    label: str   # for a menu
    note: str    # what it means, in a sentence


UPDATE_ORDERS = {order.name: order for order in (
    UpdateOrder("after_backward", "after the backward pass (correct)",
                "Every delta is computed with the weights as they were in the forward pass; "
                "then all layers move together."),
    UpdateOrder("eager", "eager (wrong on purpose)",
                "Wrong on purpose: W^l moves before the error has passed back through it, so "
                "earlier layers get a direction that is no longer the negative gradient. A "
                "stateful optimiser steps each parameter then, with its own state."),
)}

# Each kind of stage: its display name and its two-character tag, given the stage's layer.
STAGE_KINDS = {"forward": ("Forward, layer {layer}", "F{layer}"), "loss": ("Loss", "C"),
               "backward": ("Backward, layer {layer}", "B{layer}"), "update": ("Update", "U")}

# The update when none is named: SGD with PyTorch's defaults, p <- p - learning_rate * dC/dp.
PLAIN_SGD = configure("sgd")


@dataclass
class Stage:
    """One step of the iteration: its kind (the phase) and layer, its numbers and its nodes."""

    phase: str
    layer: int | None
    values: dict
    node_ids: list[int] = field(default_factory=list)

    def to_data(self) -> dict:
        """The stage with its display name and tag; numbers as float64 arrays (see `data`)."""
        name, tag = (text.format(layer=self.layer) for text in STAGE_KINDS[self.phase])
        out = {"phase": self.phase}
        if self.layer is not None:
            out["layer"] = self.layer
        out["name"], out["tag"] = name, tag
        for key, value in self.values.items():
            out[key] = data(value)
        out["node_ids"] = self.node_ids
        return out


@dataclass
class IterationTrace:
    """Everything one training iteration computed, in the order it was computed.

    `recorded` keeps every node's forward value and backward event when the iteration was
    recorded (`to_data` lists them as its events). The graph is let go of once the stages are
    read, unless the caller asked to keep it (`network`, for looking inside; release it when
    done)."""

    spec: NetworkSpec
    granularity: str
    update_order: str
    learning_rate: float
    stages: list[Stage]
    loss: float
    params_before: Params
    params_after: Params
    recorded: tuple[list, list] | None
    network: BuiltNetwork | None = None
    optimizer: Settings | None = None                   # None: plain SGD, as before optimisers
    optimizer_state_after: OptimizerState | None = None

    @property
    def diverged(self) -> bool:
        after = self.params_after
        return not all_finite(self.loss, *after.weights, *after.biases)

    @property
    def batch(self) -> int:
        return len(self.stages[0].values["activation"])

    def stage(self, phase: str, layer: int | None = None) -> Stage:
        return next(s for s in self.stages if s.phase == phase and s.layer == layer)

    def to_data(self, include_graph: bool = True) -> dict:
        """The trace with its numbers as float64 arrays (which may hold NaN or Infinity, where a
        run diverged); `plain` of it is strict JSON. The graph (nodes, edges, layout) depends
        only on the network's shape: a caller that keeps it per shape can leave it out."""
        out = {
            "granularity": self.granularity,
            "update_order": self.update_order,
            "learning_rate": self.learning_rate,
            "loss": data(self.loss),
            "diverged": self.diverged,
            "stages": [s.to_data() for s in self.stages],
            "params_before": self.params_before.to_data(),
            "params_after": self.params_after.to_data(),
            "events": events_dict(recorded=self.recorded) if self.recorded else None,
        }
        if self.spec.l2:
            out["l2"] = self.spec.l2
        if self.optimizer is not None:
            out["optimizer"] = self.optimizer.to_data()
            out["optimizer_state_after"] = self.optimizer_state_after.to_data()
        if include_graph:
            out["graph"] = network_graph(self.spec, self.granularity, self.batch)
        return out

    def to_dict(self) -> dict:
        """The trace as strict JSON data: lists, with null for what is not finite."""
        return plain(self.to_data())


def network_graph(spec: NetworkSpec, granularity: str, batch: int) -> dict:
    """The graph of a network's iteration on `batch` rows (nodes, edges, layout): the same for
    every parameter and data value, so it is built here on zeros."""
    net = build(spec, Params([np.zeros(spec.weight_shape(l)) for l in range(1, spec.depth + 1)],
                             [np.zeros(n) for n in spec.layer_sizes[1:]]),
                np.zeros((batch, spec.layer_sizes[0])), np.zeros((batch, spec.layer_sizes[-1])),
                granularity)
    view = graph_dict(net.graph)
    net.graph.release()
    return view


def run_iteration(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray,
                  learning_rate: float, update_order: str = "after_backward",
                  granularity: str = "layer", record: bool = True,
                  keep_graph: bool = False, optimizer: Settings | None = None,
                  optimizer_state: OptimizerState | None = None,
                  input_gradient: bool = False) -> IterationTrace:
    """Forward, loss, backward, update on one batch; the stages read the graph's values and
    gradients. `record` keeps every node's value and backward event (each edge's local
    derivative and gradient) as the trace's `events`; the stages do not need it. A named
    `optimizer` makes the update (from `optimizer_state`, or from its start when None) and the
    update stage shows its quantities; without one the update is plain SGD. `input_gradient`
    also takes dC/dx, which the first backward stage shows as `grad_inputs` (an image's
    saliency)."""
    if update_order not in UPDATE_ORDERS:
        raise SpecError("update_order", f"unknown order '{update_order}'; known: "
                        f"{', '.join(UPDATE_ORDERS)}")
    settings = optimizer or PLAIN_SGD
    state = optimizer_state or initial_state(settings, params)
    update = Update(settings, learning_rate, state, params, record=optimizer is not None)
    with np.errstate(all="ignore"):
        net = build(spec, params, inputs, targets, granularity, record=record,
                    input_gradient=input_gradient)
        # The graph's parameter leaves are copies of `params`, and an eager update gives a node a
        # new array rather than changing its own: they are the parameters before, as they were.
        before = net.params()
        forward = [_forward_stage(net, l) for l in range(1, spec.depth + 1)]
        loss_stage = _loss_stage(net)
        updated = _backward(net, update_order, update)
        after = net.params() if update_order == "eager" else update.step_all(params, net.grads())
        loss_stage.values["grad_output"] = _grad_output(net)
        backward_stages = [_backward_stage(net, l, updated, before)
                           for l in range(spec.depth, 0, -1)]
        if input_gradient:
            backward_stages[-1].values["grad_inputs"] = net.grad_inputs()
    trace = IterationTrace(spec, granularity, update_order, learning_rate,
                           [*forward, loss_stage, *backward_stages,
                            _update_stage(net, after, update, optimizer is not None)],
                           float(net.loss.value), before, after,
                           recorded_events(net.graph) if record else None,
                           optimizer=optimizer, optimizer_state_after=update.state_after())
    if keep_graph:
        trace.network = net
    else:
        net.graph.release()
    return trace


def _backward(net: BuiltNetwork, update_order: str, update: Update) -> dict[int, list[Node]]:
    """Backward from the loss; in the eager order each parameter is stepped as soon as its
    gradient is complete. Returns the parameter nodes so updated, by layer."""
    updated: dict[int, list[Node]] = {}
    if update_order != "eager":
        backward(net.loss)
        return updated

    def update_now(node: Node) -> None:
        node.value = update.step(node.kind, node.layer, node.index, node.value, node.grad)
        updated.setdefault(node.layer, []).append(node)
    backward(net.loss, on_param_grad=update_now)
    return updated


def _update_stage(net: BuiltNetwork, after: Params, update: Update, shown: bool) -> Stage:
    """The new parameters; with a named optimiser also its step count t and, for every
    parameter, each quantity it kept or showed (the gradient, −η g, the step taken, ...)."""
    values = {"weights": after.weights, "biases": after.biases,
              "learning_rate": update.learning_rate}
    if shown:
        values["optimizer"] = update.settings.optimizer.name
        values["step_count"] = update.t
        values["quantities"] = {name: p.to_data() for name, p in update.shown.items()}
    return Stage("update", None, values, [n.id for n in net.param_nodes()])


def _forward_stage(net: BuiltNetwork, l: int) -> Stage:
    nodes = net.layer(l)
    return Stage("forward", l,
                 {"pre_activation": net.pre_activation(l), "activation": net.activation(l),
                  "activation_name": net.spec.activations[l - 1]},
                 net.node_ids(nodes.weights, nodes.biases, nodes.pre_activation, nodes.activation))


def _loss_stage(net: BuiltNetwork) -> Stage:
    loss = LOSSES[net.spec.loss]
    out_layer = net.layer(net.spec.depth)
    out = out_layer.pre_activation if loss.on_logits else out_layer.activation
    targets = _targets(net)
    per_sample = loss.per_sample(_values(out), targets)
    values = {"loss": float(net.loss.value), "per_sample_loss": per_sample,
              "loss_name": loss.name, "targets": targets}
    if net.penalty is None:
        return Stage("loss", None, values, net.node_ids(net.targets, net.loss))
    values.update(data_loss=float(net.data_loss.value), penalty=float(net.penalty.value),
                  l2=net.spec.l2)
    return Stage("loss", None, values,
                 net.node_ids(net.targets, net.data_loss, net.penalty, net.loss))


def _grad_output(net: BuiltNetwork) -> np.ndarray:
    """dC/da^L: read off the graph, or from the loss's formula when the loss takes the logits."""
    loss = LOSSES[net.spec.loss]
    if loss.on_logits:
        return loss.grad_output(net.output(), _targets(net))
    return net.grad_activation(net.spec.depth)


def _backward_stage(net: BuiltNetwork, l: int, updated: dict[int, list[Node]],
                    before: Params) -> Stage:
    nodes = net.layer(l)
    delta = net.delta(l)
    values = {"delta": delta, "grad_weights": net.grad_weights(l),
              "grad_biases": net.grad_biases(l), "grad_activation": net.grad_activation(l)}
    derivative = net.activation_derivative(l)
    if derivative is not None:
        values["activation_derivative"] = derivative
    if net.penalty is not None:
        values["grad_weights_data"], values["grad_weights_penalty"] = net.grad_weights_terms(
            l, before.weights[l - 1])
    batch = delta.shape[0]
    if batch <= MAX_PER_SAMPLE:
        # C is the mean of per-sample losses, so sample i alone contributes N delta_i (a_i^{l-1})^T.
        previous = net.activation(l - 1)
        values["per_sample_grad_weights"] = batch * delta[:, :, None] * previous[:, None, :]
        values["per_sample_grad_biases"] = batch * delta
    if l in updated:
        params = net.params()
        values["updated_weights"] = params.weights[l - 1]
        values["updated_biases"] = params.biases[l - 1]
    return Stage("backward", l, values,
                 net.node_ids(nodes.activation, nodes.pre_activation, nodes.weights, nodes.biases))


def _values(item) -> np.ndarray:
    if isinstance(item, Node):
        return item.value
    return np.stack([n.value for n in item], axis=-1)


def _targets(net: BuiltNetwork) -> np.ndarray:
    return _values(net.targets)
