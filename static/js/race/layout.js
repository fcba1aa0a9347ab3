// The race's parts as elements, built once: the bar (Start, Pause, Reset, the run's length),
// the status line, the two figures (the curves with the results as their legend, the surface
// with the pair of parameters it spans and its caption) and the optimisers' cards.

import { el, uid } from "../core/dom.js";
import { numberField } from "../core/fields.js";

function figure(caption, testid, ...extra) {
  const plot = el("div", { class: "plot race-plot", "data-testid": testid });
  return { plot, element: el("figure", { class: "race-figure" }, el("figcaption", { text: caption }), ...extra, plot) };
}

function pairSelects() {
  const select = (axis) => {
    const id = uid("race-pair");
    const element = el("select", { id, "data-testid": `race-pair-${axis}` });
    return { element, field: el("div", { class: "field" }, el("label", { for: id, text: `${axis} axis` }), element) };
  };
  const x = select("x");
  const y = select("y");
  return { x: x.element, y: y.element, element: el("div", { class: "race-pair-fields" }, x.field, y.field) };
}

// `length` is {value, max, onCommit} for the iterations field.
export function buildRaceLayout(root, length) {
  const ui = {
    start: el("button", { type: "button", class: "primary", text: "Start", "data-testid": "race-start" }),
    pause: el("button", { type: "button", text: "Pause", "data-testid": "race-pause", disabled: true }),
    reset: el("button", { type: "button", text: "Reset", "data-testid": "race-reset" }),
    length: numberField({ label: "Iterations per run", value: length.value, min: 1, max: length.max,
      step: 1, integer: true, testid: "race-iterations", onCommit: length.onCommit }),
    status: el("p", { class: "race-status", role: "status", "data-testid": "race-status" }),
    notice: el("p", { class: "race-notice", role: "alert", hidden: true, "data-testid": "race-notice" }),
    results: el("ol", { class: "race-results", "data-testid": "race-results", "aria-label": "The optimisers' costs" }),
    pair: pairSelects(),
    caption: el("p", { class: "race-caption", "data-testid": "race-surface-caption" }),
    cards: el("div", { class: "race-cards" }),
    links: el("p", { class: "race-links" }),
  };
  ui.curves = figure("Cost C after each iteration (log scale)", "race-curves", ui.results);
  ui.surface = figure("The loss surface, and the path of each optimiser", "race-surface", ui.pair.element);
  ui.surface.element.append(ui.caption);
  root.classList.add("bp-race");
  root.append(
    el("div", { class: "race-bar" }, ui.start, ui.pause, ui.reset, ui.length.element),
    ui.status, ui.notice,
    el("div", { class: "race-plots" }, ui.curves.element, ui.surface.element),
    el("h2", { class: "race-heading", text: "The optimisers" }),
    ui.cards, ui.links);
  return ui;
}
