"""The computational graph: nodes built while computing (define-by-run) and reverse-mode backward.

A `Graph` hands out nodes with stable ids in creation order. Because a node can only be built
from nodes that already exist, creation order is a topological order, so backward is one loop
over the nodes in reverse: no recursion, whatever the depth of the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from engine.autodiff import primitives
from engine.autodiff.primitives import Primitive

ROLES = ("input", "param", "target", "constant", "variable", "hidden", "output", "loss")
# What a node is when its builder does not say (engine/autodiff/kinds.py lists every kind).
KIND_OF_ROLE = {"input": "input", "param": "parameter", "target": "target",
                "constant": "constant", "variable": "variable", "hidden": "operation",
                "output": "operation", "loss": "loss"}


class Node:
    """A value in the graph: the op that made it, its ordered parents and, after backward, dC/dv.

    Beside its display name a node says what it is: its kind (engine/autodiff/kinds.py), its
    layer (or time step) and its index inside that layer's matrix or vector (None for a whole
    matrix or vector), so nothing has to read the name to find out."""

    __slots__ = (
        "id", "value", "prim", "attrs", "parents", "name", "role", "layer", "kind", "index",
        "needs_grad", "grad", "graph", "received",
    )

    def __init__(self, graph, value, prim, attrs, parents, name, role, layer, needs_grad,
                 kind=None, index=None):
        self.graph = graph
        self.id = len(graph.nodes)
        self.value = value
        self.prim = prim
        self.attrs = attrs
        self.parents = parents
        self.name = name if name is not None else f"v{self.id}"
        self.role = role
        self.layer = layer
        self.kind = kind or KIND_OF_ROLE[role]
        self.index = index
        self.needs_grad = needs_grad
        self.grad = None
        self.received = None
        graph.nodes.append(self)

    @property
    def op(self) -> str:
        """The primitive's name, or the role for a leaf."""
        return self.prim.name if self.prim is not None else self.role

    @property
    def shape(self) -> tuple[int, ...]:
        return self.value.shape

    def __repr__(self) -> str:
        return f"Node({self.id}, {self.name!r}, op={self.op!r}, shape={self.shape})"

    # Arithmetic operators build nodes, so `a * b + c` is a graph; a plain number becomes a
    # constant leaf of the node's graph.
    def __add__(self, other):
        return combine(primitives.add, self, other)

    def __radd__(self, other):
        return combine(primitives.add, other, self)

    def __sub__(self, other):
        return combine(primitives.subtract, self, other)

    def __rsub__(self, other):
        return combine(primitives.subtract, other, self)

    def __mul__(self, other):
        return combine(primitives.multiply, self, other)

    def __rmul__(self, other):
        return combine(primitives.multiply, other, self)

    def __truediv__(self, other):
        return combine(primitives.divide, self, other)

    def __rtruediv__(self, other):
        return combine(primitives.divide, other, self)

    def __pow__(self, other):
        return combine(primitives.power, self, other)

    def __rpow__(self, other):
        return combine(primitives.power, other, self)

    def __neg__(self):
        return combine(primitives.negate, self)

    def __matmul__(self, other):
        return combine(primitives.matmul, self, other)


@dataclass
class BackwardEvent:
    """What backward did at one node: upstream gradient (the sum of what each child sent),
    the local derivative for each parent, and the gradient sent to each parent."""

    node_id: int
    upstream: np.ndarray
    received: list[tuple[int, np.ndarray]]
    local: list[tuple[int, np.ndarray]]
    sent: list[tuple[int, np.ndarray]]


@dataclass
class Graph:
    """Owns the nodes of one computation; `record` keeps backward events for the trace."""

    record: bool = True
    nodes: list[Node] = field(default_factory=list)
    backward_events: list[BackwardEvent] = field(default_factory=list)

    def leaf(self, value, name=None, role="constant", layer=None, needs_grad=None, kind=None,
             index=None) -> Node:
        """A node with no parents: an input, a target, a parameter, a variable or a constant."""
        if needs_grad is None:
            needs_grad = role in ("param", "variable")
        # Parameters are copied: changing one in place later must not change what was recorded.
        value = (np.array if role == "param" else np.asarray)(value, dtype=np.float64)
        return Node(self, value, None, None, (), name, role, layer, needs_grad, kind, index)

    def lift(self, value) -> Node:
        """value itself if it is a node, else a constant leaf named after the number."""
        if isinstance(value, Node):
            return value
        name = f"{float(value):g}" if isinstance(value, (int, float)) else "const"
        return self.leaf(value, name=name)

    def apply(self, prim: Primitive, parents, name=None, role="hidden", layer=None, kind=None,
              index=None, **attrs) -> Node:
        """Compute prim on the parents' values and add the result as a node."""
        values = [p.value for p in parents]
        value = prim.forward(*values, **attrs) if attrs else prim.forward(*values)
        needs_grad = False
        for parent in parents:
            if parent.needs_grad:
                needs_grad = True
                break
        return Node(self, value, prim, attrs, tuple(parents), name, role, layer, needs_grad,
                    kind, index)

    def node(self, node_id: int) -> Node:
        return self.nodes[node_id]

    def release(self) -> None:
        """Let go of the nodes, for a caller done with the graph. Each node points to its graph
        and the graph to every node, a cycle that only Python's cycle collector would free, from
        time to time and all at once; without it, reference counting frees the nodes and their
        arrays as soon as nothing else holds them."""
        self.nodes = []
        self.backward_events = []


