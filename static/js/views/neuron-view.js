// The neuron diagram: neurons in columns per layer, an edge per weight and a bias badge per
// neuron. Built once per network shape; each stage, sample or selection only restyles it.

import { formatNumber } from "../core/format.js";
import { clamp, countWeights, layerSizes, recordedInputs } from "../trace/model.js";
import { biasSymbol, neuronSymbol, sup, weightSymbol } from "../trace/notation.js";
import { linksOf } from "../trace/selection.js";
import {
  caption, neuronLabel, neuronModel, neuronQuantity, paramLabel, paramQuantity, scalesOf,
} from "./neuron-model.js";
import { svgEl } from "../core/dom.js";
import { EMBEDDED_STYLE, Live, edgeColour, inkOn, intensity, signColour } from "../core/svg.js";

const WIDTH = 760;
const MARGIN = { left: 56, right: 170, top: 62, bottom: 30 };
const TEXT_RADIUS = 11; // circles smaller than this carry no text (the aria-label and tooltip do)
const PICK_DISTANCE = 6; // a click this close to an edge (in SVG units) hits it
const PULSE_EDGES = 64; // at most this many edges pulse at once: those carrying the most
const PULSE_MS = 900;
const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");

const fmt = (value) => formatNumber(value, 3);

// The selection an element of the diagram stands for: a neuron, a weight or a bias.
function selectionOf(target) {
  if (target.dataset.neuron) {
    const [layer, j] = target.dataset.neuron.split("-").map(Number);
    return { kind: "neuron", layer, j };
  }
  if (target.dataset.weight) {
    const [layer, j, k] = target.dataset.weight.split("-").map(Number);
    return { kind: "weight", layer, j, k };
  }
  if (target.dataset.bias) {
    const [layer, j] = target.dataset.bias.split("-").map(Number);
    return { kind: "bias", layer, j };
  }
  return null;
}

// {palette, limits}: the colours, and the catalog's limits (a network with more weights than
// the scalar graph allows keeps its weights out of the Tab order).
export function createNeuronView({ palette, limits }) {
  let shapeKey = "";
  let parts = null;
  let arrival = null; // the trace and stage last shown, so a pulse plays once per arrival
  let pulses = [];
  const scaleCache = new WeakMap();

  function render({ state, trace, inputs: batchInputs }) {
    const inputs = recordedInputs(trace) || batchInputs;
    const sizes = layerSizes(trace);
    const key = sizes.join("-");
    if (key !== shapeKey) {
      parts = build(sizes, trace.stages.filter((s) => s.phase === "forward").map((s) => s.activation_name),
        countWeights(sizes) > limits.max_scalar_weights);
      shapeKey = key;
      arrival = null;
    }
    if (!scaleCache.has(trace)) scaleCache.set(trace, scalesOf(trace, inputs));
    const view = neuronModel(state, inputs, sizes, scaleCache.get(trace));
    paint(parts, view, palette);
    pulse(view);
    return { svg: parts.svg, caption: caption(view) };
  }

  // On arriving at a forward or backward stage, a dash runs along the edges of its layer
  // (left to right forward, right to left backward), then the edge shows its new state.
  function pulse(view) {
    if (arrival && arrival.trace === view.trace && arrival.stage === view.stageAt) return;
    arrival = { trace: view.trace, stage: view.stageAt };
    pulses.forEach((animation) => animation.cancel());
    pulses = [];
    const { overlay } = parts;
    overlay.replaceChildren();
    const { phase, layer } = view.stage;
    if (reducedMotion.matches || (phase !== "forward" && phase !== "backward")) return;
    if (parts.svg.isConnected && overlay.previousSibling !== parts.svg) parts.svg.after(overlay);
    const [start, end] = phase === "forward" ? ["18px", "-100px"] : ["-100px", "18px"];
    const frames = [{ strokeDasharray: "18px 200px", strokeDashoffset: start },
      { strokeDasharray: "18px 200px", strokeDashoffset: end }];
    const strongest = parts.edges.filter((edge) => edge.l === layer)
      .sort((a, b) => b.strength - a.strength).slice(0, PULSE_EDGES);
    pulses = strongest.map((edge) => {
      const copy = overlay.appendChild(edge.line.node.cloneNode(false));
      copy.removeAttribute("tabindex");
      copy.removeAttribute("role");
      copy.removeAttribute("data-weight");
      // A thicker dash of the edge's own colour travels over the edge.
      const width = Number(copy.getAttribute("stroke-width")) || 1;
      copy.setAttribute("stroke-width", String(width * 1.8 + 2));
      copy.setAttribute("opacity", "1");
      const animation = copy.animate(frames, { duration: PULSE_MS, easing: "ease-out" });
      animation.finished.then(() => copy.remove(), () => copy.remove());
      return animation;
    });
  }

  // Arrow keys walk the network: up and down within a layer (or through a layer's weights),
  // left and right along the edges. Returns the element to focus, or null.
  function neighbour(element, key) {
    const { sizes } = parts;
    const L = sizes.length - 1;
    const down = key === "ArrowDown" ? 1 : -1;
    if (element.dataset.neuron) {
      const [l, j] = element.dataset.neuron.split("-").map(Number);
      if (key === "ArrowUp" || key === "ArrowDown") return parts.neurons[l][clamp(j + down, sizes[l])].node;
      if (key === "ArrowLeft" && l > 0) return parts.weights[l][j][0].line.node;
      if (key === "ArrowRight" && l < L) return parts.weights[l + 1][0][j].line.node;
    }
    if (element.dataset.weight) {
      const [l, j, k] = element.dataset.weight.split("-").map(Number);
      if (key === "ArrowLeft") return parts.neurons[l - 1][k].node;
      if (key === "ArrowRight") return parts.neurons[l][j].node;
      const flat = clamp(j * sizes[l - 1] + k + down, sizes[l] * sizes[l - 1]);
      return parts.weights[l][Math.floor(flat / sizes[l - 1])][flat % sizes[l - 1]].line.node;
    }
    return null;
  }

  // The weight edge nearest to a point on screen, if it is close enough to count as a hit:
  // edges are thin, so clicks and hovers are matched by distance rather than by the pixel.
  function pick(clientX, clientY) {
    const matrix = parts.svg.getScreenCTM();
    if (!matrix) return null;
    const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    let best = null;
    let bestDistance = PICK_DISTANCE ** 2;
    for (const edge of parts.edges) {
      if (p.x < edge.x1 || p.x > edge.x2) continue;
      const distance = segmentDistance(p, edge);
      if (distance < bestDistance) [best, bestDistance] = [edge, distance];
    }
    return best ? best.line.node : null;
  }

  function hover(element) {
    const edge = element && element.dataset.weight ? parts.edgeOf.get(element.dataset.weight) : null;
    placeHalo(parts.hoverHalo, edge);
  }

  return { render, neighbour, pick, hover, selectionFor: selectionOf };
}


