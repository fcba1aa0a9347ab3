// Lesson widget: one gradient by reverse mode, forward mode and finite differences (POST /api/v1/cost).

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { createGradcheck } from "./cost-gradcheck.js";
import { METHODS, legend, plotCosts } from "./cost-plots.js";
import { isAbort } from "../core/api.js";

const integers = (text, fallback) => (text || fallback).split(",").map((part) => Number(part.trim()));

function requestFrom(options) {
  return {
    widths: integers(options.widths, "2,4,8,16"),
    depth: Number(options.depth || 2),
    batch: Number(options.batch || 16),
    seed: Number(options.seed || 0),
  };
}

const numberCell = (value, digits = 3) => el("td", { class: "num", "data-value": String(value),
  text: formatNumber(value, digits) });

function costTable(data) {
  const head = el("thead", {},
    el("tr", {}, el("th", { scope: "col", rowspan: 2, text: "layers" }), el("th", { scope: "col", rowspan: 2, text: "P" }),
      el("th", { scope: "colgroup", colspan: 3, text: "passes" }),
      el("th", { scope: "colgroup", colspan: 3, text: "time ÷ one forward pass" }),
      el("th", { scope: "col", rowspan: 2, text: "max |diff|" })),
    el("tr", {}, ...[...METHODS, ...METHODS].map((m) => el("th", { scope: "col", text: m.short }))));
  const rows = data.rows.map((row) => el("tr", { "data-parameters": row.parameters },
    el("td", { class: "nowrap", text: row.layer_sizes.join("-") }),
    numberCell(row.parameters),
    ...METHODS.map((m) => numberCell(row[m.key].passes)),
    ...METHODS.map((m) => numberCell(row[m.key].ratio, 2)),
    numberCell(row.max_abs_difference, 2)));
  return [
    el("table", { class: "cost-table", "data-testid": "cost-table" }, head, el("tbody", {}, ...rows)),
    el("p", { class: "widget-note", text: `One gradient of a batch of ${data.batch} through ${data.depth} tanh hidden `
      + `layers; times are the best of ${data.repeats} repeats. max |diff| is the largest difference `
      + "between any two methods' gradient entries." })];
}

// Options (strings): widths ("2,4,8,16": one network 2 → w → … → 1 per width), depth, batch, seed.
export function mount(element, options, context) {
  const body = requestFrom(options);
  let controller = null;

  const again = el("button", { type: "button", "data-testid": "run-cost", text: "Measure again" });
  const status = el("p", { class: "widget-status", role: "status", "data-testid": "cost-status" });
  const error = el("p", { class: "widget-error", role: "alert", "data-testid": "widget-error", hidden: true });
  const passes = el("div", { class: "cost-plot", "data-testid": "passes-plot", role: "img",
    "aria-label": "Passes for one gradient against the parameter count, per method" });
  const time = el("div", { class: "cost-plot", "data-testid": "time-plot", role: "img",
    "aria-label": "Measured time for one gradient, in forward passes, against the parameter count, per method" });
  const table = el("div", { class: "cost-table-box" });
  const showError = (message) => {
    error.textContent = message;
    error.hidden = false;
  };

  element.classList.add("cost-widget");
  element.classList.toggle("present", Boolean(context.present));
  element.replaceChildren(
    el("p", { class: "widget-note" }, `Networks 2 → w → … → 1 with ${body.depth} hidden layers, for w = `,
      body.widths.join(", "), ". ", again),
    status, error, legend(el),
    el("div", { class: "cost-plots" },
      el("figure", {}, el("figcaption", { text: "Passes per gradient" }), passes),
      el("figure", {}, el("figcaption", { text: "Time per gradient, in forward passes" }), time)),
    table,
    createGradcheck(context.api, showError));

  async function run() {
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    again.disabled = true;
    status.textContent = "Measuring the three methods…";
    try {
      const data = await context.api.post("/api/v1/cost", body, mine.signal);
      error.hidden = true;
      table.replaceChildren(...costTable(data));
      await plotCosts(passes, time, data.rows);
      status.textContent = "";
    } catch (problem) {
      if (isAbort(problem)) return;
      status.textContent = "";
      showError(problem.message);
    } finally {
      if (controller === mine) again.disabled = false;
    }
  }

  again.addEventListener("click", run);
  run();
}
