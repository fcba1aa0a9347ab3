// The cost widget's gradient check: backprop against central differences (POST /api/v1/gradcheck).

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";

// A 2-3-1 network on four points: small enough to list every parameter.
const CHECK = {
  network: { layer_sizes: [2, 3, 1], activations: ["tanh", "sigmoid"], loss: "binary_cross_entropy" },
  inputs: [[0.5, -1], [1, 0.2], [-0.3, 0.8], [0, -0.6]],
  targets: [[1], [0], [1], [0]],
  seed: 1,
};

const cell = (value, digits = 6) => el("td", { class: "num", "data-value": String(value),
  text: formatNumber(value, digits) });

function rowsTable(rows) {
  return el("table", { class: "gradcheck-rows" },
    el("caption", { text: "Every parameter: one backward pass beside (C(p + h) − C(p − h)) / 2h" }),
    el("thead", {}, el("tr", {}, ...["parameter", "backprop", "differences", "relative error"]
      .map((text) => el("th", { scope: "col", text })))),
    el("tbody", {}, ...rows.map((row) => el("tr", { "data-name": row.name },
      el("th", { scope: "row" }, el("span", { class: "ident", text: row.name })),
      cell(row.backprop), cell(row.numerical), cell(row.relative_error, 2)))));
}

// A button and the place its answer goes; `api` is the page's API client.
export function createGradcheck(api, showError) {
  const button = el("button", { type: "button", "data-testid": "run-gradcheck", text: "Run a gradient check" });
  const answer = el("div", { class: "gradcheck-answer", "aria-live": "polite", "data-testid": "gradcheck-answer" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    answer.replaceChildren(el("p", { class: "widget-status", text: "Checking…" }));
    try {
      const check = await api.gradcheck(CHECK);
      const worst = el("strong", { "data-testid": "max-relative-error", "data-value": String(check.max_relative_error),
        text: formatNumber(check.max_relative_error, 2) });
      answer.replaceChildren(
        el("p", {}, `A ${CHECK.network.layer_sizes.join("-")} network with ${check.parameter_count} parameters: `,
          `backprop's gradient and central differences (${check.passes} forward passes) differ by a relative error of at most `,
          worst, "."),
        el("details", {}, el("summary", { text: "Every parameter" }), rowsTable(check.rows)));
    } catch (problem) {
      answer.replaceChildren();
      showError(problem.message);
    } finally {
      button.disabled = false;
    }
  });
  return el("div", { class: "gradcheck-box" },
    el("h3", { class: "widget-heading", text: "Do the three methods agree?" }), button, answer);
}
