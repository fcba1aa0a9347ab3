// The gradient check: backprop's dC/dp beside the central finite difference for every weight and
// bias of the current network, on the stepping batch (POST /api/v1/gradcheck).

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";

const THRESHOLD = 1e-6;

const error = (value) => (value === null ? "∞" : value.toExponential(1));

function table(result) {
  const worst = result.rows.reduce((best, row, i, rows) => {
    const value = row.relative_error === null ? Infinity : row.relative_error;
    const bestValue = rows[best].relative_error === null ? Infinity : rows[best].relative_error;
    return value > bestValue ? i : best;
  }, 0);
  const head = el("tr", {}, ...["parameter", "backprop", "numerical estimate", "relative error"]
    .map((text) => el("th", { scope: "col", text })));
  const rows = result.rows.map((row, i) => el("tr", { class: i === worst ? "worst" : null },
    el("th", { scope: "row", text: row.name }),
    el("td", { text: formatNumber(row.backprop, 8) }),
    el("td", { text: formatNumber(row.numerical, 8) }),
    el("td", {}, error(row.relative_error), i === worst ? el("span", { class: "tag", text: " largest" }) : null)));
  return el("table", { class: "gradcheck-table", "data-testid": "gradcheck-table" },
    el("caption", { text: `${result.parameter_count} parameters, step h = ${result.step}` }),
    el("thead", {}, head), el("tbody", {}, ...rows));
}

function summaryText(result) {
  const worst = result.max_relative_error;
  const name = result.rows.find((row) => row.relative_error === worst);
  const where = name ? ` (${name.name})` : "";
  const verdict = worst !== null && worst < THRESHOLD
    ? `Passed: the largest relative error is ${error(worst)}${where}, below ${THRESHOLD.toExponential(0)}, so backprop `
      + "and finite differences agree."
    : `Failed: the largest relative error is ${error(worst)}${where}, above ${THRESHOLD.toExponential(0)}.`;
  return `${verdict} Finite differences took ${result.passes} forward passes (two per parameter); `
    + "backprop took one forward and one backward pass.";
}

export function mountGradcheck(root, store, services) {
  const run = el("button", { type: "button", text: "Check the gradient", "data-testid": "gradcheck-run" });
  const summary = el("p", { class: "gradcheck-summary", role: "status", "data-testid": "gradcheck-summary" });
  const note = el("p", { class: "field-note", hidden: true });
  const holder = el("div", { class: "table-scroll" });
  root.append(
    el("p", { class: "field-note", text: "Each parameter p is nudged both ways and the loss measured "
      + "twice: (C(p + h) − C(p − h)) / 2h. Backprop gets every one from a single backward pass. "
      + "The check uses the current weights and the stepping batch." }),
    run, summary, note, holder,
  );

  const check = async () => {
    const state = store.get();
    if (!state.dataset) return;
    const batch = services.batch(state);
    const body = { network: state.network, seed: state.seed, init: state.init, ...batch };
    if (state.params) body.params = state.params;
    if (state.l2) body.l2 = state.l2; // the cost the diagram's gradients are of
    run.disabled = true;
    summary.textContent = "Checking…";
    try {
      const result = await services.api.gradcheck(body);
      summary.textContent = summaryText(result);
      summary.dataset.verdict = result.max_relative_error !== null
        && result.max_relative_error < THRESHOLD ? "pass" : "fail";
      note.textContent = `Entries smaller than ${formatNumber(result.floor)} are compared on that scale, `
        + "the rounding level of the difference itself.";
      note.hidden = false;
      holder.replaceChildren(table(result));
    } catch (failure) {
      summary.textContent = `The check could not run: ${failure.message}`;
      delete summary.dataset.verdict;
    } finally {
      run.disabled = false;
    }
  };
  run.addEventListener("click", check);

  store.subscribe(["network", "params", "dataset", "seed", "init", "batchSize"], () => {
    if (!holder.firstChild) return;
    holder.replaceChildren();
    note.hidden = true;
    delete summary.dataset.verdict;
    summary.textContent = "The network, weights or batch changed: run the check again.";
  });
}
