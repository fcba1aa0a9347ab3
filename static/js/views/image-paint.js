// Painting the image view for a step: grey pixels for the input, the palette's two colours for
// every signed quantity (weights, gradients, changes, the saliency, each neuron's value), bar
// lengths for the outputs, the headers, and the selection with what it links to. Only what
// changed since the last step is written (core/svg.js Live).

import { svgEl } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { signColour } from "../core/svg.js";
import { biasSymbol, weightSymbol } from "../trace/notation.js";
import { linksOf } from "../trace/selection.js";
import { layerWords } from "./image-model.js";
import { neuronLabel, paramLabel } from "./neuron-model.js";
import { fitText } from "./neuron-paint.js";
import { ink } from "./pixel-canvas.js";

const fmt = (value) => formatNumber(value, 3);
const PENDING = "#eeeeee";

// A part's title, squeezed into its room when it would run into the next part.
const title = (live, text) => fitText(live, text, live.size, live.room);

const place = (k, columns) => `row ${Math.floor(k / columns) + 1}, column ${(k % columns) + 1}`;

function paintInput(parts, view, palette) {
  const { x, saliency } = parts.input;
  const columns = view.image[1];
  title(x.header, `x: sample ${view.sample + 1} of ${view.batch}`);
  x.cells.forEach((cell, k) => {
    cell.attr("fill", ink(view.pixels[k]));
    cell.attr("aria-label", `pixel x${k + 1} (${place(k, columns)}) = ${fmt(view.pixels[k])}`);
  });
  const s = view.saliency;
  title(saliency.header, s ? "∂C/∂x (saliency)" : `∂C/∂x: at ${view.trace.stages.at(-2).tag}`);
  saliency.cells.forEach((cell, k) => {
    cell.attr("fill", s ? signColour(s.values[k], s.scale, palette) : PENDING);
    cell.attr("aria-label", s ? `∂C/∂x${k + 1} (${place(k, columns)}) = ${fmt(s.values[k])}`
      : `∂C/∂x${k + 1}: not computed yet`);
  });
}

function paintParam(live, q, scale, label, palette) {
  live.attr("fill", q.pending ? PENDING : signColour(q.shown, scale, palette));
  live.attr("aria-label", label);
}

function paintNeuron(live, view, l, j, palette) {
  const q = view.neurons[l][j];
  live.attr("fill", q.pending ? "#ffffff" : signColour(q.shown, q.scale, palette));
  live.cls("grad", Boolean(q.showsGradient));
  live.attr("aria-label", neuronLabel(l, j, q, view.sample));
}

function paintTiles(parts, view, palette) {
  const layer = view.layers[1];
  const columns = view.image[1];
  title(parts.tiles.title, `${view.active.weights.has(1) ? "▶ " : ""}layer 1: ${layerWords(view, 1)} per neuron`);
  parts.tiles.tiles.forEach((tile, j) => {
    tile.cells.forEach((cell, k) => paintParam(cell, layer.rows[j][k], layer.scale,
      `${paramLabel("weight", weightSymbol(1, j, k), layer.rows[j][k])}; pixel ${place(k, columns)}`, palette));
    paintNeuron(tile.chip, view, 1, j, palette);
    paintParam(tile.bias, layer.biases[j], layer.biasScale, paramLabel("bias", biasSymbol(1, j), layer.biases[j]), palette);
  });
}

// An output bar: its length the output's value (a probability, for softmax), its label the value.
function paintBar(row, view, j) {
  const { values, target, predicted } = view.output;
  const value = values ? values[j] : null;
  const share = value === null ? 0 : Math.max(0, Math.min(1, Math.abs(value)));
  row.bar.attr("width", (share * row.length).toFixed(1));
  row.bar.cls("predicted", values !== null && j === predicted);
  row.label.cls("target", j === target);
  row.value.text(values ? `${fmt(value)}${j === target ? " ✓" : ""}` : j === target ? "✓" : "");
}

function paintLayer(parts, view, l, palette) {
  const part = parts.layers[l];
  const layer = view.layers[l];
  const active = view.active.weights.has(l) || (part.output && view.active.loss);
  title(part.title, `${active ? "▶ " : ""}${part.output ? "output" : `layer ${l}`}: ${layerWords(view, l)}`
    + `${part.output && view.output.softmax ? ", probabilities" : ""}`);
  part.cells.forEach((row, j) => row.forEach((cell, k) => paintParam(cell, layer.rows[j][k], layer.scale,
    paramLabel("weight", weightSymbol(l, j, k), layer.rows[j][k]), palette)));
  part.rows.forEach((row, j) => {
    paintNeuron(row.chip, view, l, j, palette);
    paintParam(row.bias, layer.biases[j], layer.biasScale, paramLabel("bias", biasSymbol(l, j), layer.biases[j]), palette);
    if (row.bar) paintBar(row, view, j);
  });
  if (part.loss) {
    const { loss } = view.output;
    part.loss.text(loss ? `C = ${fmt(loss.batch)} over the batch; this sample's ${fmt(loss.own)}` : "C: at the loss stage");
  }
}

// Values change with the trace, stage, sample or edge mode; the selection only moves marks.
export function paint(parts, view, palette) {
  const key = `${view.stageAt}:${view.sample}:${view.eventKey}:${view.edges}`;
  if (parts.painted.trace === view.trace && parts.painted.key === key) return;
  paintInput(parts, view, palette);
  paintTiles(parts, view, palette);
  for (let l = 2; l < view.sizes.length; l += 1) paintLayer(parts, view, l, palette);
  parts.painted = { trace: view.trace, key };
}

// An outline over each element the selection marks: "selected" on it, "linked" on what it links
// to (a pixel's weight in every image, a weight's pixel and neuron), drawn on top of the grid.
export function paintSelection(parts, selection) {
  const key = JSON.stringify(selection || null);
  if (key === parts.selectionKey) return;
  parts.selectionKey = key;
  if (parts.marks) parts.marks.remove();
  parts.marks = svgEl("g", { class: "marks", "aria-hidden": "true" }, parts.svg);
  if (!selection) return;
  const outline = (selector, cls) => {
    for (const node of parts.svg.querySelectorAll(selector)) {
      svgEl("rect", { x: node.getAttribute("x"), y: node.getAttribute("y"), width: node.getAttribute("width"),
        height: node.getAttribute("height"), class: `mark mark-${cls}` }, parts.marks);
    }
  };
  const { kind, layer: l, j, k } = selection;
  const name = { weight: "data-weight", bias: "data-bias", neuron: "data-neuron" }[kind];
  outline(`.cell[${name}="${kind === "weight" ? `${l}-${j}-${k}` : `${l}-${j}`}"], .chip[${name}="${l}-${j}"]`, "selected");
  const links = linksOf(selection, parts.sizes);
  for (const id of links.neurons) outline(`.cell[data-neuron="${id}"], .chip[data-neuron="${id}"]`, "linked");
  for (const id of links.weights) outline(`.cell[data-weight="${id}"]`, "linked");
  for (const id of links.biases) outline(`.chip[data-bias="${id}"]`, "linked");
}
