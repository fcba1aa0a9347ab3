"""Node-building functions: `ops.tanh(x)` adds a tanh node to x's graph and returns it.

Plain numbers are accepted wherever a node is, and become constant leaves. Every builder takes
the node's display name, role, layer, kind and index as keywords (see graph.Node).
"""

from __future__ import annotations

from engine.autodiff import primitives
from engine.autodiff.graph import Node, combine


def apply(prim: primitives.Primitive, *args, name=None, role="hidden", layer=None, kind=None,
          index=None, **attrs) -> Node:
    """Add prim(*args) to the graph of its node arguments."""
    return combine(prim, *args, name=name, role=role, layer=layer, kind=kind, index=index,
                   **attrs)


def _unary(prim):
    def op(x, **labels):
        return apply(prim, x, **labels)
    op.__name__ = prim.name
    op.__doc__ = f"{prim.name}(x) as a node."
    return op


def _binary(prim):
    def op(a, b, **labels):
        return apply(prim, a, b, **labels)
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


def affine(x, weights, bias=None, **labels) -> Node:
    """z = x W^T + b for a batch of rows x (bias optional)."""
    args = (x, weights) if bias is None else (x, weights, bias)
    return apply(primitives.affine, *args, **labels)
