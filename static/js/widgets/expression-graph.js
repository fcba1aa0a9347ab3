// The expression's computational graph as SVG, painted for one step of the forward or backward pass.

import { formatNumber } from "../core/format.js";
import { svgEl, uid } from "../core/dom.js";

const BOX = { w: 150, h: 66 };
const PAD = { x: 80, y: 44 };
const COLUMN = 200;
const ROW = 100;
const NAME_CHARS = 16;
const PARALLEL = 10; // px between two edges joining the same pair of nodes (x * x)

const short = (name) => (name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS - 1)}…` : name);

function ranks(values) {
  return [...new Set(values)].sort((a, b) => a - b);
}

// Where each node goes: a column per layout rank, a row per position.
function placement(nodes) {
  const columns = ranks(nodes.map((n) => n.x));
  const rows = ranks(nodes.map((n) => n.y));
  const width = 2 * PAD.x + Math.max(1, columns.length - 1) * COLUMN;
  const height = 2 * PAD.y + Math.max(1, rows.length - 1) * ROW;
  return {
    width, height,
    at: (node) => ({
      x: PAD.x + (columns.length > 1 ? columns.indexOf(node.x) * COLUMN : (width - 2 * PAD.x) / 2),
      y: PAD.y + (rows.length > 1 ? rows.indexOf(node.y) * ROW : (height - 2 * PAD.y) / 2),
    }),
  };
}

function buildFrame({ width, height }) {
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "expression-graph", role: "img",
    "aria-label": "The computational graph of the expression", "data-testid": "expression-graph" });
  svgEl("title", {}, svg).textContent = "Computational graph: inputs on the left, the output on the right";
  const marker = svgEl("marker", { id: uid("xg-arrow"), viewBox: "0 0 8 8",
    refX: 8, refY: 4, markerWidth: 7, markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto" },
  svgEl("defs", {}, svg));
  svgEl("path", { d: "M0,0 L8,4 L0,8 z", class: "xg-arrowhead" }, marker);
  return { svg, marker };
}

// An edge per parent of each node; edges joining the same two nodes (x * x) run side by side.
function buildEdges(svg, nodes, edges, place, marker) {
  const edgeLayer = svgEl("g", {}, svg);
  const labelLayer = svgEl("g", {}, svg);
  const pairCount = new Map();
  return edges.map((edge) => {
    const key = `${edge.source}>${edge.target}`;
    const nth = pairCount.get(key) || 0;
    pairCount.set(key, nth + 1);
    const twins = edges.filter((e) => e.source === edge.source && e.target === edge.target).length;
    const shift = (nth - (twins - 1) / 2) * PARALLEL * 2;
    const a = place.at(nodes.find((n) => n.id === edge.source));
    const b = place.at(nodes.find((n) => n.id === edge.target));
    const from = { x: a.x + BOX.w / 2, y: a.y + shift / 2 };
    const to = { x: b.x - BOX.w / 2 - 1, y: b.y + shift };
    const mid = (from.x + to.x) / 2;
    const path = svgEl("path", { class: "xg-edge", "marker-end": `url(#${marker.id})`,
      d: `M${from.x},${from.y} C${mid},${from.y} ${mid},${to.y} ${to.x},${to.y}` }, edgeLayer);
    const label = svgEl("text", { class: "xg-edge-label", x: mid, y: (from.y + to.y) / 2 - 4,
      "text-anchor": "middle", "data-edge": `${edge.source}-${edge.target}-${edge.index}` }, labelLayer);
    return { edge, path, label };
  });
}

function buildNodes(svg, nodes, place, lines) {
  const nodeLayer = svgEl("g", {}, svg);
  return new Map(nodes.map((node) => {
    const { x, y } = place.at(node);
    const group = svgEl("g", { class: `xg-node ${node.role}`, "data-node-id": node.id, "data-name": node.name }, nodeLayer);
    const line = lines.get(node.id);
    svgEl("title", {}, group).textContent = `${node.name} (${node.op})${line ? `, named on line ${line}` : ""}`;
    svgEl("rect", { class: "xg-box", x: x - BOX.w / 2, y: y - BOX.h / 2, width: BOX.w, height: BOX.h, rx: 6 }, group);
    svgEl("text", { class: "xg-name", x, y: y - 10, "text-anchor": "middle" }, group).textContent = short(node.name);
    const value = svgEl("text", { class: "xg-value", x, y: y + 10, "text-anchor": "middle" }, group);
    const grad = svgEl("text", { class: "xg-grad", x, y: y + 28, "text-anchor": "middle" }, group);
    return [node.id, { group, value, grad }];
  }));
}

// One step: each node's value and gradient once known, the current node, and the numbers the
// edges carry back.
function paint(nodeParts, edgeParts, state) {
  const { step, values, grads, carried } = state;
  const current = step.phase === "ready" ? null : step.node;
  const touching = new Set((step.flows || []).map((f) => f.edge));
  for (const [id, part] of nodeParts) {
    const known = values.has(id);
    part.value.textContent = known ? `= ${formatNumber(values.get(id))}` : "";
    part.value.setAttribute("data-value", known ? String(values.get(id)) : "");
    const graded = grads.has(id);
    part.grad.textContent = graded ? `grad ${formatNumber(grads.get(id))}` : "";
    part.grad.setAttribute("data-value", graded ? String(grads.get(id)) : "");
    part.group.classList.toggle("current", id === current);
    part.group.classList.toggle(`current-${step.phase}`, id === current);
    part.group.classList.toggle("pending", !known);
  }
  for (const { edge, path, label } of edgeParts) {
    path.classList.toggle("flowing", step.phase === "forward" && edge.target === current);
    path.classList.toggle("carrying", touching.has(edge));
    const sent = carried.get(edge);
    label.textContent = sent === undefined ? "" : `← ${formatNumber(sent)}`;
    label.setAttribute("data-value", sent === undefined ? "" : String(sent));
    label.classList.toggle("carrying", touching.has(edge));
    label.classList.toggle("negative", sent !== undefined && sent !== null && sent < 0);
  }
}

// Builds the SVG for one result; paint(state) shows one step.
export function createExpressionGraph(model) {
  const { nodes, edges } = model.result.graph;
  const place = placement(nodes);
  const { svg, marker } = buildFrame(place);
  const edgeParts = buildEdges(svg, nodes, edges, place, marker);
  const nodeParts = buildNodes(svg, nodes, place, model.lines);
  return { svg, paint: (state) => paint(nodeParts, edgeParts, state) };
}
