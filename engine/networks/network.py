"""A network spec built into a computational graph at one of two granularities.

`layer`: per layer the matrix nodes W^l, b^l, z^l, a^l (one affine and one activation node).
`scalar`: every weight w^l_jk, bias b^l_j and neuron z^l_j, a^l_j is its own node, the neuron
diagram with the weights added as nodes. Each neuron node holds its values for the whole
batch, shape (N,). Both use the same primitives, so values and gradients agree.
Names use 1-based neuron indices as in the maths: w2_13 joins neuron 3 of layer 1 to neuron 1
of layer 2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.autodiff import primitives
from engine.autodiff.graph import Graph, Node
from engine.limits import MAX_SCALAR_WEIGHTS
from engine.networks.activations import ACTIVATIONS
from engine.networks.losses import LOSSES
from engine.networks.spec import NetworkSpec, Params, SpecError

GRANULARITIES = ("layer", "scalar")
SCALAR_LOSSES = {name: primitives.columns(loss.primitive) for name, loss in LOSSES.items()}


@dataclass
class LayerNodes:
    """The nodes of one computing layer: a Node each at layer granularity, arrays of Nodes at
    scalar granularity (weights (n_l, n_{l-1}), the others (n_l,))."""

    weights: Node | np.ndarray
    biases: Node | np.ndarray
    pre_activation: Node | np.ndarray
    activation: Node | np.ndarray


@dataclass
class BuiltNetwork:
    """A forward pass as a graph, with accessors that read values and gradients per layer."""

    spec: NetworkSpec
    granularity: str
    graph: Graph
    inputs: Node | np.ndarray
    targets: Node | np.ndarray
    layers: list[LayerNodes]   # layers[l - 1] is layer l
    loss: Node
    penalty: Node | None = None  # (λ/2) Σ ||W^l||², when the spec has an L2 penalty

    @property
    def data_loss(self) -> Node:
        """C₀, the loss on the batch: C itself, or its first term beside the penalty."""
        return self.loss if self.penalty is None else self.loss.parents[0]

    def layer(self, l: int) -> LayerNodes:
        return self.layers[l - 1]

    def inputs_shape(self) -> tuple[int, ...]:
        if isinstance(self.inputs, Node):
            return self.inputs.value.shape
        return (self.inputs[0].value.shape[0], len(self.inputs))

    def output(self) -> np.ndarray:
        return self.activation(self.spec.depth)

    def pre_activation(self, l: int) -> np.ndarray:
        return _batch_values(self.layers[l - 1].pre_activation, "value")

    def activation(self, l: int) -> np.ndarray:
        if l == 0:
            return _batch_values(self.inputs, "value")
        return _batch_values(self.layers[l - 1].activation, "value")

    def delta(self, l: int) -> np.ndarray:
        """delta^l = dC/dz^l, shape (N, n_l)."""
        return _batch_values(self.layers[l - 1].pre_activation, "grad")

    def grad_activation(self, l: int) -> np.ndarray:
        """dC/da^l, shape (N, n_l); zero where a^l does not reach the loss (a fused output)."""
        return _batch_values(self.layers[l - 1].activation, "grad")

    def activation_derivative(self, l: int) -> np.ndarray | None:
        """f'(z^l) entry by entry, shape (N, n_l), from the activation's own local rule; None for
        one that mixes the layer (softmax), whose derivative is a Jacobian per sample."""
        if ACTIVATIONS[self.spec.activations[l - 1]].output_only:
            return None
        item = self.layers[l - 1].activation
        nodes = [item] if isinstance(item, Node) else list(item)
        columns = [_full(n.prim.local(0, n.value, [p.value for p in n.parents], n.attrs),
                         n.value.shape) for n in nodes]
        return columns[0] if isinstance(item, Node) else np.stack(columns, axis=-1)

    def grad_inputs(self) -> np.ndarray:
        """dC/dx, shape (N, n_0): how the cost changes with each input of each sample (the
        saliency of an image's pixels); zeros unless the network was built with input_gradient."""
        return _batch_values(self.inputs, "grad")

    def grad_weights(self, l: int) -> np.ndarray:
        return _param_values(self.layers[l - 1].weights, "grad")

    def grad_biases(self, l: int) -> np.ndarray:
        return _param_values(self.layers[l - 1].biases, "grad")

    def grad_weights_terms(self, l: int, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """dC/dW^l's two terms, dC₀/dW^l and λ W^l: what the layer's pre-activations and the
        penalty each sent back to the weights (their sum is grad_weights). `weights` is W^l as
        backward found it: an eager update may have moved the nodes' values since."""
        item = self.layers[l - 1].weights
        if isinstance(item, Node):
            return (_sent(self.layers[l - 1].pre_activation, item),
                    _sent(self.penalty, item, weights))
        z = self.layers[l - 1].pre_activation
        data = [[_sent(z[j], w) for w in row] for j, row in enumerate(item)]
        penalty = [[_sent(self.penalty, w, weights[j, k]) for k, w in enumerate(row)]
                   for j, row in enumerate(item)]
        return np.array(data, dtype=np.float64), np.array(penalty, dtype=np.float64)

    def params(self) -> Params:
        """The current values of the parameter nodes (changed in place by an eager update)."""
        return Params([_param_values(n.weights, "value") for n in self.layers],
                      [_param_values(n.biases, "value") for n in self.layers])

    def grads(self) -> Params:
        """dC/dW^l and dC/db^l of every layer, after backward."""
        return Params([_param_values(n.weights, "grad") for n in self.layers],
                      [_param_values(n.biases, "grad") for n in self.layers])

    def param_nodes(self) -> list[Node]:
        if self.granularity == "layer":
            return [n for layer in self.layers for n in (layer.weights, layer.biases)]
        return [n for layer in self.layers for n in _flat(layer.weights) + _flat(layer.biases)]

    def node_ids(self, *items) -> list[int]:
        ids = []
        for item in items:
            if isinstance(item, Node):
                ids.append(item.id)
            else:
                ids.extend(n.id for n in _flat(item))
        return ids


def _sent(child: Node, parent: Node, value: np.ndarray | None = None) -> np.ndarray:
    """The gradient backward sent from child to parent: upstream x d child / d parent, by the
    child's own VJP (with the parent's `value` then, when it has changed since)."""
    i = child.parents.index(parent)
    values = [p.value for p in child.parents]
    if value is not None:
        values[i] = value
    return child.prim.vjp(i, child.grad, child.value, values, child.attrs)


def _full(value, shape) -> np.ndarray:
    """value as an array of the given shape (a constant derivative such as 1 is spread out)."""
    value = np.asarray(value)
    return value if value.shape == shape else np.broadcast_to(value, shape)


def _flat(item) -> list[Node]:
    return [item] if isinstance(item, Node) else list(np.asarray(item, dtype=object).ravel())


def _read(node: Node, attr: str) -> np.ndarray:
    value = getattr(node, attr)
    return np.zeros(np.shape(node.value)) if value is None else value


def _batch_values(item, attr: str) -> np.ndarray:
    """A (N, n) matrix from one matrix node or from n neuron nodes of shape (N,)."""
    if isinstance(item, Node):
        return _read(item, attr)
    return np.stack([_read(n, attr) for n in item], axis=-1)


def _param_values(item, attr: str) -> np.ndarray:
    """A parameter array from one node or from an array of scalar nodes."""
    if isinstance(item, Node):
        return _read(item, attr)
    return np.array([_read(n, attr) for n in item.ravel()], dtype=np.float64).reshape(item.shape)


def build(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray,
          granularity: str = "layer", record: bool = False,
          input_gradient: bool = False) -> BuiltNetwork:
    """Compute the forward pass and the loss as a graph (backward is left to the caller). With
    `input_gradient` the inputs are leaves that need a gradient, so backward also gives dC/dx."""
    graph = Graph(record=record)
    if granularity == "layer":
        return _build_layer(spec, params, inputs, targets, graph, input_gradient)
    if granularity == "scalar":
        if spec.weight_count > MAX_SCALAR_WEIGHTS:
            raise SpecError("granularity", f"the scalar graph has a node per weight and is limited "
                            f"to {MAX_SCALAR_WEIGHTS} weights; this network has "
                            f"{spec.weight_count}. Use the layer granularity")
        return _build_scalar(spec, params, inputs, targets, graph, input_gradient)
    raise SpecError("granularity", f"unknown granularity '{granularity}'; known: "
                    f"{', '.join(GRANULARITIES)}")


def _build_layer(spec, params, inputs, targets, graph, input_gradient) -> BuiltNetwork:
    x = a = graph.leaf(inputs, "x", "input", layer=0, needs_grad=input_gradient)
    y = graph.leaf(targets, "y", "target", layer=spec.depth)
    layers = []
    for l in range(1, spec.depth + 1):
        w = graph.leaf(params.weights[l - 1], f"W{l}", "param", layer=l, kind="weight")
        b = graph.leaf(params.biases[l - 1], f"b{l}", "param", layer=l, kind="bias")
        z = graph.apply(primitives.affine, (a, w, b), name=f"z{l}", layer=l,
                        kind="pre_activation")
        role = "output" if l == spec.depth else "hidden"
        a = graph.apply(ACTIVATIONS[spec.activations[l - 1]].primitive, (z,), name=f"a{l}",
                        role=role, layer=l, kind="activation")
        layers.append(LayerNodes(w, b, z, a))
    loss = LOSSES[spec.loss]
    out = layers[-1].pre_activation if loss.on_logits else layers[-1].activation
    c, penalty = _cost(graph, spec, loss.primitive, (out, y), [n.weights for n in layers])
    return BuiltNetwork(spec, "layer", graph, x, y, layers, c, penalty)


def _cost(graph, spec, primitive, parents, weights, **attrs) -> tuple[Node, Node | None]:
    """C, the loss over the batch; with an L2 penalty C = C₀ + (λ/2) Σ ||W^l||², the loss on
    the data C₀ and the penalty each a node of its own."""
    if not spec.l2:
        return graph.apply(primitive, parents, name="C", role="loss", layer=spec.depth,
                           **attrs), None
    data = graph.apply(primitive, parents, name="C0", layer=spec.depth, kind="data_loss",
                       **attrs)
    penalty = graph.apply(primitives.l2_penalty, tuple(weights), name="L2", layer=spec.depth,
                          kind="penalty", l2=spec.l2)
    return graph.apply(primitives.add, (data, penalty), name="C", role="loss",
                       layer=spec.depth), penalty


def index_label(j: int, k: int | None = None) -> str:
    """1-based neuron indices as written in the maths: '12', or '1,12' once one passes 9."""
    parts = [j + 1] if k is None else [j + 1, k + 1]
    return ("," if any(p > 9 for p in parts) else "").join(str(p) for p in parts)


def _build_scalar(spec, params, inputs, targets, graph, input_gradient) -> BuiltNetwork:
    label = index_label
    xs = np.array([graph.leaf(inputs[:, k], f"x_{label(k)}", "input", layer=0, index=(k,),
                              needs_grad=input_gradient)
                   for k in range(spec.layer_sizes[0])], dtype=object)
    ys = np.array([graph.leaf(targets[:, j], f"y_{label(j)}", "target", layer=spec.depth,
                              index=(j,)) for j in range(spec.layer_sizes[-1])], dtype=object)
    previous = xs
    layers = []
    for l in range(1, spec.depth + 1):
        n_out, n_in = spec.weight_shape(l)
        w = np.array([[graph.leaf(params.weights[l - 1][j, k], f"w{l}_{label(j, k)}", "param",
                                  layer=l, kind="weight", index=(j, k)) for k in range(n_in)]
                      for j in range(n_out)], dtype=object)
        b = np.array([graph.leaf(params.biases[l - 1][j], f"b{l}_{label(j)}", "param", layer=l,
                                 kind="bias", index=(j,)) for j in range(n_out)], dtype=object)
        z = np.array([graph.apply(primitives.weighted_sum, (*w[j], *previous, b[j]),
                                  name=f"z{l}_{label(j)}", layer=l, kind="pre_activation",
                                  index=(j,), n=n_in)
                      for j in range(n_out)], dtype=object)
        previous = np.array(_scalar_activations(graph, spec, l, z), dtype=object)
        layers.append(LayerNodes(w, b, z, previous))
    loss = LOSSES[spec.loss]
    out = layers[-1].pre_activation if loss.on_logits else layers[-1].activation
    c, penalty = _cost(graph, spec, SCALAR_LOSSES[spec.loss], (*out, *ys),
                       [w for n in layers for w in n.weights.ravel()], n=len(ys))
    return BuiltNetwork(spec, "scalar", graph, xs, ys, layers, c, penalty)


def _scalar_activations(graph, spec, l, z) -> list[Node]:
    """a^l_j for each neuron j: f(z_j), or for an activation that mixes the layer (softmax) its
    component j of f(z_1, ..., z_n)."""
    activation = ACTIVATIONS[spec.activations[l - 1]]
    labels = {"role": "output" if l == spec.depth else "hidden", "layer": l, "kind": "activation"}
    if activation.component is not None:
        return [graph.apply(activation.component, tuple(z), name=f"a{l}_{index_label(j)}",
                            index=(j,), j=j, **labels) for j in range(len(z))]
    return [graph.apply(activation.primitive, (z[j],), name=f"a{l}_{index_label(j)}",
                        index=(j,), **labels) for j in range(len(z))]


def predict(spec: NetworkSpec, params: Params, inputs: np.ndarray) -> np.ndarray:
    """The output activations a^L for a batch of inputs (a forward pass, nothing recorded)."""
    targets = np.zeros((inputs.shape[0], spec.layer_sizes[-1]))
    net = build(spec, params, inputs, targets)
    net.graph.release()
    return net.output()


def loss_value(spec: NetworkSpec, params: Params, inputs: np.ndarray, targets: np.ndarray) -> float:
    """C for the batch (a forward pass, nothing recorded)."""
    net = build(spec, params, inputs, targets)
    net.graph.release()
    return float(net.loss.value)
