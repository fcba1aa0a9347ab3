// What the expression widget says about one step, with the API's numbers.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";

// How each operation's local derivative behaves, in words.
const RULES = {
  add: "Add: the local derivative is 1 for both inputs, so the gradient passes on unchanged.",
  subtract: "Subtract a − b: local derivative 1 for a and −1 for b.",
  multiply: "Multiply: the local derivative for one input is the value of the other input; the inputs swap.",
  divide: "Divide a / b: local derivative 1/b for a and −a/b² for b.",
  power: "Power a ** n: local derivative n·a^(n−1).",
  negate: "Negate: local derivative −1.",
  maximum: "Max: the larger input gets local derivative 1 and the other 0, so the whole gradient is routed to the larger one.",
  relu: "relu: local derivative 1 where the input is positive, 0 where it is not.",
  sigmoid: "sigmoid: local derivative σ(z)(1 − σ(z)), at most 0.25.",
  tanh: "tanh: local derivative 1 − tanh²(z).",
  exp: "exp: the local derivative is exp(z), the node's own value.",
  log: "log: local derivative 1/z.",
};

// A number in a cell or span that keeps the exact value for tests and screen readers' titles.
function number(tag, value, attributes = {}) {
  return el(tag, { ...attributes, class: `num${value < 0 ? " negative" : ""}`, "data-value": String(value),
    title: String(value), text: formatNumber(value) });
}

const code = (text) => el("span", { class: "ident", text });

function forwardDetail(model, step) {
  const node = model.nodes.get(step.node);
  if (node.role === "variable") {
    return [el("p", {}, "Forward: ", code(node.name), " is a variable; its value ", number("strong", step.event.value),
      " is given.")];
  }
  if (node.role === "constant") return [el("p", {}, "Forward: the constant ", number("strong", step.event.value), ".")];
  const inputs = model.inputs(node.id).map((id) => {
    const event = model.result.events.forward.find((e) => e.node === id);
    return [code(model.nodes.get(id).name), " = ", number("span", event.value)];
  });
  const listed = inputs.flatMap((parts, i) => (i ? [", ", ...parts] : parts));
  return [el("p", {}, "Forward: ", code(node.name), ` (${node.op}) takes `, ...listed, " and gives ",
    number("strong", step.event.value, { "data-testid": "forward-value" }), ".")];
}

function upstreamLine(model, node, event) {
  const upstream = number("strong", event.upstream, { "data-testid": "upstream" });
  if (event.received.length === 0) {
    return el("p", {}, "Backward starts at the output ", code(node.name), " with the seed gradient ",
      upstream, " (the output changes one for one with itself).");
  }
  if (event.received.length === 1) {
    const from = model.nodes.get(event.received[0].from).name;
    return el("p", {}, "Backward at ", code(node.name), ": its gradient ", upstream, " arrived from ", code(from), ".");
  }
  const terms = event.received.flatMap((r, i) => [i ? " + " : "",
    number("span", r.grad, { "data-from": r.from, title: `from ${model.nodes.get(r.from).name}` })]);
  return el("p", { class: "fanout", "data-testid": "fanout" }, "Backward at ", code(node.name),
    `: it is used ${event.received.length} times (fan-out), so the gradients its uses sent back are added: `,
    ...terms, " = ", upstream, ".");
}

function flowTable(model, step) {
  const rows = step.flows.map((flow) => el("tr", { "data-parent": flow.parent },
    el("th", { scope: "row" }, code(model.nodes.get(flow.parent).name)),
    number("td", step.event.upstream, { "data-role": "upstream" }),
    number("td", flow.local, { "data-role": "local" }),
    number("td", flow.sent, { "data-role": "sent" })));
  return el("table", { class: "flow-table", "data-testid": "flow-table" },
    el("caption", { text: "Sent to each input: upstream × local = sent" }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "input" }), el("th", { scope: "col", text: "upstream" }),
      el("th", { scope: "col", text: "× local" }), el("th", { scope: "col", text: "= sent" }))),
    el("tbody", {}, ...rows));
}

function backwardDetail(model, step) {
  const node = model.nodes.get(step.node);
  const parts = [upstreamLine(model, node, step.event)];
  if (node.role === "variable") {
    parts.push(el("p", {}, code(node.name), " is a variable, so nothing goes further back: ",
      `∂out/∂${node.name} = `, number("strong", step.event.upstream), " is one of the answers."));
    return parts;
  }
  if (RULES[node.op]) parts.push(el("p", { class: "rule", text: RULES[node.op] }));
  if (step.flows.length) parts.push(flowTable(model, step));
  return parts;
}

export function stepDetail(model, step) {
  if (step.phase === "ready") {
    return [el("p", { text: "Nothing has run yet. Press Next (or →) to run the forward pass one node at a time." })];
  }
  return step.phase === "forward" ? forwardDetail(model, step) : backwardDetail(model, step);
}

// "Forward 2 of 4: x * y" for the step counter's companion line.
export function stepTitle(model, index) {
  const step = model.steps[index];
  if (step.phase === "ready") return "Ready";
  const forwardCount = model.result.events.forward.length;
  const ordinal = step.phase === "forward" ? index : index - forwardCount;
  const count = step.phase === "forward" ? forwardCount : model.result.events.backward.length;
  const phase = step.phase === "forward" ? "Forward" : "Backward";
  return `${phase} ${ordinal} of ${count}: ${model.nodes.get(step.node).name}`;
}
