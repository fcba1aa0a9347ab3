// The neuron diagram's drawing, built once per network shape and canvas size: neurons as pills
// in columns per layer (wide enough for their number), an edge per weight, a bias badge per
// neuron, the loss box, and the layer headers. Everything is laid out in the canvas's own
// pixels, so the text grows with the diagram: numbers take about 1/17 of its height (50 px on a
// 1080p projector, 27 px at 720p) and shrink only as far as a large network needs to fit. The painter
// (neuron-paint.js) restyles these parts at each step; nothing here knows a number.

import { svgEl } from "../core/dom.js";
import { Live } from "../core/svg.js";
import { neuronSymbol } from "../trace/notation.js";
import { placeBandLabels } from "./neuron-labels.js";

const DIGIT_EM = 0.6; // the width of a tabular digit, in em
export const NUMBER_CHARS = 7; // "-0.0217", "1.23e-5": the longest number a neuron shows
const MIN_TEXT = 9; // px: smaller numbers are left to the tooltip and the inspector
export const TOUCH = 24; // px: the smallest tap target (a bias badge's or an edge's hit area)

const MIN_MAP = 8; // px: a neuron map smaller than this is left out
const clamp = (value, low, high) => Math.max(low, Math.min(high, value));

// The shares of the gap between layers a map may take, largest first (vertical layouts, whose
// gaps are tall, take 1.6 times as much): the first that leaves each small band its numbers.
const MAP_SHARES = [0.2, 0.17, 0.15, 0.13, 0.11];

// The side of each neuron's map (0 for none): on the side its edges come in from, taking at most
// `share` of the gap between layers and less than its room along the layer, so the numbers keep
// their size and the edges their room.
function mapSide(vertical, along, gap, pill, share) {
  const side = vertical ? Math.min(0.8 * along, 1.6 * share * gap) : Math.min(0.82 * along, share * gap, 3.2 * pill.height);
  return side >= MIN_MAP ? Math.floor(side) : 0;
}

// Where everything goes for layer sizes `sizes` in a canvas of width × height px, with room for
// a map beside each computing neuron taking up to `mapShare` of the gap between layers (0: no
// maps). Layers run left to right, or top to bottom on a canvas taller than wide (a phone held
// upright), so the neurons of a layer always have the long side to spread along.
function layoutGeometry(sizes, width, height, mapShare, mapped = () => true) {
  const L = sizes.length - 1;
  const maxN = Math.max(...sizes);
  const vertical = height > width * 1.1;
  const target = clamp(0.058 * Math.min(height, 1.25 * width), 12, 64);
  const header = clamp(0.6 * target, 12, 32);
  const perEm = DIGIT_EM * NUMBER_CHARS + 0.9; // a pill's width, in em
  const frame = vertical ? verticalFrame(width, height, header, target) : horizontalFrame(width, height, header, target);
  // Along a layer, a pill takes at most 80% of its share; across layers, 40% of the gap (the
  // rest is for the edges).
  const along = frame.alongSpan / maxN;
  const gapGuess = frame.acrossSpan / (L + 0.6);
  const font = vertical
    ? Math.min(target, (0.85 * along) / perEm, (0.4 * gapGuess) / 1.45)
    : Math.min(target, (0.8 * along) / 1.45, (0.4 * gapGuess) / perEm);
  const pill = { width: Math.max(8, font * perEm), height: Math.max(6, font * 1.45) };
  pill.height = Math.max(pill.height, Math.min(TOUCH, 0.8 * (vertical ? gapGuess : along)));
  const across = vertical ? pill.height : pill.width;
  const gap = (frame.acrossSpan - across) / L;
  const centre = (l, j) => frame.alongStart + along * (j + 0.5 + (maxN - sizes[l]) / 2);
  const layerAt = (l) => frame.acrossStart + across / 2 + l * gap;
  const at = vertical ? (l, j) => ({ x: centre(l, j), y: layerAt(l) }) : (l, j) => ({ x: layerAt(l), y: centre(l, j) });
  const half = vertical ? { x: 0, y: pill.height / 2 } : { x: pill.width / 2, y: 0 };
  const map = mapShare ? mapSide(vertical, along, gap, pill, mapShare) : 0;
  const mapGap = map ? Math.max(3, 0.08 * map) : 0;
  // Past the pill, its map: edges arrive at the map's far side.
  const lead = (l) => (l > 0 && map && mapped(l) ? mapGap + map : 0);
  const inward = vertical ? { x: 0, y: 1 } : { x: 1, y: 0 };
  return {
    L, width, height, vertical, header, font, pill, rowSpace: along, withText: font >= MIN_TEXT,
    withSymbols: !vertical && font >= MIN_TEXT && along >= pill.height + 1.6 * header,
    loss: frame.loss(pill, font),
    at,
    // Where an edge leaves a neuron (towards the next layer) and where one arrives.
    out: (l, j) => ({ x: at(l, j).x + half.x, y: at(l, j).y + half.y }),
    in: (l, j) => ({ x: at(l, j).x - half.x - inward.x * lead(l), y: at(l, j).y - half.y - inward.y * lead(l) }),
    // The square of a computing neuron's map, {x, y, size}, or null.
    mapBox: (l, j) => {
      if (!lead(l)) return null;
      const { x, y } = at(l, j);
      return vertical ? { x: x - map / 2, y: y - half.y - mapGap - map, size: map }
        : { x: x - half.x - mapGap - map, y: y - map / 2, size: map };
    },
    map, lead, layerAt, gap,
    // A computing neuron's bias badge at its pill's lower right: its centre, side and the side
    // of its hit area (at least a tap target).
    bias: (l, j) => {
      const size = clamp(0.45 * pill.height, 6, 18);
      return { x: at(l, j).x + pill.width / 2 - size * 0.3, y: at(l, j).y + pill.height / 2 - size * 0.3,
        size, hit: Math.max(TOUCH, size) };
    },
  };
}

