"""JSON-ready views of arrays, graphs and recorded events: lists and dicts, never NaN or Infinity.

A non-finite number becomes None (null in JSON); callers that can produce one say so in a field.
Views built with `data` keep their arrays as float64 arrays, for an encoder that writes them
itself; `plain` turns such a view into lists.
"""

from __future__ import annotations

import math

import numpy as np
import orjson

from engine.autodiff.graph import Graph, Node
from engine.views.layout import layered_layout

FLOAT = np.dtype(np.float64)


def clean(value):
    """An array or number as nested lists of floats, with every non-finite entry as None."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        number = float(array)
        return number if math.isfinite(number) else None
    if np.isfinite(array).all():
        return array.tolist()
    return _none_for_nan(array.tolist())


def data(value):
    """A float (None if not finite), an array as a float64 array, a list or a dict element by
    element, text and integers as they are: what `to_data` views hold. An encoder that writes
    float64 arrays itself (with null for what is not finite, as orjson does) can take them as
    they are; `plain` turns them into lists."""
    if type(value) is np.ndarray and value.dtype == FLOAT and value.ndim:
        return value
    if isinstance(value, list):
        return [data(item) for item in value]
    if isinstance(value, dict):
        return {key: data(item) for key, item in value.items()}
    if isinstance(value, (str, int)):
        return value
    array = np.asarray(value, dtype=np.float64)
    return clean(array) if array.ndim == 0 else array


def plain(value):
    """A `to_data` view as strict JSON data: every array as lists, with None for what is not
    finite, inside dicts and lists alike."""
    if isinstance(value, np.ndarray):
        return clean(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _none_for_nan(items):
    """Replace non-finite floats in nested lists by None."""
    if isinstance(items, list):
        return [_none_for_nan(item) for item in items]
    return items if math.isfinite(items) else None


def all_finite(*arrays) -> bool:
    """Whether every entry of every array (or number) is finite, in one pass over them all."""
    if not arrays:
        return True
    flat = [a.ravel() if type(a) is np.ndarray else np.asarray(a, dtype=np.float64).reshape(-1)
            for a in arrays]
    return bool(np.isfinite(np.concatenate(flat)).all())


def node_dict(node: Node, position: tuple[float, float]) -> dict:
    return {
        "id": node.id,
        "name": node.name,
        "op": node.op,
        "role": node.role,
        "kind": node.kind,
        "layer": node.layer,
        "index": list(node.index) if node.index is not None else None,
        "shape": list(node.value.shape),
        "x": position[0],
        "y": position[1],
    }


def graph_dict(graph: Graph, nodes: list[Node] | None = None) -> dict:
    """Nodes (with layout positions) and edges parent -> child, in creation order."""
    nodes = graph.nodes if nodes is None else nodes
    positions = layered_layout(nodes)
    kept = {n.id for n in nodes}
    edges = [
        {"source": parent.id, "target": node.id, "index": index}
        for node in nodes
        for index, parent in enumerate(node.parents)
        if parent.id in kept
    ]
    return {"nodes": [node_dict(n, positions[n.id]) for n in nodes], "edges": edges}


def recorded_events(graph: Graph) -> tuple[list, list]:
    """What a recorded graph's events need once the graph is let go of: each node's id and
    value, and the backward events (which hold node ids and arrays, no nodes)."""
    return [(n.id, n.value) for n in graph.nodes], list(graph.backward_events)


def events_dict(graph: Graph | None = None, recorded: tuple[list, list] | None = None) -> dict:
    """The forward event of every node (its value) and every recorded backward event, from a
    graph or from what `recorded_events` kept of one; numbers as `data` keeps them (float64
    arrays; `plain` makes lists of them)."""
    values, backward = recorded if recorded is not None else recorded_events(graph)
    return {
        "forward": [{"node": node, "value": data(value)} for node, value in values],
        "backward": [
            {
                "node": e.node_id,
                "upstream": data(e.upstream),
                "received": [{"from": child, "grad": data(g)} for child, g in e.received],
                "local": [{"parent": parent, "value": data(v)} for parent, v in e.local],
                "sent": [{"parent": parent, "grad": data(g)} for parent, g in e.sent],
            }
            for e in backward
        ],
    }


def _contiguous(value):
    """orjson writes C-contiguous arrays natively; a view such as a transpose is copied first."""
    if isinstance(value, np.ndarray):
        return np.ascontiguousarray(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(value) -> bytes:
    """A `to_data` view as JSON bytes, float64 arrays written by orjson with null for what is
    not finite: the bytes the API sends, for any other caller (the terminal's --json)."""
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY, default=_contiguous)
