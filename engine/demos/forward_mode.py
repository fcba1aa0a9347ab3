"""Forward-mode AD: tangents pushed through a built graph by creation order, a pass per seed."""

from __future__ import annotations

import numpy as np

from engine.autodiff.graph import Graph, Node
from engine.networks.network import build
from engine.networks.spec import NetworkSpec, Params, check_data


def jvp(graph_or_root: Graph | Node, tangents: dict[int, np.ndarray]) -> dict[int, np.ndarray]:
    """t_node = sum over tangent-carrying parents i of d node / d parent_i . t_parent_i.

    `tangents` seeds nodes by id (a seeded node keeps its seed, whatever its parents carry).
    Given a graph, every node is visited; given a root, only the nodes created up to it. Nodes
    are visited by id, which is a topological order. A node with no seed and no tangent-carrying
    parent gets no entry in the result.
    """
    if isinstance(graph_or_root, Node):
        nodes = graph_or_root.graph.nodes[: graph_or_root.id + 1]
    else:
        nodes = graph_or_root.nodes
    if not tangents:
        return {}
    out: dict[int, np.ndarray] = {}
    for node_id, seed in tangents.items():
        shape = nodes[node_id].value.shape
        out[node_id] = np.broadcast_to(np.asarray(seed, dtype=np.float64), shape).copy()
    for node in nodes[min(tangents):]:
        if node.id in out or node.prim is None:
            continue
        carried = [i for i, parent in enumerate(node.parents) if parent.id in out]
        if not carried:
            continue
        values = [parent.value for parent in node.parents]
        total = np.zeros_like(node.value)
        for i in carried:
            total += node.prim.jvp(i, out[node.parents[i].id], node.value, values, node.attrs)
        out[node.id] = total
    return out


def forward_mode_gradient(spec: NetworkSpec, params: Params, inputs,
                          targets) -> tuple[Params, int]:
    """dC/dp for every entry p as the loss's tangent under a one-hot seed on p: P passes."""
    x, y = check_data(spec, inputs, targets)
    built = build(spec, params, x, y)
    loss = built.loss
    grads = []
    passes = 0
    for node in built.param_nodes():
        grad = np.zeros_like(node.value)
        for index in np.ndindex(node.value.shape):
            seed = np.zeros_like(node.value)
            seed[index] = 1.0
            tangent = jvp(loss, {node.id: seed}).get(loss.id)
            grad[index] = 0.0 if tangent is None else tangent
            passes += 1
        grads.append(grad)
    return Params(grads[0::2], grads[1::2]), passes