// The ends of band l's edges (weights of layer l), in the order of W^l's entries.
export function bandEdges(g, sizes, l) {
  const band = [];
  for (let j = 0; j < sizes[l]; j += 1) {
    for (let k = 0; k < sizes[l - 1]; k += 1) {
      const [from, to] = [g.out(l - 1, k), g.in(l, j)];
      band.push({ l, j, k, x1: from.x, y1: from.y, x2: to.x, y2: to.y });
    }
  }
  return band;
}

// The bands whose edges carry numbers in a geometry.
function labelledBands(g, sizes) {
  return sizes.slice(1).map((n, i) => i + 1).filter((l) => labelledBand(g, sizes[l] * sizes[l - 1])
    && bandLabelPlaces(bandEdges(g, sizes, l), g));
}

// The geometry for a canvas of width × height px, with maps beside the computing neurons if
// `withMaps`: as large as they can be while every small band that has room for its numbers
// without maps keeps it. A layer's map shortens only the band coming into it, so where no size
// leaves a band its numbers, that layer goes without maps (its neurons' maps are in the
// inspector) and the others keep the largest.
export function geometry(sizes, width, height, withMaps = false) {
  const plain = layoutGeometry(sizes, width, height, 0);
  if (!withMaps) return plain;
  const wanted = labelledBands(plain, sizes);
  const keeps = (g, l) => bandLabelPlaces(bandEdges(g, sizes, l), g);
  for (const share of MAP_SHARES) {
    const g = layoutGeometry(sizes, width, height, share);
    if (!g.map || wanted.every((l) => keeps(g, l))) return g;
  }
  const largest = layoutGeometry(sizes, width, height, MAP_SHARES[0]);
  const crowded = new Set(wanted.filter((l) => !keeps(largest, l)));
  return layoutGeometry(sizes, width, height, MAP_SHARES[0], (l) => !crowded.has(l));
}

// Where the dashed lines from the outputs reach the loss box: its left side, or its top.
export function lossEntry(g) {
  const { x, y, width, height } = g.loss;
  return g.vertical ? { x, y: y - height / 2 } : { x: x - width / 2, y };
}

