// At the update made by an optimiser other than plain gradient descent, a callout on the
// diagram beside the weight (or bias) shown: the step it actually took and a plain gradient step
// −η g, as numbers and as bars of proportional length, so a learner sees momentum carry a weight
// on, or Adam take a step of about η whatever the gradient's size. Both numbers are the engine's
// (the update stage's param_step and gradient_step).

import { svgEl } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { Live } from "../core/svg.js";
import { steppedBy } from "./neuron-model.js";

const pick = (tree, at) => (at.kind === "bias" ? tree.biases[at.l - 1][at.j] : tree.weights[at.l - 1][at.j][at.k]);

// The parameter the callout is about: the selected weight or bias, else w^1_11 (as the stage
// panel's formulas).
function shownParameter(selection) {
  if (selection && selection.kind === "weight") return { kind: "weight", l: selection.layer, j: selection.j, k: selection.k };
  if (selection && selection.kind === "bias") return { kind: "bias", l: selection.layer, j: selection.j };
  return { kind: "weight", l: 1, j: 0, k: 0 };
}

function build(parts) {
  const group = svgEl("g", { class: "step-callout", "data-testid": "step-callout", visibility: "hidden" }, parts.svg);
  const size = Math.max(11, 0.5 * parts.g.font);
  const box = svgEl("rect", { rx: 4, fill: "#ffffff", stroke: "#555555", "stroke-width": 1 }, group);
  const rows = [0, 1].map((i) => ({
    label: new Live(svgEl("text", { "font-size": size, "dominant-baseline": "central" }, group)),
    bar: new Live(svgEl("rect", { height: size * 0.6 }, group)),
    y: size * (0.9 + 1.4 * i),
  }));
  return { group: new Live(group), box: new Live(box), rows, size };
}

// Where the callout goes: above the middle of the weight's edge (or above the bias's neuron),
// kept inside the canvas.
function anchor(parts, at) {
  if (at.kind === "bias") return parts.g.at(at.l, at.j);
  const edge = parts.edgeOf.get(`${at.l}-${at.j}-${at.k}`);
  return { x: (edge.x1 + edge.x2) / 2, y: (edge.y1 + edge.y2) / 2 };
}

export function paintStepCallout(parts, view, palette) {
  const update = view.update;
  const show = Boolean(update && update.quantities && steppedBy(view.trace));
  parts.callout = parts.callout || (show ? build(parts) : null);
  if (!parts.callout) return;
  const { group, box, rows, size } = parts.callout;
  group.attr("visibility", show ? "visible" : "hidden");
  if (!show) return;
  const at = shownParameter(view.selection);
  if (at.kind === "weight" && !parts.edgeOf.has(`${at.l}-${at.j}-${at.k}`)) return;
  const values = [pick(update.quantities.param_step, at), pick(update.quantities.gradient_step, at)];
  const texts = [`step taken ${formatNumber(values[0])}`, `−η g ${formatNumber(values[1])}`];
  const textWidth = 0.62 * size * Math.max(...texts.map((t) => t.length));
  const barRoom = 5 * size;
  const largest = Math.max(...values.map(Math.abs), 1e-300);
  const width = textWidth + barRoom + size;
  const height = size * 3.2;
  const { x, y } = anchor(parts, at);
  const left = Math.min(Math.max(2, x - width / 2), parts.g.width - width - 2);
  const top = Math.min(Math.max(2, y - height - size), parts.g.height - height - 2);
  box.attr("x", left);
  box.attr("y", top);
  box.attr("width", width);
  box.attr("height", height);
  rows.forEach((row, i) => {
    row.label.attr("x", left + size * 0.4);
    row.label.attr("y", top + row.y);
    row.label.text(texts[i]);
    const length = Math.max(1, (barRoom * Math.abs(values[i])) / largest);
    row.bar.attr("x", left + textWidth + size * 0.6);
    row.bar.attr("y", top + row.y - size * 0.3);
    row.bar.attr("width", length);
    row.bar.attr("fill", values[i] < 0 ? palette.negative : palette.positive);
    row.bar.attr("opacity", i === 0 ? 1 : 0.45);
  });
}