function segmentDistance(p, { x1, y1, x2, y2 }) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((p.x - x1) * dx + (p.y - y1) * dy) / (dx * dx + dy * dy)));
  return (p.x - x1 - t * dx) ** 2 + (p.y - y1 - t * dy) ** 2;
}

function placeHalo(halo, edge) {
  halo.attr("visibility", edge ? "visible" : "hidden");
  if (!edge) return;
  for (const name of ["x1", "y1", "x2", "y2"]) halo.attr(name, edge[name]);
}


function build(sizes, activations, large) {
  const L = sizes.length - 1;
  const maxN = Math.max(...sizes);
  const height = Math.round(Math.min(700, Math.max(300, maxN * 56 + MARGIN.top + MARGIN.bottom)));
  const spacing = (height - MARGIN.top - MARGIN.bottom) / maxN;
  const radius = Math.min(24, spacing * 0.36);
  // Large networks keep weights out of the Tab order (the arrow keys reach them) and skip transitions.
  const x = (l) => MARGIN.left + (l * (WIDTH - MARGIN.left - MARGIN.right)) / L;
  const y = (l, j) => MARGIN.top + spacing * (j + 0.5 + (maxN - sizes[l]) / 2);
  const withText = radius >= TEXT_RADIUS;

  const svg = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, class: `bp-svg neuron-diagram${large ? " large" : ""}`,
    role: "group", "aria-label": "Neuron diagram" });
  svgEl("title", {}, svg).textContent =
    `Neuron diagram of a ${sizes.join("-")} network: neurons in columns, an edge per weight`;
  svgEl("style", {}, svg).textContent = EMBEDDED_STYLE;
  svgEl("rect", { width: WIDTH, height, fill: "#ffffff" }, svg);

  const headers = sizes.map((n, l) => {
    const lines = l === 0 ? ["input", ""] : [l === L ? "output" : `layer ${l}`, activations[l - 1]];
    lines.forEach((line, i) => {
      svgEl("text", { x: x(l), y: 14 + 13 * i, "text-anchor": "middle", "font-size": 12,
        "font-weight": i ? "normal" : "bold" }, svg).textContent = line;
    });
    return new Live(svgEl("text", { x: x(l), y: 42, "text-anchor": "middle", "font-size": 11, class: "muted" }, svg));
  });

  const halos = svgEl("g", { class: "halos" }, svg);
  const edges = [];
  const weights = [null];
  const bandLabels = [null];
  for (let l = 1; l <= L; l += 1) {
    const band = svgEl("g", { class: "band", "data-band": l }, svg);
    bandLabels.push(new Live(svgEl("text", { x: (x(l - 1) + x(l)) / 2, y: height - 10,
      "text-anchor": "middle", "font-size": 11, class: "muted" }, svg)));
    weights.push(Array.from({ length: sizes[l] }, (_, j) => Array.from({ length: sizes[l - 1] }, (_, k) => {
      const ends = { x1: x(l - 1) + radius, y1: y(l - 1, k), x2: x(l) - radius, y2: y(l, j) };
      const line = svgEl("line", { ...ends, class: "weight", "data-weight": `${l}-${j}-${k}`, role: "button",
        tabindex: large ? "-1" : "0", pathLength: 100, "stroke-linecap": "round" }, band);
      const edge = { l, j, k, ...ends, line: new Live(line), strength: 0 };
      edges.push(edge);
      return edge;
    })));
  }
  const haloWidth = Math.max(5, Math.min(10, spacing * 0.25));
  const hoverHalo = new Live(svgEl("line", { class: "halo hover", "stroke-width": haloWidth, visibility: "hidden" },
    halos));

  const lossX = WIDTH - 52;
  const lossY = height / 2;
  const lossGroup = svgEl("g", { class: "loss", "data-loss": "C" }, svg);
  const targets = [];
  for (let j = 0; j < sizes[L]; j += 1) {
    svgEl("line", { x1: x(L) + radius, y1: y(L, j), x2: lossX - 40, y2: lossY, stroke: "#bbbbbb",
      "stroke-dasharray": "3 3" }, lossGroup);
    if (withText) {
      targets.push(new Live(svgEl("text", { x: x(L) + radius + 5, y: y(L, j) - 5, "font-size": 10, class: "muted" },
        lossGroup)));
    }
  }
  svgEl("rect", { x: lossX - 40, y: lossY - 24, width: 80, height: 48, rx: 6, class: "box", fill: "#ffffff",
    stroke: "#555555" }, lossGroup);
  const lossText = new Live(svgEl("text", { x: lossX, y: lossY - 4, "text-anchor": "middle", "font-size": 13 },
    lossGroup));
  const lossSample = new Live(svgEl("text", { x: lossX, y: lossY + 14, "text-anchor": "middle",
    "font-size": 10, class: "muted" }, lossGroup));

  const neuronLayer = svgEl("g", { class: "neurons" }, svg);
  const neurons = sizes.map((n, l) => Array.from({ length: n }, (_, j) => {
    const g = svgEl("g", { class: "neuron", "data-neuron": `${l}-${j}`, role: "button", tabindex: "0" },
      neuronLayer);
    const circle = svgEl("circle", { cx: x(l), cy: y(l, j), r: radius }, g);
    if (withText) {
      svgEl("text", { x: x(l), y: y(l, j) - radius - 4, "text-anchor": "middle", "font-size": 11 }, g)
        .textContent = neuronSymbol(l, j);
    }
    const value = withText ? new Live(svgEl("text", { x: x(l), y: y(l, j) + 3.5, "text-anchor": "middle",
      "font-size": Math.min(10, radius * 0.5) }, g)) : null;
    return Object.assign(new Live(g), { circle: new Live(circle), value });
  }));
  const badge = Math.max(4, radius * 0.5);
  const biases = sizes.map((n, l) => (l === 0 ? [] : Array.from({ length: n }, (_, j) => {
    const g = svgEl("g", { class: "bias", "data-bias": `${l}-${j}`, role: "button", tabindex: large ? "-1" : "0" },
      neuronLayer);
    const rect = svgEl("rect", { class: "badge", x: x(l) + radius * 0.6, y: y(l, j) + radius * 0.6, width: badge,
      height: badge, rx: 1.5, stroke: "#555555", "stroke-width": 1 }, g);
    return Object.assign(new Live(g), { rect: new Live(rect) });
  })));

  // Pulses run on copies of edges in a second SVG laid over this one, in its own compositing
  // layer: a moving dash then repaints only itself, not the thousands of edges beneath it.
  const overlay = svgEl("svg", { viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height,
    class: "pulse-layer", "aria-hidden": "true" });

  return {
    svg, overlay, sizes, headers, bandLabels, weights, edges, neurons, biases, targets,
    edgeOf: new Map(edges.map((edge) => [`${edge.l}-${edge.j}-${edge.k}`, edge])),
    halos, hoverHalo, haloWidth, painted: {}, selectionKey: "", marked: [],
    loss: { group: new Live(lossGroup), text: lossText, sample: lossSample },
    maxWidth: Math.max(1.5, Math.min(5, radius * 0.25)),
  };
}


