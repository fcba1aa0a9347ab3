// Painting the neuron diagram for a step: each neuron's and weight's current quantity as colour,
// width and number, the layer headers, the loss box, and the selection with what it links to.
// Only what changed since the last step is written (see core/svg.js Live).

import { formatNumber } from "../core/format.js";
import { svgEl } from "../core/dom.js";
import { edgeColour, inkOn, intensity, signColour } from "../core/svg.js";
import { biasSymbol, sup, weightSymbol } from "../trace/notation.js";
import { linksOf } from "../trace/selection.js";
import { neuronLabel, neuronQuantity, paramLabel, paramQuantity, steppedBy } from "./neuron-model.js";

const fmt = (value) => formatNumber(value, 3);

// Values change with the trace, stage, sample, event or edge mode; the selection only moves a
// few classes.
export function paint(parts, view, palette) {
  const key = `${view.stageAt}:${view.sample}:${view.eventKey}:${view.edges}`;
  if (parts.painted.trace !== view.trace || parts.painted.key !== key) {
    paintValues(parts, view, palette);
    parts.painted = { trace: view.trace, key };
  }
  paintSelection(parts, view.selection);
}

function paintValues(parts, view, palette) {
  paintNeurons(parts, view, palette);
  paintParams(parts, view, palette);
  const { sample, trace } = view;
  parts.loss.group.cls("active", view.active.loss);
  parts.loss.group.cls("pending", !view.loss);
  parts.loss.text.text(view.loss ? `C = ${fmt(trace.loss)}` : "C");
  parts.loss.sample.text(view.loss ? `sample ${sample + 1}: ${fmt(view.loss.per_sample_loss[sample])}` : "loss");
  parts.targets.forEach((text, j) => text.text(view.loss ? `y = ${fmt(view.loss.targets[sample][j])}` : ""));
}

// A number written into a box `room` px wide: squeezed to fit when it would overflow (a long
// exponent form), never spilling out of its pill.
export function fitText(live, text, fontSize, room) {
  live.text(text);
  const wide = text.length * 0.6 * fontSize > room;
  live.attr("textLength", wide ? room.toFixed(1) : null);
  live.attr("lengthAdjust", wide ? "spacingAndGlyphs" : null);
}

// What a layer's header says it shows now.
export function headerText(view, l) {
  if (l === 0) return "x (inputs)";
  if (view.backward[l]) return `δ${sup(l)} = ∂C/∂z${sup(l)}`;
  if (l === view.L && view.loss) return `∂C/∂a${sup(l)}`;
  return view.forward[l] ? `a${sup(l)}` : "not yet computed";
}

// Each neuron's latest quantity as its fill and number, each layer's as its header.
function paintNeurons(parts, view, palette) {
  const { sizes, active, sample } = view;
  const room = parts.g.pill.width - parts.g.font * 0.5;
  sizes.forEach((n, l) => {
    parts.headers[l].text(headerText(view, l));
    for (let j = 0; j < n; j += 1) {
      const item = parts.neurons[l][j];
      const q = neuronQuantity(view, l, j);
      item.cls("active", active.neurons.has(l));
      item.cls("pending", Boolean(q.pending));
      item.cls("grad", Boolean(q.showsGradient));
      item.shape.attr("fill", q.pending ? "#ffffff" : signColour(q.shown, q.scale, palette));
      if (item.value) {
        fitText(item.value, q.pending ? "" : fmt(q.shown), parts.g.font, room);
        item.value.style("fill", q.pending ? "#1b1b1b" : inkOn(q.shown, q.scale));
      }
      item.attr("aria-label", neuronLabel(l, j, q, sample));
    }
  });
}

export const BAND_WORDS = { weight: (l, view) => (view.update ? `new W${sup(l)}` : `W${sup(l)}`),
  gradient: (l) => `∂C/∂W${sup(l)}`,
  change: (l, view) => (steppedBy(view.trace) ? `ΔW${sup(l)}, the step ${steppedBy(view.trace)} takes`
    : `ΔW${sup(l)} = −η ∂C/∂W${sup(l)}`) };

// An edge's stroke width for its strength (|value| / scale, from 0 to 1).
export const edgeWidth = (maxWidth, strength) => 0.75 + (maxWidth - 0.75) * strength;

function paintEdge(parts, edge, q, active, palette) {
  edge.strength = q.pending ? 0 : intensity(q.shown, q.scale);
  edge.line.attr("stroke", q.pending ? "#d0d0d0" : edgeColour(q.shown, palette));
  edge.line.attr("stroke-width", edgeWidth(parts.maxWidth, edge.strength).toFixed(2));
  edge.line.cls("active", active);
  edge.line.cls("dim", !active);
  edge.line.cls("grad", q.mode === "gradient" && !q.pending);
  edge.line.cls("change", q.mode === "change" && !q.pending);
  edge.line.cls("pending", Boolean(q.pending));
  if (edge.label) edge.label.text(q.pending ? "" : fmt(q.shown));
}

// Each weight's edge and each bias's badge: value, gradient or change, as the edge mode has it.
function paintParams(parts, view, palette) {
  const { sizes, L, active } = view;
  for (let l = 1; l <= L; l += 1) {
    const bandActive = active.weights.has(l);
    const mode = paramQuantity(view, "weight", l, 0, 0).mode;
    parts.bandLabels[l].text(BAND_WORDS[mode](l, view));
    for (let j = 0; j < sizes[l]; j += 1) {
      for (let k = 0; k < sizes[l - 1]; k += 1) {
        const q = paramQuantity(view, "weight", l, j, k);
        paintEdge(parts, parts.weights[l][j][k], q, bandActive, palette);
        parts.weights[l][j][k].line.attr("aria-label", paramLabel("weight", weightSymbol(l, j, k), q));
      }
      const bias = parts.biases[l][j];
      const q = paramQuantity(view, "bias", l, j);
      bias.rect.attr("fill", q.pending ? "#ffffff" : signColour(q.shown, q.scale, palette));
      bias.cls("active", active.biases.has(l));
      bias.attr("aria-label", paramLabel("bias", biasSymbol(l, j), q));
    }
  }
}

// "selected" on the selected element, "linked" on what it links to, and a soft green line
// under those weights; only the elements marked before and after a change are touched.
export function paintSelection(parts, selection) {
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
