"""A deterministic layered (Sugiyama-style) layout of a graph's nodes in the unit square.

Edges run from each parent to its child, for parents that are among the given nodes. x comes from
a node's rank: the longest path from a source, except that a node without parents sits one rank
before its earliest child, so a weight is drawn just left of the layer that uses it. y comes from
the node's place in its rank: ids first, then barycenter sweeps that reorder each rank by the mean
y of its neighbours in the ranks already placed, ties broken by id. A sweep is linear in the
edges apart from sorting each rank, and everything is iterative, so deep chains are fine.
"""

from __future__ import annotations

from functools import lru_cache

SWEEPS = 4
CACHED_SHAPES = 256  # layouts kept per process: the same network shape gives the same graph


def _parent_indices(nodes) -> tuple[tuple[int, ...], ...]:
    """Each node's parents as indices into the id-sorted nodes, without repeats: the graph's
    shape, which is all the layout depends on."""
    index = {node.id: i for i, node in enumerate(nodes)}
    return tuple(tuple(dict.fromkeys(index[p.id] for p in node.parents if p.id in index))
                 for node in nodes)


def _children(parents) -> list[list[int]]:
    children: list[list[int]] = [[] for _ in parents]
    for child, ups in enumerate(parents):
        for parent in ups:
            children[parent].append(child)
    return children


def _ranks(parents, children: list[list[int]]) -> list[int]:
    """Longest path from the sources, then each source moved to one rank before its first child."""
    rank = [0] * len(parents)
    for i, ups in enumerate(parents):
        if ups:
            rank[i] = 1 + max(rank[p] for p in ups)
    for i, ups in enumerate(parents):
        if not ups and children[i]:
            rank[i] = min(rank[c] for c in children[i]) - 1
    return rank


def _place(layer: list[int], y: list[float]) -> None:
    """Set y of a rank's nodes from their order: spread over [0, 1], or 0.5 for a lone node."""
    last = len(layer) - 1
    for position, i in enumerate(layer):
        y[i] = position / last if last else 0.5


def _sweep(layers: list[list[int]], neighbours, y: list[float]) -> None:
    """Reorder each rank after the first by the mean y of its neighbours (own y if it has none)."""
    for layer in layers[1:]:
        keys = {i: sum(y[n] for n in neighbours[i]) / len(neighbours[i]) if neighbours[i] else y[i]
                for i in layer}
        layer.sort(key=lambda i: (keys[i], i))
        _place(layer, y)


def _crossings(layers: list[list[int]], children: list[list[int]], rank: list[int]) -> int:
    """Crossings among edges that join adjacent ranks, counted as inversions with a Fenwick tree."""
    position = {i: p for layer in layers for p, i in enumerate(layer)}
    total = 0
    for r in range(len(layers) - 1):
        ends = [position[c] for i in layers[r] for c in sorted(
            (c for c in children[i] if rank[c] == r + 1), key=position.__getitem__)]
        total += _inversions(ends, len(layers[r + 1]))
    return total


def _inversions(values: list[int], size: int) -> int:
    """Pairs i < j with values[i] > values[j], for values in range(size)."""
    tree = [0] * (size + 1)
    count = 0
    for seen, value in enumerate(values):
        k, at_most = value + 1, 0
        while k > 0:
            at_most += tree[k]
            k -= k & -k
        count += seen - at_most
        k = value + 1
        while k <= size:
            tree[k] += 1
            k += k & -k
    return count


def layered_layout(nodes) -> dict[int, tuple[float, float]]:
    """Map each node's id to (x, y) in [0, 1]^2: x by rank, y by order within the rank.

    Nodes need `.id` and `.parents`, with every parent's id smaller than its child's (as
    `Graph` guarantees). The order with the fewest crossings among the sweeps is kept.
    """
    nodes = sorted(nodes, key=lambda node: node.id)
    positions = _layout(_parent_indices(nodes))
    return {node.id: positions[i] for i, node in enumerate(nodes)}


@lru_cache(maxsize=CACHED_SHAPES)
def _layout(parents: tuple[tuple[int, ...], ...]) -> tuple[tuple[float, float], ...]:
    """Positions by node index for a graph shape (cached: every request for the same network
    shape lays out the same graph)."""
    if not parents:
        return ()
    children = _children(parents)
    rank = _ranks(parents, children)
    layers: list[list[int]] = [[] for _ in range(max(rank) + 1)]
    for i, r in enumerate(rank):
        layers[r].append(i)
    y = [0.0] * len(parents)
    for layer in layers:
        _place(layer, y)
    best, fewest = [list(layer) for layer in layers], _crossings(layers, children, rank)
    for _ in range(SWEEPS):
        for ordered, neighbours in ((layers, parents), (layers[::-1], children)):
            _sweep(ordered, neighbours, y)
            crossings = _crossings(layers, children, rank)
            if crossings < fewest:
                best, fewest = [list(layer) for layer in layers], crossings
    for layer in best:
        _place(layer, y)
    last = len(layers) - 1
    return tuple((rank[i] / last if last else 0.5, y[i]) for i in range(len(parents)))