// Values change with the trace, stage, sample or event; the selection only moves a few classes.
function paint(parts, view, palette) {
  const key = `${view.stageAt}:${view.sample}:${view.eventKey}`;
  if (parts.painted.trace !== view.trace || parts.painted.key !== key) {
    paintValues(parts, view, palette);
    parts.painted = { trace: view.trace, key };
  }
  paintSelection(parts, view.selection);
}

function paintValues(parts, view, palette) {
  const { sizes, L, active, sample, trace } = view;
  sizes.forEach((n, l) => {
    parts.headers[l].text(l === 0 ? "x (inputs)"
      : view.backward[l] ? `δ${sup(l)} = ∂C/∂z${sup(l)}`
        : l === L && view.loss ? `∂C/∂a${sup(l)}`
          : view.forward[l] ? `a${sup(l)}` : "not yet computed");
    for (let j = 0; j < n; j += 1) {
      const item = parts.neurons[l][j];
      const q = neuronQuantity(view, l, j);
      item.cls("active", active.neurons.has(l));
      item.cls("pending", Boolean(q.pending));
      item.cls("grad", Boolean(q.showsGradient));
      item.circle.attr("fill", q.pending ? "#ffffff" : signColour(q.shown, q.scale, palette));
      if (item.value) {
        item.value.text(q.pending ? "" : fmt(q.shown));
        item.value.attr("style", `fill: ${q.pending ? "#1b1b1b" : inkOn(q.shown, q.scale)}`); // beats the text rule
      }
      item.attr("aria-label", neuronLabel(l, j, q, sample));
    }
  });
  for (let l = 1; l <= L; l += 1) {
    const bandActive = active.weights.has(l);
    parts.bandLabels[l].text(view.update ? `new W${sup(l)}` : view.backward[l] ? `∂C/∂W${sup(l)}` : `W${sup(l)}`);
    for (let j = 0; j < sizes[l]; j += 1) {
      for (let k = 0; k < sizes[l - 1]; k += 1) {
        const edge = parts.weights[l][j][k];
        const q = paramQuantity(view, "weight", l, j, k);
        edge.strength = intensity(q.shown, q.scale);
        edge.line.attr("stroke", edgeColour(q.shown, palette));
        edge.line.attr("stroke-width", (0.5 + (parts.maxWidth - 0.5) * edge.strength).toFixed(2));
        edge.line.cls("active", bandActive);
        edge.line.cls("dim", !bandActive);
        edge.line.attr("aria-label", paramLabel("weight", weightSymbol(l, j, k), q));
      }
      const bias = parts.biases[l][j];
      const q = paramQuantity(view, "bias", l, j);
      bias.rect.attr("fill", signColour(q.shown, q.scale, palette));
      bias.cls("active", active.biases.has(l));
      bias.attr("aria-label", paramLabel("bias", biasSymbol(l, j), q));
    }
  }
  parts.loss.group.cls("active", active.loss);
  parts.loss.group.cls("pending", !view.loss);
  parts.loss.text.text(view.loss ? `C = ${fmt(trace.loss)}` : "C");
  parts.loss.sample.text(view.loss ? `sample ${sample + 1}: ${fmt(view.loss.per_sample_loss[sample])}` : "loss");
  parts.targets.forEach((text, j) => text.text(view.loss ? `y = ${fmt(view.loss.targets[sample][j])}` : ""));
}