// Left to right: headers above the columns, band labels under them, the loss box at the right.
function horizontalFrame(width, height, header, target) {
  const top = header * 3.5;
  const bottom = header * 1.9;
  const lossWidth = clamp(6.2 * target, 90, 0.2 * width);
  return {
    alongStart: top, alongSpan: Math.max(4 * 6, height - top - bottom),
    acrossStart: header, acrossSpan: width - 3 * header - lossWidth,
    loss: () => ({ x: width - header - lossWidth / 2, y: (top + height - bottom) / 2, width: lossWidth,
      height: Math.max(3.2 * header, 2.4 * target) }),
  };
}

// Top to bottom: each layer's header at the left above its row, the loss box at the bottom.
function verticalFrame(width, height, header, target) {
  const lossHeight = Math.max(3.2 * header, 2.4 * target);
  return {
    alongStart: header * 0.5, alongSpan: width - header,
    acrossStart: header * 2.6, acrossSpan: height - header * 3.4 - lossHeight,
    loss: () => ({ x: width / 2, y: height - header * 0.4 - lossHeight / 2, width: Math.min(width * 0.6, 9 * target),
      height: lossHeight }),
  };
}

function buildFrame(sizes, activations, large, g) {
  const svg = svgEl("svg", { viewBox: `0 0 ${g.width} ${g.height}`, width: g.width, height: g.height,
    class: `bp-svg neuron-diagram${large ? " large" : ""}`, role: "group", "aria-label": "Neuron diagram",
    "data-number-px": g.withText ? g.font.toFixed(1) : "0" });
  svgEl("title", {}, svg).textContent =
    `Neuron diagram of a ${sizes.join("-")} network: neurons in columns, an edge per weight`;
  svgEl("rect", { width: g.width, height: g.height, fill: "#ffffff" }, svg);
  // The headers go on top of the edges (appended last): a phone's rows have edges running behind them.
  const headerLayer = svgEl("g", { class: "layer-headers" });
  const headers = sizes.map((n, l) => layerHeader(headerLayer, l, l === 0 ? ["input", ""]
    : [l === g.L ? "output" : `layer ${l}`, activations[l - 1]], g));
  return { svg, headers, headerLayer };
}

// A layer's name and activation, and a slot for what it shows now: above its column, or at the
// left above its row.
function layerHeader(svg, l, lines, g) {
  const h = g.header;
  if (g.vertical) {
    const y = g.layerAt(l) - g.pill.height / 2 - g.lead(l) - h * 0.7;
    svgEl("text", { x: h * 0.4, y, "font-size": h * 0.9, "font-weight": "bold" }, svg)
      .textContent = lines.filter(Boolean).join(" · ");
    return new Live(svgEl("text", { x: g.width - h * 0.4, y, "text-anchor": "end", "font-size": h * 0.85,
      class: "muted" }, svg));
  }
  lines.forEach((line, i) => {
    svgEl("text", { x: g.layerAt(l), y: h * (1.05 + 1.05 * i), "text-anchor": "middle", "font-size": h,
      "font-weight": i ? "normal" : "bold" }, svg).textContent = line;
  });
  return new Live(svgEl("text", { x: g.layerAt(l), y: h * 3.15, "text-anchor": "middle", "font-size": h * 0.9,
    class: "muted" }, svg));
}

// An edge per weight, in a band per layer (large networks keep weights out of the Tab order: the
// arrow keys reach them), small bands with a number on each edge.
function buildEdges(svg, sizes, large, g) {
  const edges = [];
  const weights = [null];
  const bandLabels = [null];
  const labelLayer = svgEl("g", { class: "edge-labels" });
  for (let l = 1; l <= g.L; l += 1) {
    const band = svgEl("g", { class: "band", "data-band": l }, svg);
    // Halfway along the band's edges, from where they leave layer l - 1 to where they arrive.
    const [from, to] = [g.out(l - 1, 0), g.in(l, 0)];
    const middle = g.vertical ? (from.y + to.y) / 2 : (from.x + to.x) / 2;
    bandLabels.push(new Live(svgEl("text", g.vertical
      ? { x: g.width - g.header * 0.4, y: middle, "text-anchor": "end", "font-size": g.header * 0.8, class: "muted" }
      : { x: middle, y: g.height - g.header * 0.6, "text-anchor": "middle", "font-size": g.header * 0.9, class: "muted" },
    svg)));
    const labelled = labelledBand(g, sizes[l] * sizes[l - 1]);
    weights.push(Array.from({ length: sizes[l] }, (_, j) => Array.from({ length: sizes[l - 1] }, (_, k) => {
      const from = g.out(l - 1, k);
      const to = g.in(l, j);
      const ends = { x1: from.x, y1: from.y, x2: to.x, y2: to.y };
      const line = svgEl("line", { ...ends, class: "weight", "data-weight": `${l}-${j}-${k}`, role: "button",
        tabindex: large ? "-1" : "0", pathLength: 100, "stroke-linecap": "round" }, band);
      const edge = { l, j, k, ...ends, line: new Live(line), strength: 0, label: null };
      edges.push(edge);
      return edge;
    })));
    if (labelled) labelBand(labelLayer, weights[l], g);
  }
  return { edges, weights, bandLabels, labelLayer };
}

