// Lesson widget: an expression's graph, stepped forward then backward with the API's events.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { createExpressionGraph } from "./expression-graph.js";
import { stepDetail, stepTitle } from "./expression-detail.js";
import { parseValues, programText, readResult, stateAt, variablesOf } from "./expression-model.js";
import { isAbort } from "../core/api.js";
import { createStepControls } from "./step-controls.js";

// Each example: its text, and its label when the text is a program of several lines.
const EXAMPLES = [
  { text: "x*y + x" }, { text: "max(x, y)" }, { text: "(x + y) * z" }, { text: "sigmoid(w*x + b)" },
  { label: "program: c = a + b; c += c + 1", text: "a = -4.0\nb = 2.0\nc = a + b\nc += c + 1\nd = c * b" },
];
const DEFAULT_VALUE = "1";
const MAX_ROWS = 12;

// The text box grows with the program, up to MAX_ROWS lines.
function fitRows(input) {
  input.rows = Math.min(MAX_ROWS, Math.max(1, input.value.split("\n").length));
}

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

// The form, the error line and the stepped result, laid out in `element`.
function buildUi(element, options, context, typed, handlers) {
  const ui = {
    input: el("textarea", { class: "expression-input", spellcheck: "false", autocomplete: "off", rows: 1,
      "aria-label": "Expression, or a program of lines name = expression", "data-testid": "expression-input" }),
    values: el("div", { class: "value-fields" }),
    evaluate: el("button", { type: "submit", class: "primary", "data-testid": "evaluate", text: "Evaluate" }),
    error: el("p", { class: "widget-error", role: "alert", "data-testid": "widget-error", hidden: true }),
    title: el("p", { class: "step-title", "aria-live": "polite", "data-testid": "step-title" }),
    canvas: el("div", { class: "graph-canvas" }),
    detail: el("div", { class: "step-detail", "data-testid": "step-detail" }),
    table: el("div", { class: "gradient-box" }),
    stepper: createStepControls(element, { label: "Step through the graph", testid: "step", onMove: handlers.show }),
  };
  ui.input.value = programText(options.program) || options.expression || EXAMPLES[0].text;
  fitRows(ui.input);
  const examples = EXAMPLES.map(({ text, label }) => {
    const button = el("button", { type: "button", class: "example", "data-testid": "example", text: label || text });
    button.addEventListener("click", () => {
      ui.input.value = text;
      fitRows(ui.input);
      valueFields(ui.values, variablesOf(text), typed);
      handlers.run();
    });
    return button;
  });
  ui.form = el("form", { class: "expression-form" },
    el("label", { class: "expression-label" }, "Expression or program ", ui.input),
    el("p", { class: "muted field-note", text: "One expression, or lines of name = expression (the last line is "
      + "the output). Ctrl+Enter evaluates." }),
    el("div", { class: "examples" }, el("span", { class: "muted", text: "Try: " }), ...examples),
    el("div", { class: "values-row" }, ui.values, ui.evaluate));
  ui.result = el("div", { class: "expression-result", hidden: true },
    ui.stepper.element, ui.title, ui.canvas, el("div", { class: "detail-row" }, ui.detail, ui.table));
  element.classList.add("expression-widget");
  element.classList.toggle("present", Boolean(context.present));
  element.replaceChildren(ui.form, ui.error, ui.result);
  return ui;
}

// The request body for the typed expression and values, or a message naming the bad value.
function requestBody(text, typed) {
  const body = { expression: text, values: {} };
  for (const name of variablesOf(text)) {
    const value = (typed[name] ?? DEFAULT_VALUE).trim();
    if (value === "" || !Number.isFinite(Number(value))) return { problem: `values.${name}: enter a number for ${name}.` };
    body.values[name] = Number(value);
  }
  return { body };
}

// Options (strings): expression, or program (its lines separated by ";"), and values as
// "x=2,y=3" (a variable with no value starts at 1).
export function mount(element, options, context) {
  const typed = parseValues(options.values);
  const shown = { model: null, graph: null, controller: null };
  const show = (index) => {
    shown.graph.paint(stateAt(shown.model, index));
    ui.title.textContent = stepTitle(shown.model, index);
    ui.detail.replaceChildren(...stepDetail(shown.model, shown.model.steps[index]));
    ui.table.replaceChildren(gradientTable(shown.model, index));
  };
  const fail = (message) => {
    ui.error.textContent = message;
    ui.error.hidden = false;
  };
  const run = async () => {
    const { body, problem } = requestBody(ui.input.value, typed);
    if (problem) return fail(problem);
    if (shown.controller) shown.controller.abort();
    const mine = new AbortController();
    shown.controller = mine;
    ui.evaluate.disabled = true;
    try {
      const data = await context.api.post("/api/v1/expressions", body, mine.signal);
      ui.error.hidden = true;
      shown.model = readResult(data);
      shown.graph = createExpressionGraph(shown.model);
      ui.canvas.replaceChildren(shown.graph.svg);
      ui.result.hidden = false;
      ui.stepper.reset(shown.model.steps.length);
      show(0);
    } catch (error) {
      if (isAbort(error)) return undefined;
      fail(error.message);
      ui.result.hidden = true;
      ui.stepper.reset(1);
    } finally {
      if (shown.controller === mine) ui.evaluate.disabled = false;
    }
    return undefined;
  };
  const ui = buildUi(element, options, context, typed, { show, run });
  ui.input.addEventListener("input", () => {
    fitRows(ui.input);
    valueFields(ui.values, variablesOf(ui.input.value), typed);
  });
  ui.input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    run();
  });
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  valueFields(ui.values, variablesOf(ui.input.value), typed);
  run();
}
