"""Tests for the layered layout: bounds, determinism, ranks, crossing reduction and deep chains."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from itertools import combinations

import pytest

from engine.autodiff import ops
from engine.autodiff.graph import Graph
from engine.networks import losses
from engine.views.layout import layered_layout


@dataclass(frozen=True, eq=False)
class FakeNode:
    """Just what the layout reads: an id and the parent nodes."""

    id: int
    parents: tuple = ()


def chain(length: int) -> list[FakeNode]:
    """Nodes 0 -> 1 -> ... -> length - 1."""
    nodes = [FakeNode(0)]
    for i in range(1, length):
        nodes.append(FakeNode(i, (nodes[-1],)))
    return nodes


def small_network() -> Graph:
    """A two-layer network with its loss, as the app builds it."""
    g = Graph()
    x = g.leaf([[0.5, -1.0]], "x", "input")
    w1 = g.leaf([[0.1, 0.2], [0.3, 0.4]], "W1", "param", layer=1)
    b1 = g.leaf([0.0, 0.1], "b1", "param", layer=1)
    h = ops.tanh(ops.affine(x, w1, b1, layer=1), layer=1)
    w2 = g.leaf([[0.5, -0.5]], "W2", "param", layer=2)
    b2 = g.leaf([0.2], "b2", "param", layer=2)
    out = ops.sigmoid(ops.affine(h, w2, b2, layer=2), role="output", layer=2)
    target = g.leaf([[1.0]], "t", "target")
    ops.apply(losses.binary_cross_entropy, out, target, role="loss")
    return g


def random_layered(seed: int) -> list[list[FakeNode]]:
    """Fake nodes in layers, ids in layer order, each later node with parents one layer up."""
    rng = random.Random(seed)
    layers: list[list[FakeNode]] = []
    next_id = 0
    for depth in range(rng.randint(3, 5)):
        layer = []
        for _ in range(rng.randint(2, 7)):
            parents = tuple(rng.sample(layers[-1], rng.randint(1, 2))) if depth else ()
            layer.append(FakeNode(next_id, parents))
            next_id += 1
        layers.append(layer)
    return layers


def crossings(nodes, positions) -> int:
    """Pairs of edges between the same two adjacent columns whose ends swap order."""
    kept = {n.id for n in nodes}
    edges = [(p.id, n.id) for n in nodes for p in dict.fromkeys(n.parents) if p.id in kept]
    columns = sorted({x for x, _ in positions.values()})
    step = {a: b for a, b in zip(columns, columns[1:], strict=False)}
    count = 0
    for (a, b), (c, d) in combinations(edges, 2):
        (xa, ya), (xb, yb) = positions[a], positions[b]
        (xc, yc), (xd, yd) = positions[c], positions[d]
        if xa == xc and xb == xd and step.get(xa) == xb and (ya - yc) * (yb - yd) < 0:
            count += 1
    return count


def id_order_positions(layers: list[list[FakeNode]]) -> dict[int, tuple[float, float]]:
    """Positions before any sweep: one column per layer, ids top to bottom."""
    positions = {}
    for depth, layer in enumerate(layers):
        for place, node in enumerate(layer):
            positions[node.id] = (depth / (len(layers) - 1), place / (len(layer) - 1))
    return positions


def test_every_node_gets_a_position_in_the_unit_square():
    g = small_network()
    positions = layered_layout(g.nodes)
    assert set(positions) == {n.id for n in g.nodes}
    for x, y in positions.values():
        assert 0.0 <= x <= 1.0 and 0.0 <= y <= 1.0
        assert isinstance(x, float) and isinstance(y, float)


def test_layout_is_deterministic_and_ignores_list_order():
    nodes = [n for layer in random_layered(3) for n in layer]
    first = layered_layout(nodes)
    assert layered_layout(nodes) == first
    assert layered_layout(list(reversed(nodes))) == first


def test_empty_and_single_node():
    assert layered_layout([]) == {}
    assert layered_layout([FakeNode(7)]) == {7: (0.5, 0.5)}


def test_a_single_rank_is_centred_and_spread():
    assert layered_layout([FakeNode(0), FakeNode(1), FakeNode(2)]) == {
        0: (0.5, 0.0), 1: (0.5, 0.5), 2: (0.5, 1.0)}


def test_chain_moves_strictly_right():
    positions = layered_layout(chain(12))
    xs = [positions[i][0] for i in range(12)]
    assert xs[0] == 0.0 and xs[-1] == 1.0
    assert all(a < b for a, b in zip(xs, xs[1:], strict=False))
    assert all(positions[i][1] == 0.5 for i in range(12))


def test_leaf_sits_one_rank_left_of_its_earliest_child():
    g = Graph()
    x = g.leaf(0.5, "x", "input")
    first = ops.tanh(x)
    deep = ops.tanh(ops.tanh(first))
    w = g.leaf(2.0, "w", "param")
    late = ops.multiply(deep, w)
    also = ops.add(ops.tanh(late), w)
    positions = layered_layout(g.nodes)
    one_rank = positions[first.id][0] - positions[x.id][0]
    assert one_rank == pytest.approx(1 / 6)
    assert positions[late.id][0] - positions[w.id][0] == pytest.approx(one_rank)
    assert positions[w.id][0] == positions[deep.id][0]
    assert positions[also.id][0] == 1.0


def test_parents_outside_the_list_are_ignored():
    g = small_network()
    tail = g.nodes[5:]
    positions = layered_layout(tail)
    assert set(positions) == {n.id for n in tail}
    assert min(x for x, _ in positions.values()) == 0.0


def test_repeated_parent_is_one_edge():
    g = Graph()
    x = g.leaf(3.0, "x", "variable")
    square = ops.multiply(x, x)
    assert layered_layout(g.nodes) == {x.id: (0.0, 0.5), square.id: (1.0, 0.5)}


def test_sweeps_remove_a_crossing_made_by_id_order():
    a, b = FakeNode(0), FakeNode(1)
    c, d = FakeNode(2, (b,)), FakeNode(3, (a,))
    nodes = [a, b, c, d]
    assert crossings(nodes, id_order_positions([[a, b], [c, d]])) == 1
    assert crossings(nodes, layered_layout(nodes)) == 0


@pytest.mark.parametrize("seed", range(25))
def test_sweeps_never_add_crossings(seed):
    layers = random_layered(seed)
    nodes = [n for layer in layers for n in layer]
    positions = layered_layout(nodes)
    assert crossings(nodes, positions) <= crossings(nodes, id_order_positions(layers))
    assert {x for x, _ in positions.values()} == {x for x, _ in id_order_positions(layers).values()}


def test_sweeps_reduce_crossings_overall():
    before = after = 0
    for seed in range(25):
        layers = random_layered(seed)
        nodes = [n for layer in layers for n in layer]
        before += crossings(nodes, id_order_positions(layers))
        after += crossings(nodes, layered_layout(nodes))
    assert after < before


def test_chain_of_ten_thousand_nodes_is_fast():
    nodes = chain(10_000)
    start = time.perf_counter()
    positions = layered_layout(nodes)
    assert time.perf_counter() - start < 3.0
    assert positions[0] == (0.0, 0.5) and positions[9_999] == (1.0, 0.5)
    assert positions[5_000][0] == pytest.approx(5_000 / 9_999)