// Where a band's edge numbers go (placeBandLabels), at the diagram's number size.
export const bandLabelPlaces = (edges, g) => placeBandLabels(edges, 0.62 * g.font, DIGIT_EM * NUMBER_CHARS);

// Whether a band gets a number on each edge: a small band, in a diagram with room for numbers.
export const labelledBand = (g, edgeCount) => g.withText && edgeCount <= 16;

// An edge's widest stroke: thick enough to read a magnitude, thin beside a small pill.
export const maxEdgeWidth = (g) => clamp(g.pill.height * 0.22, 1.5, 9);

function labelBand(layer, band, g) {
  const edges = band.flat();
  const places = bandLabelPlaces(edges, g);
  if (!places) return;
  edges.forEach((edge, i) => {
    const { x, y, angle, size } = places[i];
    const turn = angle ? { transform: `rotate(${angle.toFixed(2)} ${x.toFixed(1)} ${y.toFixed(1)})` } : {};
    edge.label = new Live(svgEl("text", { x, y, "text-anchor": "middle", "dominant-baseline": "central",
      "font-size": size, class: "edge-label", "data-label-of": `${edge.l}-${edge.j}-${edge.k}`, ...turn }, layer));
  });
}

// The loss box, joined to each output by a dashed line with its target beside it.
function buildLoss(svg, sizes, g) {
  const { x, y, width, height } = g.loss;
  const group = svgEl("g", { class: "loss", "data-loss": "C" }, svg);
  const targets = [];
  const entry = lossEntry(g);
  for (let j = 0; j < sizes[g.L]; j += 1) {
    const out = g.out(g.L, j);
    svgEl("line", { x1: out.x, y1: out.y, x2: entry.x, y2: entry.y, stroke: "#bbbbbb", "stroke-dasharray": "3 3" }, group);
    if (g.withText) {
      const { x: cx, y: cy } = g.at(g.L, j);
      targets.push(new Live(svgEl("text", { x: cx + g.pill.width / 2 + 5, y: cy - g.pill.height / 2 - 4,
        "font-size": g.header * 0.85, class: "muted" }, group)));
    }
  }
  svgEl("rect", { x: x - width / 2, y: y - height / 2, width, height, rx: 8, class: "box", fill: "#ffffff",
    stroke: "#555555" }, group);
  const text = new Live(svgEl("text", { x, y: y - height * 0.05, "text-anchor": "middle",
    "font-size": Math.min(g.font * 1.05, width / 6), "font-weight": "bold" }, group));
  const sample = new Live(svgEl("text", { x, y: y + height * 0.32, "text-anchor": "middle",
    "font-size": g.header * 0.8, class: "muted" }, group));
  return { loss: { group: new Live(group), text, sample, entry }, targets };
}

function buildNeurons(layer, sizes, g) {
  const { width: w, height: h } = g.pill;
  return sizes.map((n, l) => Array.from({ length: n }, (_, j) => {
    const { x, y } = g.at(l, j);
    const group = svgEl("g", { class: "neuron", "data-neuron": `${l}-${j}`, role: "button", tabindex: "0" }, layer);
    const shape = svgEl("rect", { class: "pill", x: x - w / 2, y: y - h / 2, width: w, height: h, rx: h / 2 }, group);
    if (g.withSymbols) {
      svgEl("text", { x, y: y - h / 2 - g.header * 0.3, "text-anchor": "middle",
        "font-size": g.header * 0.85, class: "neuron-symbol" }, group).textContent = neuronSymbol(l, j);
    }
    const value = g.withText ? new Live(svgEl("text", { x, y: y + g.font * 0.36,
      "text-anchor": "middle", "font-size": g.font.toFixed(1), class: "neuron-value" }, group)) : null;
    return Object.assign(new Live(group), { shape: new Live(shape), value, cx: x, cy: y,
      map: mapSlot(group, g.mapBox(l, j), `${l}-${j}`) });
  }));
}

