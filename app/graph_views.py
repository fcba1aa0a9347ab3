"""The graph part of an iteration response, kept per network shape.

A trace's nodes, edges and layout depend only on the spec, the granularity and the batch size,
while laying out a large graph costs more than the rest of a small request: a class opening the
same preset asks for the same shape again and again. The engine builds a view; this keeps them.
"""

from __future__ import annotations

from functools import lru_cache

from engine.learning.iteration import network_graph
from engine.networks.spec import NetworkSpec

KEPT = 256  # views kept per process, one per (spec, granularity, batch)


@lru_cache(maxsize=KEPT)
def graph_view(spec: NetworkSpec, granularity: str, batch: int) -> dict:
    """engine network_graph for this shape, shared by every response with it: read-only."""
    return network_graph(spec, granularity, batch)
