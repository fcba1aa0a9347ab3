// Lesson widget: an expression's graph, stepped forward then backward with the API's events.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { createExpressionGraph } from "./expression-graph.js";
import { stepDetail, stepTitle } from "./expression-detail.js";
import { parseValues, readResult, stateAt, variablesOf } from "./expression-model.js";
import { isAbort } from "../core/api.js";
import { createStepControls } from "./step-controls.js";

const EXAMPLES = ["x*y + x", "max(x, y)", "(x + y) * z", "sigmoid(w*x + b)"];
const DEFAULT_VALUE = "1";

function valueFields(container, names, typed) {
  const fields = names.map((name) => {
    const input = el("input", { type: "number", step: "any", value: typed[name] ?? DEFAULT_VALUE,
      "data-testid": `value-${name}`, "data-variable": name, "aria-label": `value of ${name}` });
    input.addEventListener("input", () => { typed[name] = input.value; });
    return el("label", { class: "value-field" }, el("span", { class: "ident", text: name }), " = ", input);
  });
  container.replaceChildren(...(fields.length ? fields : [el("span", { class: "muted", text: "no variables" })]));
}

function gradientTable(model, index) {
  const { result } = model;
  const rows = result.variables.map((name) => {
    const node = result.graph.nodes.find((n) => n.role === "variable" && n.name === name);
    const known = model.gradStep.get(node.id) <= index;
    const value = result.events.forward.find((e) => e.node === node.id).value;
    const grad = result.gradients[name];
    return el("tr", { "data-variable": name },
      el("th", { scope: "row" }, el("span", { class: "ident", text: name })),
      el("td", { class: "num", "data-value": String(value), text: formatNumber(value) }),
      el("td", { class: "num", "data-role": "gradient", "data-value": known ? String(grad) : "",
        text: known ? formatNumber(grad) : "…" }));
  });
  return el("table", { class: "gradient-table", "data-testid": "gradient-table" },
    el("caption", {}, "∂out/∂variable (each appears when the backward pass reaches it; output = ",
      el("strong", { "data-testid": "output", "data-value": String(result.output), text: formatNumber(result.output) }), ")"),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "variable" }), el("th", { scope: "col", text: "value" }),
      el("th", { scope: "col", text: "∂out/∂variable" }))),
    el("tbody", {}, ...rows));
}

// Options (strings): expression, and values as "x=2,y=3" (a variable with no value starts at 1).
export function mount(element, options, context) {
  const typed = parseValues(options.values);
  let controller = null;
  let model = null;
  let graph = null;

  const input = el("input", { type: "text", class: "expression-input", value: options.expression || EXAMPLES[0],
    spellcheck: "false", autocomplete: "off", "data-testid": "expression-input" });
  const values = el("div", { class: "value-fields" });
  const evaluate = el("button", { type: "submit", class: "primary", "data-testid": "evaluate", text: "Evaluate" });
  const examples = EXAMPLES.map((text) => {
    const button = el("button", { type: "button", class: "example", "data-testid": "example", text });
    button.addEventListener("click", () => {
      input.value = text;
      valueFields(values, variablesOf(text), typed);
      run();
    });
    return button;
  });
  const form = el("form", { class: "expression-form" },
    el("label", { class: "expression-label" }, "Expression ", input),
    el("div", { class: "examples" }, el("span", { class: "muted", text: "Try: " }), ...examples),
    el("div", { class: "values-row" }, values, evaluate));
  const error = el("p", { class: "widget-error", role: "alert", "data-testid": "widget-error", hidden: true });
  const title = el("p", { class: "step-title", "aria-live": "polite", "data-testid": "step-title" });
  const canvas = el("div", { class: "graph-canvas" });
  const detail = el("div", { class: "step-detail", "data-testid": "step-detail" });
  const table = el("div", { class: "gradient-box" });
  const stepper = createStepControls(element, { label: "Step through the graph", testid: "step", onMove: show });
  const result = el("div", { class: "expression-result", hidden: true },
    stepper.element, title, canvas, el("div", { class: "detail-row" }, detail, table));

  element.classList.add("expression-widget");
  element.classList.toggle("present", Boolean(context.present));
  element.replaceChildren(form, error, result);

  function show(index) {
    graph.paint(stateAt(model, index));
    title.textContent = stepTitle(model, index);
    detail.replaceChildren(...stepDetail(model, model.steps[index]));
    table.replaceChildren(gradientTable(model, index));
  }

  async function run() {
    const names = variablesOf(input.value);
    const body = { expression: input.value, values: {} };
    for (const name of names) {
      const text = (typed[name] ?? DEFAULT_VALUE).trim();
      if (text === "" || !Number.isFinite(Number(text))) {
        error.textContent = `values.${name}: enter a number for ${name}.`;
        error.hidden = false;
        return;
      }
      body.values[name] = Number(text);
    }
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    evaluate.disabled = true;
    try {
      const data = await context.api.post("/api/v1/expressions", body, mine.signal);
      error.hidden = true;
      model = readResult(data);
      graph = createExpressionGraph(model);
      canvas.replaceChildren(graph.svg);
      result.hidden = false;
      stepper.reset(model.steps.length);
      show(0);
    } catch (problem) {
      if (isAbort(problem)) return;
      error.textContent = problem.message;
      error.hidden = false;
      result.hidden = true;
      stepper.reset(1);
    } finally {
      if (controller === mine) evaluate.disabled = false;
    }
  }

  input.addEventListener("input", () => valueFields(values, variablesOf(input.value), typed));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  valueFields(values, variablesOf(input.value), typed);
  run();
}
