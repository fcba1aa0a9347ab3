// Formulas on the page: the server's MathML with its empty number slots filled from the trace.

import { formatNumber } from "../core/format.js";

// Slots that hold an index or a count rather than a computed number.
const INDEX_SLOTS = new Set(["l", "j", "k", "prev", "next", "n"]);
const parsed = new Map();

// The MathML element for a formula, parsed once (it comes from our own server, never the user).
function mathFor(mathml) {
  if (!parsed.has(mathml)) {
    const template = document.createElement("template");
    template.innerHTML = mathml;
    parsed.set(mathml, template.content.firstElementChild);
  }
  return parsed.get(mathml).cloneNode(true);
}

// Put `formula`'s MathML into `container`, each slot showing values[slot] formatted; a slot with
// no value (undefined) shows a dash. Each filled slot keeps the raw number in data-value.
export function renderFormula(container, formula, values) {
  const math = mathFor(formula.mathml);
  for (const slot of math.querySelectorAll("[data-slot]")) {
    const name = slot.getAttribute("data-slot");
    const value = values[name];
    if (value === undefined) {
      slot.textContent = "—";
      slot.classList.add("slot-missing");
      continue;
    }
    slot.textContent = formatNumber(value);
    slot.setAttribute("data-value", String(value));
    if (!INDEX_SLOTS.has(name)) {
      slot.classList.add(value === null ? "slot-infinite" : value < 0 ? "slot-negative" : "slot-positive");
    }
  }
  container.replaceChildren(math);
  return container;
}

// A titled block holding one formula: `name` from the server's set, filled with `values`.
export function formulaBlock(formulas, name, values, note = "") {
  const block = document.createElement("div");
  block.className = "formula-block";
  block.dataset.formula = name;
  const title = document.createElement("p");
  title.className = "formula-title";
  title.textContent = formulas[name].title;
  const math = document.createElement("div");
  math.className = "formula-math";
  renderFormula(math, formulas[name], values);
  block.append(title, math);
  if (note) {
    const caption = document.createElement("p");
    caption.className = "formula-note";
    caption.textContent = note;
    block.append(caption);
  }
  return block;
}
