// Painting the neuron diagram on a 2D canvas, for networks too large for an SVG element per edge:
// the same picture as the SVG view (neuron-paint.js) from the same plain data (neuron-model.js),
// colour for sign, width for size, the stage's parts outlined, the selection in green, numbers
// where they fit. Edges of one look are stroked as one path, so six thousand cost a few dozen
// strokes.

import { formatNumber } from "../core/format.js";
import { edgeColour, inkOn, intensity, signColour } from "../core/svg.js";
import { neuronSymbol } from "../trace/notation.js";
import { linksOf } from "../trace/selection.js";
import { neuronQuantity, paramQuantity } from "./neuron-model.js";
import { BAND_WORDS, edgeWidth, headerText } from "./neuron-paint.js";

const fmt = (value) => formatNumber(value, 3);
const INK = "#1b1b1b";
const MUTED = "#6b6b6b";
const DASHES = { grad: [8, 4], change: [2, 3], pending: [2, 5], solid: [] };

export const font = (size, style = "") => `${style} ${size.toFixed(1)}px system-ui, sans-serif`.trim();

// Text at (x, y) (its baseline), `options`: {size, align, weight, colour, halo (a white outline
// under it), maxWidth}.
export function text(ctx, words, x, y, options) {
  const { size, align = "center", weight = "", colour = INK, halo = false, maxWidth } = options;
  ctx.font = font(size, weight);
  ctx.textAlign = align;
  ctx.textBaseline = "alphabetic";
  if (halo) {
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 4;
    ctx.lineJoin = "round";
    ctx.strokeText(words, x, y, maxWidth);
  }
  ctx.fillStyle = colour;
  ctx.fillText(words, x, y, maxWidth);
}

function headers(ctx, parts, view) {
  const { g, sizes, activations } = parts;
  const h = g.header;
  sizes.forEach((n, l) => {
    const lines = l === 0 ? ["input"] : [l === g.L ? "output" : `layer ${l}`, activations[l - 1]];
    if (g.vertical) {
      const y = g.layerAt(l) - g.pill.height / 2 - g.lead(l) - h * 0.7;
      text(ctx, lines.join(" · "), h * 0.4, y, { size: h * 0.9, align: "left", weight: "bold" });
      text(ctx, headerText(view, l), g.width - h * 0.4, y, { size: h * 0.85, align: "right", colour: MUTED });
    } else {
      lines.forEach((line, i) => text(ctx, line, g.layerAt(l), h * (1.05 + 1.05 * i),
        { size: h, weight: i ? "" : "bold", halo: true }));
      text(ctx, headerText(view, l), g.layerAt(l), h * 3.15, { size: h * 0.9, colour: MUTED, halo: true });
    }
  });
}

function bandWords(ctx, parts, view) {
  const { g } = parts;
  for (let l = 1; l <= g.L; l += 1) {
    const mode = paramQuantity(view, "weight", l, 0, 0).mode;
    const [from, to] = [g.out(l - 1, 0), g.in(l, 0)];
    const words = BAND_WORDS[mode](l, view);
    if (g.vertical) text(ctx, words, g.width - g.header * 0.4, (from.y + to.y) / 2, { size: g.header * 0.8, align: "right", colour: MUTED });
    else text(ctx, words, (from.x + to.x) / 2, g.height - g.header * 0.6, { size: g.header * 0.9, colour: MUTED });
  }
}

// Green halos under the selected weight and the weights it links to.
function halos(ctx, parts, selection) {
  if (!selection) return;
  const width = Math.max(5, Math.min(14, parts.g.rowSpace * 0.2));
  const draw = (id, selected) => {
    const edge = parts.edgeOf.get(id);
    if (!edge) return;
    ctx.strokeStyle = selected ? "rgba(0,158,115,0.6)" : "rgba(0,158,115,0.3)";
    ctx.lineWidth = width * (selected ? 1.4 : 1);
    ctx.beginPath();
    ctx.moveTo(edge.x1, edge.y1);
    ctx.lineTo(edge.x2, edge.y2);
    ctx.stroke();
  };
  ctx.lineCap = "round";
  if (selection.kind === "weight") draw(`${selection.layer}-${selection.j}-${selection.k}`, true);
  linksOf(selection, parts.sizes).weights.forEach((id) => draw(id, false));
}

