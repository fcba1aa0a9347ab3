// Finding things in a neuron diagram by where they are drawn, for both of its renderings (SVG and
// canvas, which share one geometry): the edge nearest a point, the neuron, bias or map under it,
// the data point a click on a map picks, and where Shift with an arrow key walks to.

import { clamp } from "../trace/model.js";
import { mapsFit, pointNear } from "./map-model.js";
import { TOUCH } from "./neuron-layout.js";

// A click this close to an edge (in px) hits it: half a tap target on a touch screen.
export const PICK_DISTANCE = globalThis.matchMedia && matchMedia("(pointer: coarse)").matches ? TOUCH / 2 : 6;
const MAP_REACH = 8; // px: a click this close to a data point drawn on a map picks it

// The selection an element (or the canvas view's stand-in for one) is: a neuron, weight or bias.
export function selectionOf(target) {
  const read = (name) => target.dataset[name].split("-").map(Number);
  if (target.dataset.neuron) {
    const [layer, j] = read("neuron");
    return { kind: "neuron", layer, j };
  }
  if (target.dataset.weight) {
    const [layer, j, k] = read("weight");
    return { kind: "weight", layer, j, k };
  }
  if (target.dataset.bias) {
    const [layer, j] = read("bias");
    return { kind: "bias", layer, j };
  }
  return null;
}

function segmentDistance(p, { x1, y1, x2, y2 }) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((p.x - x1) * dx + (p.y - y1) * dy) / (dx * dx + dy * dy)));
  return (p.x - x1 - t * dx) ** 2 + (p.y - y1 - t * dy) ** 2;
}

// The edge nearest to point p (in the diagram's px) if it is close enough to count as a hit:
// edges are thin, so clicks and hovers are matched by distance rather than by the pixel.
export function nearestEdge(edges, p, reach = PICK_DISTANCE) {
  let best = null;
  let bestDistance = reach ** 2;
  for (const edge of edges) {
    if (Math.min(edge.x1, edge.x2) - reach > p.x || p.x > Math.max(edge.x1, edge.x2) + reach) continue;
    const distance = segmentDistance(p, edge);
    if (distance < bestDistance) [best, bestDistance] = [edge, distance];
  }
  return best;
}

const inside = (p, box) => p.x >= box.x && p.x <= box.x + box.size && p.y >= box.y && p.y <= box.y + box.size;

// The computing neuron whose map is under p: {l, j, box}, or null.
export function mapUnder(g, sizes, p) {
  for (let l = 1; l < sizes.length; l += 1) {
    for (let j = 0; j < sizes[l]; j += 1) {
      const box = g.mapBox(l, j);
      if (box && inside(p, box)) return { l, j, box };
    }
  }
  return null;
}

// The data point a click at p on a map picks (its index in the dataset), or null.
export function pointOnMap(g, sizes, p, maps, dataset) {
  const under = mapsFit(maps, sizes) && dataset ? mapUnder(g, sizes, p) : null;
  if (!under) return null;
  const { box } = under;
  return pointNear(maps, dataset.inputs, (p.x - box.x) / box.size, (p.y - box.y) / box.size,
    Math.max(MAP_REACH / box.size, 0.03));
}

// Where Shift with an arrow walks from a neuron or weight ({kind, l, j, k}): up and down within a
// layer (or through a layer's weights), left and right along the edges; null where it cannot.
export function neighbourOf(sizes, item, key) {
  const L = sizes.length - 1;
  const down = key === "ArrowDown" ? 1 : -1;
  const { l, j, k } = item;
  if (item.kind === "neuron") {
    if (key === "ArrowUp" || key === "ArrowDown") return { kind: "neuron", l, j: clamp(j + down, sizes[l]) };
    if (key === "ArrowLeft" && l > 0) return { kind: "weight", l, j, k: 0 };
    if (key === "ArrowRight" && l < L) return { kind: "weight", l: l + 1, j: 0, k: j };
    return null;
  }
  if (item.kind !== "weight") return null;
  if (key === "ArrowLeft") return { kind: "neuron", l: l - 1, j: k };
  if (key === "ArrowRight") return { kind: "neuron", l, j };
  const flat = clamp(j * sizes[l - 1] + k + down, sizes[l] * sizes[l - 1]);
  return { kind: "weight", l, j: Math.floor(flat / sizes[l - 1]), k: flat % sizes[l - 1] };
}

// An element's (or stand-in's) place as neighbourOf takes it.
export function itemOf(target) {
  const selection = selectionOf(target);
  return selection && { kind: selection.kind, l: selection.layer, j: selection.j, k: selection.k };
}
