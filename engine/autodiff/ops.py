"""Node-building functions: `ops.tanh(x)` adds a tanh node to x's graph and returns it.

Plain numbers are accepted wherever a node is, and become constant leaves.
"""

from __future__ import annotations

from engine.autodiff import primitives
from engine.autodiff.graph import Graph, Node
from engine.networks import losses


def _graph_of(args) -> Graph:
    for arg in args:
        if isinstance(arg, Node):
            return arg.graph
    raise TypeError("at least one argument must be a Node")


def _nodes(args) -> list[Node]:
    graph = _graph_of(args)
    return [a if isinstance(a, Node) else graph.leaf(a, name=_number_name(a)) for a in args]


def _number_name(x) -> str:
    return f"{float(x):g}" if isinstance(x, (int, float)) else "const"


def apply(prim: primitives.Primitive, *args, name=None, role="hidden", layer=None, **attrs) -> Node:
    """Add prim(*args) to the graph of its node arguments."""
    parents = _nodes(args)
    return parents[0].graph.apply(prim, parents, name=name, role=role, layer=layer, **attrs)


def _unary(prim):
    def op(x, name=None, role="hidden", layer=None, **attrs):
        return apply(prim, x, name=name, role=role, layer=layer, **attrs)
    op.__name__ = prim.name
    op.__doc__ = f"{prim.name}(x) as a node."
    return op


def _binary(prim):
    def op(a, b, name=None, role="hidden", layer=None):
        return apply(prim, a, b, name=name, role=role, layer=layer)
    op.__name__ = prim.name
    op.__doc__ = f"{prim.name}(a, b) as a node, with NumPy broadcasting."
    return op


negate = _unary(primitives.negate)
exp = _unary(primitives.exp)
log = _unary(primitives.log)
sigmoid = _unary(primitives.sigmoid)
tanh = _unary(primitives.tanh)
relu = _unary(primitives.relu)
leaky_relu = _unary(primitives.leaky_relu)
identity = _unary(primitives.identity)
softmax = _unary(primitives.softmax)
sum = _unary(primitives.sum_)  # noqa: A001 - the maths name
mean = _unary(primitives.mean)

add = _binary(primitives.add)
subtract = _binary(primitives.subtract)
multiply = _binary(primitives.multiply)
divide = _binary(primitives.divide)
power = _binary(primitives.power)
maximum = _binary(primitives.maximum)
matmul = _binary(primitives.matmul)

squared_error = _binary(losses.squared_error)
binary_cross_entropy = _binary(losses.binary_cross_entropy)
cross_entropy = _binary(losses.cross_entropy)


def affine(x, weights, bias=None, name=None, role="hidden", layer=None) -> Node:
    """z = x W^T + b for a batch of rows x (bias optional)."""
    args = (x, weights) if bias is None else (x, weights, bias)
    return apply(primitives.affine, *args, name=name, role=role, layer=layer)


ACTIVATIONS = {
    "sigmoid": primitives.sigmoid,
    "tanh": primitives.tanh,
    "relu": primitives.relu,
    "leaky_relu": primitives.leaky_relu,
    "linear": primitives.identity,
    "softmax": primitives.softmax,
}
