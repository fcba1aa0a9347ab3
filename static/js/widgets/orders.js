// Lesson widget: one batch, one network, two update orders. The correct order (every delta
// first, then every update) beside the eager one (each layer updated as soon as its gradient is
// known): the weights each gives per layer, their difference, and the loss after each step.

import { el, uid } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { symbol } from "../explain/symbols.js";
import { toHash } from "../core/url-state.js";
import { findPreset, iterationBody, presetBatch } from "./lesson-data.js";

const ORDERS = [
  { key: "after_backward", title: "After the backward pass: gradient descent" },
  { key: "eager", title: "Eager: each layer as soon as it can" },
];

const numberCell = (value, digits, attributes = {}) => el("td", {
  class: `num${value < 0 ? " negative" : ""}`, "data-value": String(value),
  text: formatNumber(value, digits), ...attributes });

function matrix(values, testid, layer) {
  return el("table", { class: "matrix", "data-testid": testid, "data-layer": String(layer) },
    el("tbody", {}, ...values.map((row) => el("tr", {}, ...row.map((v) => numberCell(v, 5))))));
}

function layerBlock(l, depth, after, eager) {
  const correct = after.params_after.weights[l - 1];
  const moved = eager.params_after.weights[l - 1];
  // Shown, not computed from gradients: how far apart the two orders' weights ended up.
  const difference = moved.map((row, j) => row.map((value, k) => value - correct[j][k]));
  const same = difference.every((row) => row.every((d) => d === 0));
  const id = uid("orders-layer");
  const figure = (title, table) => el("figure", { class: "orders-matrix" },
    el("figcaption", { text: title }), table);
  const note = same
    ? `The same in both orders: layer ${l}'s gradient needs no weights of a later layer.`
    : `Different: in the eager order the error reached layer ${l} through the weights of layer `
      + `${l + 1} after they had already moved, so this layer took a step along a direction that `
      + "is not the gradient.";
  return el("section", { class: "orders-layer", "aria-labelledby": id, "data-same": String(same) },
    el("h4", { id }, symbol("W", String(l)),
      l === depth ? " (the output layer) after the step" : " after the step"),
    el("div", { class: "orders-row" },
      figure("after the backward pass", matrix(correct, "weights-after_backward", l)),
      figure("eager", matrix(moved, "weights-eager", l)),
      figure("eager − correct", matrix(difference, "weights-difference", l))),
    el("p", { class: "widget-note", text: note }));
}

function lossTable(traces, next) {
  const header = ["", "before the step", "after the step"];
  return el("table", { class: "orders-loss-table" },
    el("caption", { text: "The loss on this batch" }),
    el("thead", {}, el("tr", {}, ...header.map((text) => el("th", { scope: "col", text })))),
    el("tbody", {}, ...ORDERS.map(({ key, title }, i) => el("tr", { "data-order": key },
      el("th", { scope: "row", text: title }), numberCell(traces[i].loss, 6),
      numberCell(next[i].loss, 6, { "data-testid": `loss-after-${key}` })))));
}

export async function mount(element, options, context) {
  const preset = await findPreset(context.api, options.preset || "xor");
  const rows = Number(options.batch || 4);
  const batch = await presetBatch(context.api, preset, rows);
  const rates = (options.rates || String(preset.learning_rate)).split(",").map(Number);
  const picker = el("select", { id: uid("orders-rate") },
    ...rates.map((rate) => el("option", { value: String(rate), text: String(rate) })));
  const status = el("p", { class: "widget-status", role: "status" });
  const losses = el("div", { class: "orders-losses" });
  const layers = el("div", { class: "orders-layers" });
  const sizes = preset.network.layer_sizes.join("-");
  element.append(
    el("p", { class: "widget-note", text: `The ${preset.name} preset's ${sizes} network on its `
      + `first ${rows} points, from the same starting weights.` }),
    el("p", { class: "orders-controls" },
      el("label", { for: picker.id, text: "Learning rate η " }), picker),
    status, losses, layers);

  const run = async () => {
    const rate = Number(picker.value);
    status.textContent = "Running both orders…";
    const body = (changes) => iterationBody(preset, batch, { learning_rate: rate, ...changes });
    const traces = await Promise.all(ORDERS.map(({ key }) => context.api.iteration(
      body({ update_order: key }))));
    // The loss on the same batch after each step: one more forward pass from each new weights.
    const next = await Promise.all(traces.map((trace) => context.api.iteration(
      body({ params: trace.params_after }))));
    const [after, eager] = traces;
    const depth = after.params_after.weights.length;
    losses.replaceChildren(lossTable(traces, next));
    layers.replaceChildren(...Array.from({ length: depth },
      (_, i) => layerBlock(depth - i, depth, after, eager)));
    status.textContent = `η = ${rate}: both orders start from the same weights and batch.`;
    context.linkToPlayground(toHash({ preset: preset.name, batchSize: rows, learningRate: rate,
      updateOrder: "eager" }, {}));
  };
  picker.addEventListener("change", () => run().catch((error) => {
    status.textContent = `The two orders could not be run: ${error.message}`;
  }));
  await run();
}
