// The computational graph's drawing, built once per graph shape: a box per node (or per layer
// when collapsed) at its layout position, and a curved link with an arrowhead per edge. The view
// (graph-view.js) restyles these parts at each step.

import { svgEl, uid } from "../core/dom.js";
import { Live } from "../core/svg.js";

export const WIDTH = 760;
const PAD = { x: 52, y: 34 };
const NAME_HEIGHT = 14; // boxes lower than this show no text (the aria-label and tooltip do)
const VALUE_HEIGHT = 28; // boxes lower than this show the name only

// Display items: one per node, or one per layer when collapsed (the loss stays on its own), each
// with its place in the unit square. Collapsed layers stand in a row, the loss last.
function displayItems(graph, collapsed) {
  const items = new Map();
  const itemOf = new Map();
  for (const node of graph.nodes) {
    const key = collapsed && node.role !== "loss" ? `layer-${node.layer}` : String(node.id);
    if (!items.has(key)) items.set(key, { key, members: [], group: key.startsWith("layer-"), layer: node.layer });
    items.get(key).members.push(node);
    itemOf.set(node.id, key);
  }
  const lastLayer = Math.max(...graph.nodes.map((n) => n.layer ?? 0));
  for (const item of items.values()) {
    item.x = item.group ? item.layer / (lastLayer + 1) : item.members[0].x;
    item.y = item.group ? 0.5 : item.members[0].y;
  }
  return { items, itemOf };
}

// The canvas size and box size that fit the busiest rank.
function geometry(items) {
  const ranks = new Map();
  for (const item of items.values()) {
    const rank = item.x.toFixed(4);
    ranks.set(rank, (ranks.get(rank) || 0) + 1);
  }
  const perRank = Math.max(...ranks.values());
  const height = Math.round(Math.min(1000, Math.max(220, perRank * 40 + 2 * PAD.y)));
  const gapY = perRank > 1 ? (height - 2 * PAD.y) / (perRank - 1) : height;
  const gapX = ranks.size > 1 ? (WIDTH - 2 * PAD.x) / (ranks.size - 1) : WIDTH;
  return {
    height,
    boxH: Math.max(4, Math.min(34, gapY * 0.75)),
    boxW: Math.max(8, Math.min(88, gapX * 0.6)),
    at: (item) => ({ x: PAD.x + item.x * (WIDTH - 2 * PAD.x), y: PAD.y + item.y * (height - 2 * PAD.y) }),
  };
}

function buildFrame(granularity, height) {
  const title = granularity === "layer" ? "Layer graph" : "Computational graph";
  const svg = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height,
    class: `bp-svg graph-diagram ${granularity}`, role: "group", "aria-label": title });
  svgEl("title", {}, svg).textContent = granularity === "layer"
    ? "Layer graph: one node per matrix or vector (W, b, z, a per layer), edges from inputs to results"
    : "Computational graph: a node per weight, bias and neuron, edges from inputs to results";
  const defs = svgEl("defs", {}, svg);
  const arrows = { plain: uid("arrow"), carrying: uid("arrow") };
  for (const [id, cls] of [[arrows.plain, ""], [arrows.carrying, "hl"]]) {
    const marker = svgEl("marker", { id, class: cls, viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 7,
      markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
    svgEl("path", { d: "M0,0 L8,4 L0,8 z" }, marker);
  }
  svgEl("rect", { width: WIDTH, height, fill: "#ffffff" }, svg);
  return { svg, arrows };
}

// One link per pair of display items an edge joins (a collapsed layer's inner edges vanish).
function buildLinks(svg, graph, shown, g, arrows, collapsed) {
  const linkLayer = svgEl("g", { class: "links" }, svg);
  const labelLayer = svgEl("g", { class: "link-labels" }, svg);
  const links = new Map();
  for (const edge of graph.edges) {
    const source = shown.itemOf.get(edge.source);
    const target = shown.itemOf.get(edge.target);
    if (source === target) continue;
    const key = `${source}>${target}`;
    if (!links.has(key)) {
      const a = g.at(shown.items.get(source));
      const b = g.at(shown.items.get(target));
      const from = { x: a.x + g.boxW / 2, y: a.y };
      const to = { x: b.x - g.boxW / 2 - 1, y: b.y };
      const mid = (from.x + to.x) / 2;
      const path = svgEl("path", { class: "link", d: `M${from.x},${from.y} C${mid},${from.y} ${mid},${to.y} ${to.x},${to.y}`,
        "marker-end": `url(#${arrows.plain})` }, linkLayer);
      const label = collapsed ? null : new Live(svgEl("text", { class: "link-label", "text-anchor": "middle" }, labelLayer));
      links.set(key, { path: new Live(path), label, from, to, edges: [] });
    }
    links.get(key).edges.push(edge);
  }
  return links;
}

function buildNode(layer, item, g, label) {
  const { x, y } = g.at(item);
  const first = item.members[0];
  const attrs = item.group
    ? { class: "node group", "data-group": item.layer, role: "button", tabindex: "0" }
    : { class: `node ${first.role}`, "data-node-id": first.id, role: first.role === "loss" || first.role === "target"
      ? "img" : "button", tabindex: "0" };
  const group = svgEl("g", attrs, layer);
  svgEl("rect", { class: "box", x: x - g.boxW / 2, y: y - g.boxH / 2, width: g.boxW, height: g.boxH,
    rx: Math.min(6, g.boxH / 3) }, group);
  const fontSize = Math.min(11, g.boxH * 0.4);
  const withValue = g.boxH >= VALUE_HEIGHT;
  if (g.boxH >= NAME_HEIGHT) {
    svgEl("text", { x, y: withValue ? y - 3 : y + fontSize / 3, "text-anchor": "middle", "font-size": fontSize,
      "font-weight": "bold" }, group).textContent = item.group ? `layer ${item.layer}` : label(first);
  }
  const value = withValue ? new Live(svgEl("text", { x, y: y + 10, "text-anchor": "middle", "font-size": fontSize - 1 },
    group)) : null;
  const badge = svgEl("g", { class: "sum-badge", visibility: "hidden" }, group);
  svgEl("circle", { cx: x + g.boxW / 2, cy: y - g.boxH / 2, r: Math.max(5, Math.min(8, g.boxH / 3)) }, badge);
  svgEl("text", { x: x + g.boxW / 2, y: y - g.boxH / 2 + 3.5, "text-anchor": "middle", "font-size": 10 }, badge)
    .textContent = "Σ";
  return Object.assign(new Live(group), { item, value, badge: new Live(badge) });
}

export function build(graph, granularity, collapsed, label) {
  const shown = displayItems(graph, collapsed);
  const g = geometry(shown.items);
  const { svg, arrows } = buildFrame(granularity, g.height);
  const links = buildLinks(svg, graph, shown, g, arrows, collapsed);
  const nodeLayer = svgEl("g", { class: "nodes" }, svg);
  const display = new Map([...shown.items.values()].map((item) => [item.key, buildNode(nodeLayer, item, g, label)]));
  return { svg, nodes: new Map(graph.nodes.map((n) => [n.id, n])), display, links,
    withValue: g.boxH >= VALUE_HEIGHT, arrows };
}
