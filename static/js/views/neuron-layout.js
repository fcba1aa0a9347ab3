// The neuron diagram's drawing, built once per network shape: neurons in columns per layer, an
// edge per weight, a bias badge per neuron, the loss box, and the layer with its geometry. The
// painter (neuron-paint.js) restyles these parts at each step; nothing here knows a number.

import { svgEl } from "../core/dom.js";
import { EMBEDDED_STYLE, Live } from "../core/svg.js";
import { neuronSymbol } from "../trace/notation.js";

export const WIDTH = 760;
const MARGIN = { left: 56, right: 170, top: 62, bottom: 30 };
const TEXT_RADIUS = 11; // circles smaller than this carry no text (the aria-label and tooltip do)

// Where everything goes for layer sizes `sizes`.
function geometry(sizes) {
  const L = sizes.length - 1;
  const maxN = Math.max(...sizes);
  const height = Math.round(Math.min(700, Math.max(300, maxN * 56 + MARGIN.top + MARGIN.bottom)));
  const spacing = (height - MARGIN.top - MARGIN.bottom) / maxN;
  const radius = Math.min(24, spacing * 0.36);
  return {
    L, height, spacing, radius, withText: radius >= TEXT_RADIUS,
    x: (l) => MARGIN.left + (l * (WIDTH - MARGIN.left - MARGIN.right)) / L,
    y: (l, j) => MARGIN.top + spacing * (j + 0.5 + (maxN - sizes[l]) / 2),
  };
}

