"""One training iteration as a list of stages, a view of the recorded graph grouped by layer.

Stages, in order: forward l = 1..L (z^l, a^l); the loss (C, per-sample losses, dC/da^L);
backward l = L..1 (delta^l = dC/dz^l, dC/dW^l, dC/db^l, and per-sample contributions for small
batches); the update (new parameters, plain SGD: p <- p - learning_rate * dC/dp).

`after_backward` (the correct order) changes the parameters only once every delta is known.
`eager` changes each layer's parameters as soon as their gradient is known, so the error sent
to earlier layers passes through weights that have already moved: the result is no longer the
negative gradient, which is the point of showing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine.autodiff.graph import Node, backward
from engine.networks.losses import LOSSES
from engine.networks.network import BuiltNetwork, build
from engine.networks.spec import MAX_SCALAR_WEIGHTS, NetworkSpec, Params, SpecError
from engine.views.serialize import FLOAT, all_finite, clean, events_dict

UPDATE_ORDERS = ("after_backward", "eager")
# Per-sample gradient contributions and per-node events are sent for batches up to this size: a
# table a person can read, and a trace that stays small (a 2-8-8-1 network with 32 samples
# would otherwise answer with 270 kB of JSON).
MAX_PER_SAMPLE = 16


def sgd_step(value: np.ndarray, grad: np.ndarray, learning_rate: float) -> np.ndarray:
    """p - learning_rate * dC/dp."""
    return value - learning_rate * grad


@dataclass
class Stage:
    """One step of the iteration: its phase, its layer (if any), its numbers and its nodes."""

    phase: str
    layer: int | None
    values: dict
    node_ids: list[int] = field(default_factory=list)

    def to_dict(self, arrays: bool = False) -> dict:
        out = {"phase": self.phase}
        if self.layer is not None:
            out["layer"] = self.layer
        for name, v in self.values.items():
            # A float64 array goes as it is when the encoder writes arrays (see serialize.clean).
            out[name] = (v if arrays and type(v) is np.ndarray and v.dtype == FLOAT and v.ndim
                         else _jsonable(v, arrays))
        out["node_ids"] = self.node_ids
        return out


@dataclass
class IterationTrace:
    """Everything one training iteration computed, in the order it was computed."""

    spec: NetworkSpec
    granularity: str
    update_order: str
    learning_rate: float
    network: BuiltNetwork
    stages: list[Stage]
    loss: float
    params_before: Params
    params_after: Params

    @property
    def diverged(self) -> bool:
        after = self.params_after
        return not all_finite(self.loss, *after.weights, *after.biases)

    def stage(self, phase: str, layer: int | None = None) -> Stage:
        return next(s for s in self.stages if s.phase == phase and s.layer == layer)

    def to_dict(self, include_events: bool | None = None, arrays: bool = False) -> dict:
        """Plain JSON data; with `arrays`, the arrays stay float64 arrays (see `clean`).

        Events are included by `events_by_default` unless `include_events` says; they need a
        trace run with `record`."""
        graph = self.network.graph
        if include_events is None:
            include_events = graph.record and events_by_default(
                self.spec, self.network.inputs_shape()[0], self.granularity)
        if include_events and not graph.record:
            raise ValueError("events were asked for, but the iteration was run without record")
        return {
            "granularity": self.granularity,
            "update_order": self.update_order,
            "learning_rate": self.learning_rate,
            "loss": clean(self.loss),
            "diverged": self.diverged,
            "stages": [s.to_dict(arrays) for s in self.stages],
            "params_before": self.params_before.to_dict(arrays),
            "params_after": self.params_after.to_dict(arrays),
            "graph": self.network.graph_view(),
            "events": events_dict(graph) if include_events else None,
        }


def events_by_default(spec: NetworkSpec, batch: int, granularity: str) -> bool:
    """Per-node events go with batches of up to MAX_PER_SAMPLE rows, on the scalar graph or on
    a network small enough to have one; otherwise the trace leaves them out."""
    return batch <= MAX_PER_SAMPLE and (granularity == "scalar"
                                        or spec.weight_count <= MAX_SCALAR_WEIGHTS)


def run_iteration(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray,
                  learning_rate: float, update_order: str = "after_backward",
                  granularity: str = "layer", record: bool = True) -> IterationTrace:
    """Forward, loss, backward, update on one batch; the stages read the graph's values and
    gradients. `record` keeps every backward event (each edge's local derivative and gradient)
    for `to_dict`'s events; the stages do not need it."""
    if update_order not in UPDATE_ORDERS:
        raise SpecError("update_order", f"unknown order '{update_order}'; known: "
                        f"{', '.join(UPDATE_ORDERS)}")
    with np.errstate(all="ignore"):
        net = build(spec, params, inputs, targets, granularity, record=record)
        # The graph's parameter leaves are copies of `params`, and an eager update gives a node a
        # new array rather than changing its own: they are the parameters before, as they were.
        before = net.params()
        forward = [_forward_stage(net, l) for l in range(1, spec.depth + 1)]
        loss_stage = _loss_stage(net)
        updated: dict[int, list[Node]] = {}
        if update_order == "eager":
            def update_now(node: Node) -> None:
                node.value = sgd_step(node.value, node.grad, learning_rate)
                updated.setdefault(node.layer, []).append(node)
            backward(net.loss, on_param_grad=update_now)
            after = net.params()
        else:
            backward(net.loss)
            after = Params(
                [sgd_step(params.weights[l - 1], net.grad_weights(l), learning_rate)
                 for l in range(1, spec.depth + 1)],
                [sgd_step(params.biases[l - 1], net.grad_biases(l), learning_rate)
                 for l in range(1, spec.depth + 1)])
        loss_stage.values["grad_output"] = _grad_output(net)
        backward_stages = [_backward_stage(net, l, updated) for l in range(spec.depth, 0, -1)]
    update = Stage("update", None, {"weights": after.weights, "biases": after.biases,
                                    "learning_rate": learning_rate},
                   [n.id for n in net.param_nodes()])
    stages = [*forward, loss_stage, *backward_stages, update]
    return IterationTrace(spec, granularity, update_order, learning_rate, net, stages,
                          float(net.loss.value), before, after)


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
    return Stage("loss", None,
                 {"loss": float(net.loss.value), "per_sample_loss": per_sample,
                  "loss_name": loss.name, "targets": targets},
                 net.node_ids(net.targets, net.loss))


def _grad_output(net: BuiltNetwork) -> np.ndarray:
    """dC/da^L: read off the graph, or from the loss's formula when the loss takes the logits."""
    loss = LOSSES[net.spec.loss]
    if loss.on_logits:
        return loss.grad_output(net.output(), _targets(net))
    return net.grad_activation(net.spec.depth)


def _backward_stage(net: BuiltNetwork, l: int, updated: dict[int, list[Node]]) -> Stage:
    nodes = net.layer(l)
    delta = net.delta(l)
    values = {"delta": delta, "grad_weights": net.grad_weights(l),
              "grad_biases": net.grad_biases(l), "grad_activation": net.grad_activation(l)}
    derivative = net.activation_derivative(l)
    if derivative is not None:
        values["activation_derivative"] = derivative
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


def _jsonable(value, arrays: bool = False):
    """Arrays and numbers through `clean`; lists of arrays element by element; text as is."""
    if isinstance(value, list):
        return [_jsonable(v, arrays) for v in value]
    return value if isinstance(value, str) else clean(value, arrays)


def _values(item) -> np.ndarray:
    if isinstance(item, Node):
        return item.value
    return np.stack([n.value for n in item], axis=-1)


def _targets(net: BuiltNetwork) -> np.ndarray:
    return _values(net.targets)