def combine(prim: Primitive, *args, **labels) -> Node:
    """prim applied to nodes and plain numbers (which become constants of the nodes' graph)."""
    graph = next((arg.graph for arg in args if isinstance(arg, Node)), None)
    if graph is None:
        raise TypeError("at least one argument must be a Node")
    return graph.apply(prim, [graph.lift(arg) for arg in args], **labels)


def child_counts(root: Node) -> dict[int, int]:
    """For each ancestor of root that needs a gradient, how many edges lead from it towards root
    (so a caller can tell when its gradient is complete). An explicit stack, never recursion."""
    counts = {root.id: 0}
    stack = [root]
    while stack:
        node = stack.pop()
        for parent in node.parents:
            if not parent.needs_grad:
                continue
            if parent.id not in counts:
                counts[parent.id] = 0
                stack.append(parent)
            counts[parent.id] += 1
    return counts


def backward(root: Node, seed=None, on_param_grad: Callable[[Node], None] | None = None) -> None:
    """Reverse-mode AD: set node.grad = d root / d node for every ancestor that needs one.

    Nodes are visited latest first: creation order is a topological order, so every child is
    done before its parents. Each node sends upstream x local derivative to each parent, and a
    parent reached from several children sums what it receives; a node no gradient reached is
    not an ancestor of root and is passed over. With `on_param_grad`, a parameter is handed to
    the callback as soon as its gradient is complete, before any other parent of the same node
    gets its gradient (the callback may change the parameter's value: the "eager" order).
    """
    graph = root.graph
    record = graph.record
    nodes = graph.nodes[:root.id + 1]
    for node in nodes:
        node.grad = None
        node.received = [] if record else None
    pending = child_counts(root) if on_param_grad is not None else None
    root.grad = (np.ones(np.shape(root.value)) if seed is None
                 else np.asarray(seed, dtype=np.float64))
    if record:
        graph.backward_events = []
    for node in reversed(nodes):
        upstream = node.grad
        if upstream is None:
            continue
        prim = node.prim
        sent, local = [], []
        if prim is not None:
            parents = node.parents
            values = [p.value for p in parents]
            if on_param_grad is None:
                for i, parent in enumerate(parents):
                    if parent.needs_grad:
                        _send(node, i, upstream, values, sent, local, record)
            else:
                _eager_step(node, upstream, values, pending, on_param_grad, sent, local, record)
        if record:
            graph.backward_events.append(
                BackwardEvent(node.id, upstream, node.received, local, sent))


def _send(node, i, upstream, values, sent, local, record) -> None:
    """Add upstream x d node / d parent_i to parent i's gradient (and record it)."""
    prim, parent = node.prim, node.parents[i]
    grad = prim.vjp(i, upstream, node.value, values, node.attrs)
    parent.grad = grad if parent.grad is None else parent.grad + grad
    if record:
        parent.received.append((node.id, grad))
        sent.append((parent.id, grad))
        local.append((parent.id, prim.local(i, node.value, values, node.attrs)))


def _eager_step(node, upstream, values, pending, on_param_grad, sent, local, record) -> None:
    """One node's sends when parameters are updated as soon as their gradient is complete:
    parameters first, then the other parents with the parameters' new values."""
    parents = node.parents
    indices = sorted((i for i, p in enumerate(parents) if p.needs_grad),
                     key=lambda i: parents[i].role != "param")
    for i in indices:
        parent = parents[i]
        if parent.role != "param":
            values = [p.value for p in parents]
        _send(node, i, upstream, values, sent, local, record)
        pending[parent.id] -= 1
        if parent.role == "param" and pending[parent.id] == 0:
            on_param_grad(parent)