// "selected" on the selected element, "linked" on what it links to, and a soft green line
// under those weights; only the elements marked before and after a change are touched.
function paintSelection(parts, selection) {
  const key = JSON.stringify(selection || null);
  if (key === parts.selectionKey) return;
  parts.selectionKey = key;
  for (const [item, cls] of parts.marked) item.cls(cls, false);
  parts.halos.querySelectorAll(".halo:not(.hover)").forEach((line) => line.remove());
  parts.marked = [];
  if (!selection) return;
  const mark = (item, cls) => {
    if (!item) return;
    item.cls(cls, true);
    parts.marked.push([item, cls]);
  };
  const at = (table, id) => {
    const [row, column] = id.split("-").map(Number);
    return table[row] && table[row][column];
  };
  const weight = (id, cls) => {
    const edge = parts.edgeOf.get(id);
    if (!edge) return;
    mark(edge.line, cls);
    svgEl("line", { class: `halo halo-${cls}`, x1: edge.x1, y1: edge.y1, x2: edge.x2, y2: edge.y2,
      "stroke-width": parts.haloWidth * (cls === "selected" ? 1.4 : 1) }, parts.halos);
  };
  const { kind, layer: l, j, k } = selection;
  if (kind === "weight") weight(`${l}-${j}-${k}`, "selected");
  if (kind === "neuron") mark(at(parts.neurons, `${l}-${j}`), "selected");
  if (kind === "bias") mark(at(parts.biases, `${l}-${j}`), "selected");
  const links = linksOf(selection, parts.sizes);
  links.neurons.forEach((id) => mark(at(parts.neurons, id), "linked"));
  links.weights.forEach((id) => weight(id, "linked"));
  links.biases.forEach((id) => mark(at(parts.biases, id), "linked"));
}