// Each edge's look (colour, width, dashes, opacity) from what it shows; edges that look alike
// go into one path.
function edges(ctx, parts, view, palette, marked) {
  const buckets = new Map();
  for (const edge of parts.edges) {
    const q = paramQuantity(view, "weight", edge.l, edge.j, edge.k);
    const strength = q.pending ? 0 : intensity(q.shown, q.scale);
    const colour = q.pending ? "#d0d0d0" : edgeColour(q.shown, palette);
    const dash = q.pending ? "pending" : q.mode === "gradient" ? "grad" : q.mode === "change" ? "change" : "solid";
    const alpha = view.active.weights.has(edge.l) || marked.has(`${edge.l}-${edge.j}-${edge.k}`) ? 1 : 0.4;
    const width = Math.round(4 * edgeWidth(parts.maxWidth, strength)) / 4;
    const key = `${colour}|${width}|${dash}|${alpha}`;
    if (!buckets.has(key)) buckets.set(key, { colour, width, dash, alpha, edges: [] });
    buckets.get(key).edges.push(edge);
  }
  ctx.lineCap = "round";
  for (const { colour, width, dash, alpha, edges: list } of buckets.values()) {
    ctx.strokeStyle = colour;
    ctx.globalAlpha = alpha;
    ctx.lineWidth = width;
    ctx.setLineDash(DASHES[dash]);
    ctx.beginPath();
    for (const edge of list) {
      ctx.moveTo(edge.x1, edge.y1);
      ctx.lineTo(edge.x2, edge.y2);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.setLineDash([]);
}

function edgeNumbers(ctx, parts, view) {
  parts.labels.forEach((places, l) => {
    if (!places) return;
    parts.edges.filter((edge) => edge.l === l).forEach((edge, i) => {
      const q = paramQuantity(view, "weight", l, edge.j, edge.k);
      if (q.pending) return;
      const { x, y, angle, size } = places[i];
      ctx.save();
      ctx.translate(x, y);
      ctx.rotate((angle * Math.PI) / 180);
      text(ctx, fmt(q.shown), 0, size * 0.35, { size, halo: true });
      ctx.restore();
    });
  });
}

// The outline a part gets: the selection's green over the stage's orange over the plain one.
function outline(ctx, state, large, pending) {
  const { selected, linked, active, dashed } = state;
  ctx.setLineDash(pending ? [2, 3] : dashed && !active && !selected ? [6, 3] : []);
  if (selected) [ctx.strokeStyle, ctx.lineWidth] = ["#009e73", large ? 3 : 4.5];
  else if (linked) [ctx.strokeStyle, ctx.lineWidth] = ["#009e73", 2.5];
  else if (active) [ctx.strokeStyle, ctx.lineWidth] = ["#e69f00", large ? 1.8 : 3.5];
  else [ctx.strokeStyle, ctx.lineWidth] = [pending ? "#bbbbbb" : "#555555", 1.2];
  ctx.stroke();
  ctx.setLineDash([]);
}

function marks(selection, sizes) {
  const links = linksOf(selection, sizes);
  const own = selection ? `${selection.layer}-${selection.j}` : "";
  return { links, own, kind: selection && selection.kind };
}

function neurons(ctx, parts, view, palette, large) {
  const { g } = parts;
  const { links, own, kind } = marks(view.selection, parts.sizes);
  const { width: w, height: h } = g.pill;
  parts.neurons.forEach((column, l) => column.forEach(({ j, cx, cy }) => {
    const q = neuronQuantity(view, l, j);
    const id = `${l}-${j}`;
    ctx.beginPath();
    ctx.roundRect(cx - w / 2, cy - h / 2, w, h, h / 2);
    ctx.fillStyle = q.pending ? "#ffffff" : signColour(q.shown, q.scale, palette);
    ctx.fill();
    outline(ctx, { selected: kind === "neuron" && own === id, linked: links.neurons.has(id),
      active: view.active.neurons.has(l), dashed: q.showsGradient }, large, q.pending);
    if (g.withSymbols) text(ctx, neuronSymbol(l, j), cx, cy - h / 2 - g.header * 0.3, { size: g.header * 0.85 });
    if (g.withText && !q.pending) {
      text(ctx, fmt(q.shown), cx, cy + g.font * 0.36, { size: g.font, colour: inkOn(q.shown, q.scale),
        weight: q.showsGradient ? "italic" : "", maxWidth: w - g.font * 0.5 });
    }
  }));
}

function biases(ctx, parts, view, palette, large) {
  const { links, own, kind } = marks(view.selection, parts.sizes);
  for (let l = 1; l <= parts.g.L; l += 1) {
    for (let j = 0; j < parts.sizes[l]; j += 1) {
      const q = paramQuantity(view, "bias", l, j);
      const { x, y, size } = parts.g.bias(l, j);
      ctx.beginPath();
      ctx.rect(x - size / 2, y - size / 2, size, size);
      ctx.fillStyle = q.pending ? "#ffffff" : signColour(q.shown, q.scale, palette);
      ctx.fill();
      const id = `${l}-${j}`;
      outline(ctx, { selected: kind === "bias" && own === id, linked: links.biases.has(id),
        active: view.active.biases.has(l) }, large, false);
    }
  }
}

function loss(ctx, parts, view) {
  const { g } = parts;
  const { x, y, width, height } = g.loss;
  const { entry } = parts.loss;
  ctx.globalAlpha = view.loss ? 1 : 0.4;
  ctx.setLineDash([3, 3]);
  ctx.strokeStyle = "#bbbbbb";
  ctx.lineWidth = 1;
  for (let j = 0; j < parts.sizes[g.L]; j += 1) {
    const out = g.out(g.L, j);
    ctx.beginPath();
    ctx.moveTo(out.x, out.y);
    ctx.lineTo(entry.x, entry.y);
    ctx.stroke();
    const at = g.at(g.L, j);
    if (g.withText && view.loss) {
      text(ctx, `y = ${fmt(view.loss.targets[view.sample][j])}`, at.x + g.pill.width / 2 + 5, at.y - g.pill.height / 2 - 4,
        { size: g.header * 0.85, align: "left", colour: MUTED });
    }
  }
  ctx.beginPath();
  ctx.roundRect(x - width / 2, y - height / 2, width, height, 8);
  ctx.fillStyle = "#ffffff";
  ctx.fill();
  outline(ctx, { active: view.active.loss }, false, false);
  const words = view.loss ? `C = ${fmt(view.trace.loss)}` : "C";
  text(ctx, words, x, y - height * 0.05, { size: Math.min(g.font * 1.05, width / 6), weight: "bold" });
  text(ctx, view.loss ? `sample ${view.sample + 1}: ${fmt(view.loss.per_sample_loss[view.sample])}` : "loss",
    x, y + height * 0.32, { size: g.header * 0.8, colour: MUTED });
  ctx.globalAlpha = 1;
}

// The whole diagram but its maps (canvas-maps.js) for the view of this stage.
export function paintDiagram(ctx, parts, view, palette, large) {
  const { width, height } = parts.g;
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);
  const selected = view.selection && view.selection.kind === "weight"
    ? `${view.selection.layer}-${view.selection.j}-${view.selection.k}` : "";
  const marked = new Set([selected, ...linksOf(view.selection, parts.sizes).weights]);
  halos(ctx, parts, view.selection);
  edges(ctx, parts, view, palette, marked);
  edgeNumbers(ctx, parts, view);
  loss(ctx, parts, view);
  neurons(ctx, parts, view, palette, large);
  biases(ctx, parts, view, palette, large);
  headers(ctx, parts, view);
  bandWords(ctx, parts, view);
}