function buildFrame(sizes, activations, large, g) {
  const svg = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${g.height}`, width: WIDTH, height: g.height,
    class: `bp-svg neuron-diagram${large ? " large" : ""}`, role: "group", "aria-label": "Neuron diagram" });
  svgEl("title", {}, svg).textContent =
    `Neuron diagram of a ${sizes.join("-")} network: neurons in columns, an edge per weight`;
  svgEl("style", {}, svg).textContent = EMBEDDED_STYLE;
  svgEl("rect", { width: WIDTH, height: g.height, fill: "#ffffff" }, svg);
  const headers = sizes.map((n, l) => {
    const lines = l === 0 ? ["input", ""] : [l === g.L ? "output" : `layer ${l}`, activations[l - 1]];
    lines.forEach((line, i) => {
      svgEl("text", { x: g.x(l), y: 14 + 13 * i, "text-anchor": "middle", "font-size": 12,
        "font-weight": i ? "normal" : "bold" }, svg).textContent = line;
    });
    return new Live(svgEl("text", { x: g.x(l), y: 42, "text-anchor": "middle", "font-size": 11, class: "muted" }, svg));
  });
  return { svg, headers };
}

// An edge per weight, in a band per layer (large networks keep weights out of the Tab order:
// the arrow keys reach them).
function buildEdges(svg, sizes, large, g) {
  const edges = [];
  const weights = [null];
  const bandLabels = [null];
  for (let l = 1; l <= g.L; l += 1) {
    const band = svgEl("g", { class: "band", "data-band": l }, svg);
    bandLabels.push(new Live(svgEl("text", { x: (g.x(l - 1) + g.x(l)) / 2, y: g.height - 10,
      "text-anchor": "middle", "font-size": 11, class: "muted" }, svg)));
    weights.push(Array.from({ length: sizes[l] }, (_, j) => Array.from({ length: sizes[l - 1] }, (_, k) => {
      const ends = { x1: g.x(l - 1) + g.radius, y1: g.y(l - 1, k), x2: g.x(l) - g.radius, y2: g.y(l, j) };
      const line = svgEl("line", { ...ends, class: "weight", "data-weight": `${l}-${j}-${k}`, role: "button",
        tabindex: large ? "-1" : "0", pathLength: 100, "stroke-linecap": "round" }, band);
      const edge = { l, j, k, ...ends, line: new Live(line), strength: 0 };
      edges.push(edge);
      return edge;
    })));
  }
  return { edges, weights, bandLabels };
}

// The loss box, joined to each output by a dashed line with its target beside it.
function buildLoss(svg, sizes, g) {
  const lossX = WIDTH - 52;
  const lossY = g.height / 2;
  const group = svgEl("g", { class: "loss", "data-loss": "C" }, svg);
  const targets = [];
  for (let j = 0; j < sizes[g.L]; j += 1) {
    svgEl("line", { x1: g.x(g.L) + g.radius, y1: g.y(g.L, j), x2: lossX - 40, y2: lossY, stroke: "#bbbbbb",
      "stroke-dasharray": "3 3" }, group);
    if (g.withText) {
      targets.push(new Live(svgEl("text", { x: g.x(g.L) + g.radius + 5, y: g.y(g.L, j) - 5, "font-size": 10,
        class: "muted" }, group)));
    }
  }
  svgEl("rect", { x: lossX - 40, y: lossY - 24, width: 80, height: 48, rx: 6, class: "box", fill: "#ffffff",
    stroke: "#555555" }, group);
  const text = new Live(svgEl("text", { x: lossX, y: lossY - 4, "text-anchor": "middle", "font-size": 13 }, group));
  const sample = new Live(svgEl("text", { x: lossX, y: lossY + 14, "text-anchor": "middle",
    "font-size": 10, class: "muted" }, group));
  return { loss: { group: new Live(group), text, sample }, targets };
}

function buildNeurons(layer, sizes, g) {
  return sizes.map((n, l) => Array.from({ length: n }, (_, j) => {
    const group = svgEl("g", { class: "neuron", "data-neuron": `${l}-${j}`, role: "button", tabindex: "0" }, layer);
    const circle = svgEl("circle", { cx: g.x(l), cy: g.y(l, j), r: g.radius }, group);
    if (g.withText) {
      svgEl("text", { x: g.x(l), y: g.y(l, j) - g.radius - 4, "text-anchor": "middle", "font-size": 11 }, group)
        .textContent = neuronSymbol(l, j);
    }
    const value = g.withText ? new Live(svgEl("text", { x: g.x(l), y: g.y(l, j) + 3.5, "text-anchor": "middle",
      "font-size": Math.min(10, g.radius * 0.5) }, group)) : null;
    return Object.assign(new Live(group), { circle: new Live(circle), value });
  }));
}

function buildBiases(layer, sizes, large, g) {
  const badge = Math.max(4, g.radius * 0.5);
  return sizes.map((n, l) => (l === 0 ? [] : Array.from({ length: n }, (_, j) => {
    const group = svgEl("g", { class: "bias", "data-bias": `${l}-${j}`, role: "button", tabindex: large ? "-1" : "0" },
      layer);
    const rect = svgEl("rect", { class: "badge", x: g.x(l) + g.radius * 0.6, y: g.y(l, j) + g.radius * 0.6,
      width: badge, height: badge, rx: 1.5, stroke: "#555555", "stroke-width": 1 }, group);
    return Object.assign(new Live(group), { rect: new Live(rect) });
  })));
}

// Every part of the diagram for a network of `sizes` with these activations.
export function build(sizes, activations, large) {
  const g = geometry(sizes);
  const { svg, headers } = buildFrame(sizes, activations, large, g);
  const halos = svgEl("g", { class: "halos" }, svg);
  const { edges, weights, bandLabels } = buildEdges(svg, sizes, large, g);
  const haloWidth = Math.max(5, Math.min(10, g.spacing * 0.25));
  const hoverHalo = new Live(svgEl("line", { class: "halo hover", "stroke-width": haloWidth, visibility: "hidden" },
    halos));
  const { loss, targets } = buildLoss(svg, sizes, g);
  const neuronLayer = svgEl("g", { class: "neurons" }, svg);
  const neurons = buildNeurons(neuronLayer, sizes, g);
  const biases = buildBiases(neuronLayer, sizes, large, g);
  // Pulses run on copies of edges in a second SVG laid over this one, in its own compositing
  // layer: a moving dash then repaints only itself, not the thousands of edges beneath it.
  const overlay = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${g.height}`, width: WIDTH, height: g.height,
    class: "pulse-layer", "aria-hidden": "true" });
  return {
    svg, overlay, sizes, headers, bandLabels, weights, edges, neurons, biases, targets, loss,
    edgeOf: new Map(edges.map((edge) => [`${edge.l}-${edge.j}-${edge.k}`, edge])),
    halos, hoverHalo, haloWidth, painted: {}, selectionKey: "", marked: [],
    maxWidth: Math.max(1.5, Math.min(5, g.radius * 0.25)),
  };
}
