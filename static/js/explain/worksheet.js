// A printable worksheet for one iteration: what is given (the data, the parameters, the rate),
// then every quantity to work out by hand with a blank box per number (forward: z and a per
// layer; the loss; backward: δ, ∂C/∂W, ∂C/∂b per layer; the update), and an answer key on a
// page of its own with the engine's numbers in the same places.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { findStage } from "../trace/model.js";
import { sup } from "../trace/notation.js";

const matrix = (value) => (Array.isArray(value[0]) ? value : [value]);

// A table of numbers, or of blank boxes when `blank`; rows and columns numbered from 1.
function numberTable(caption, value, blank, rowName) {
  const rows = matrix(value);
  return el("table", { class: "numbers" },
    el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, el("th", { text: "" }),
      ...rows[0].map((_, c) => el("th", { scope: "col", text: String(c + 1) })))),
    el("tbody", {}, ...rows.map((row, r) => el("tr", {},
      el("th", { scope: "row", text: `${rowName} ${r + 1}` }),
      ...row.map((x) => el("td", { class: blank ? "blank" : "", text: blank ? "" : formatNumber(x) }))))));
}

function givenPart(trace, body) {
  const layers = trace.params_before.weights.map((w, i) => [
    numberTable(`W${sup(i + 1)}`, w, false, "row"), numberTable(`b${sup(i + 1)}`, trace.params_before.biases[i], false, "")]);
  return el("section", { class: "part" }, el("h2", { text: "Given" }),
    el("p", { text: `Learning rate η = ${body.learning_rate}; a batch of N = ${body.inputs.length}; the loss is the mean over the batch.` }),
    el("div", { class: "tables" }, numberTable("inputs x (a⁰)", body.inputs, false, "sample"),
      numberTable("targets y", body.targets, false, "sample"), ...layers.flat()));
}

function forwardPart(trace, blank) {
  const stages = trace.stages.filter((s) => s.phase === "forward");
  return el("section", { class: "part" }, el("h2", { text: "1. Forward" }),
    el("p", { class: "formula", text: "zˡ = aˡ⁻¹ (Wˡ)ᵀ + bˡ,  aˡ = f(zˡ)" }),
    ...stages.map((s) => el("div", { class: "tables" },
      numberTable(`z${sup(s.layer)}`, s.pre_activation, blank, "sample"),
      numberTable(`a${sup(s.layer)} = ${s.activation_name}(z${sup(s.layer)})`, s.activation, blank, "sample"))));
}

function lossPart(trace, blank) {
  const stage = findStage(trace, "loss");
  return el("section", { class: "part" }, el("h2", { text: "2. Loss" }),
    el("p", { class: "formula" }, `C (${stage.loss_name.replace(/_/g, " ")}) = `,
      el("span", { class: blank ? "blank wide" : "answer", text: blank ? "" : formatNumber(stage.loss, 6) })));
}

function backwardPart(trace, blank) {
  const stages = trace.stages.filter((s) => s.phase === "backward");
  return el("section", { class: "part" }, el("h2", { text: "3. Backward" }),
    el("p", { class: "formula", text: "δᴸ = ∂C/∂zᴸ;  δˡ⁻¹ = f′(zˡ⁻¹) ⊙ δˡ Wˡ;  ∂C/∂Wˡ = (δˡ)ᵀ aˡ⁻¹;  ∂C/∂bˡ = Σ δˡ" }),
    ...stages.map((s) => el("div", { class: "tables" },
      numberTable(`δ${sup(s.layer)}`, s.delta, blank, "sample"),
      numberTable(`∂C/∂W${sup(s.layer)}`, s.grad_weights, blank, "row"),
      numberTable(`∂C/∂b${sup(s.layer)}`, s.grad_biases, blank, ""))));
}

function updatePart(trace, blank) {
  return el("section", { class: "part" }, el("h2", { text: "4. Update" }),
    el("p", { class: "formula", text: "Wˡ ← Wˡ − η ∂C/∂Wˡ,  bˡ ← bˡ − η ∂C/∂bˡ" }),
    ...trace.params_after.weights.map((w, i) => el("div", { class: "tables" },
      numberTable(`new W${sup(i + 1)}`, w, blank, "row"),
      numberTable(`new b${sup(i + 1)}`, trace.params_after.biases[i], blank, ""))));
}

function sheet(trace, blank) {
  return [forwardPart(trace, blank), lossPart(trace, blank), backwardPart(trace, blank), updatePart(trace, blank)];
}

// The worksheet and its answer key, for the iteration `trace` of request `body`.
export function buildWorksheet(trace, body, description) {
  return [
    el("header", { class: "sheet-head" }, el("h1", { text: "Backprop by hand: one iteration" }),
      el("p", { text: description }), el("p", { class: "name-line", text: "Name: ______________________" })),
    givenPart(trace, body), ...sheet(trace, true),
    el("section", { class: "answer-key", "data-testid": "answer-key" },
      el("h1", { text: "Answer key" }), el("p", { text: description }), ...sheet(trace, false)),
  ];
}