// A map's place in its neuron: an empty square until the map arrives (an <image> the map painter
// fills), and the marks of the sample shown: a ring on a plane, a line across a curve.
function mapSlot(group, box, id) {
  if (!box) return null;
  const { x, y, size } = box;
  svgEl("rect", { class: "map-slot", x, y, width: size, height: size }, group);
  const image = svgEl("image", { class: "neuron-map", "data-map": id, x, y, width: size, height: size,
    preserveAspectRatio: "none" }, group);
  // Hidden marks still count in the neuron's box: they start inside the map.
  const ring = svgEl("circle", { class: "map-ring", cx: x + size / 2, cy: y + size / 2, r: clamp(size * 0.07, 3, 9),
    visibility: "hidden" }, group);
  const mark = svgEl("line", { class: "map-mark", x1: x + size / 2, x2: x + size / 2, y1: y, y2: y + size,
    visibility: "hidden" }, group);
  return { box, image: new Live(image), ring: new Live(ring), mark: new Live(mark), key: "" };
}

// Bias badges at each pill's lower right, each with a hit area of at least TOUCH px.
function buildBiases(layer, sizes, large, g) {
  return sizes.map((n, l) => (l === 0 ? [] : Array.from({ length: n }, (_, j) => {
    const group = svgEl("g", { class: "bias", "data-bias": `${l}-${j}`, role: "button", tabindex: large ? "-1" : "0" },
      layer);
    const { x: cx, y: cy, size, hit } = g.bias(l, j);
    svgEl("rect", { class: "hit", x: cx - hit / 2, y: cy - hit / 2, width: hit, height: hit, fill: "transparent" }, group);
    const rect = svgEl("rect", { class: "badge", x: cx - size / 2, y: cy - size / 2, width: size, height: size,
      rx: 2, stroke: "#555555", "stroke-width": 1 }, group);
    return Object.assign(new Live(group), { rect: new Live(rect) });
  })));
}

// Every part of the diagram for a network of `sizes` with these activations, in a canvas of
// width × height px, with a slot for each computing neuron's map if `withMaps`.
export function build(sizes, activations, large, width, height, withMaps = false) {
  const g = geometry(sizes, width, height, withMaps);
  const { svg, headers, headerLayer } = buildFrame(sizes, activations, large, g);
  const halos = svgEl("g", { class: "halos" }, svg);
  const { edges, weights, bandLabels, labelLayer } = buildEdges(svg, sizes, large, g);
  const haloWidth = clamp(g.rowSpace * 0.2, 5, 14);
  const hoverHalo = new Live(svgEl("line", { class: "halo hover", "stroke-width": haloWidth, visibility: "hidden" },
    halos));
  const { loss, targets } = buildLoss(svg, sizes, g);
  const neuronLayer = svgEl("g", { class: "neurons" }, svg);
  const neurons = buildNeurons(neuronLayer, sizes, g);
  const biases = buildBiases(neuronLayer, sizes, large, g);
  svg.append(labelLayer, headerLayer);
  // Moving things (the packets carrying numbers along the edges) run in a second SVG laid over
  // this one, in its own compositing layer: they repaint only themselves.
  const overlay = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, height,
    class: "motion-layer", "aria-hidden": "true" });
  return {
    svg, overlay, sizes, g, headers, bandLabels, weights, edges, neurons, biases, targets, loss,
    edgeOf: new Map(edges.map((edge) => [`${edge.l}-${edge.j}-${edge.k}`, edge])),
    halos, hoverHalo, haloWidth, painted: {}, selectionKey: "", marked: [],
    maxWidth: maxEdgeWidth(g),
  };
}
