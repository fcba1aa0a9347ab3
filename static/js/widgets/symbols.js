// Lesson widget: every symbol of a network with its type and shape, read from the engine's
// layer graph: input, weights, biases, pre-activations, activations, target and cost. Hovering
// or focusing a row lights up the same objects in the playgrounds beside it.

import { el, uid } from "../core/dom.js";
import { describeShape } from "../core/format.js";
import { symbol } from "../explain/symbols.js";
import { nodeSymbolParts } from "../trace/notation.js";
import { findPreset, iterationBody, presetBatch } from "./lesson-data.js";
import { fullHash, mountViews } from "./playground.js";

const WORDS = {
  input: () => "the input: one sample's features, held fixed",
  target: () => "the target the output is compared with, held fixed",
  weight: (l) => `the weights into layer ${l}: entry (j, k) joins neuron k of layer ${l - 1} `
    + "to neuron j",
  bias: (l) => `the biases of layer ${l}, one per neuron`,
  pre_activation: (l) => `the pre-activations of layer ${l}: W a + b`,
  activation: (l, last) => (last ? "the output: the activations of the last layer"
    : `the activations of layer ${l}: f(z)`),
  loss: () => "the cost: the loss, one number",
};
const ROLE = {
  input: "held fixed", target: "held fixed", param: "a variable of C", loss: "the value of C",
};
const COLUMNS = ["Symbol", "Type", "Shape", "Layer", "What it is", "For C(W, b)"];
// The neuron diagram's elements that show a layer-graph node of each kind.
const NEURON_PARTS = {
  input: () => ['[data-neuron^="0-"]'], weight: (l) => [`[data-weight^="${l}-"]`],
  bias: (l) => [`[data-bias^="${l}-"]`], pre_activation: (l) => [`[data-neuron^="${l}-"]`],
  activation: (l) => [`[data-neuron^="${l}-"]`], loss: () => ["[data-loss]"], target: () => ["[data-loss]"],
};

// The elements of each view that show the layer graph's node `node`.
function selectorsFor(node, view, scalarTrace) {
  if (view === "neurons") return NEURON_PARTS[node.kind](node.layer);
  if (view === "scalar") {
    return scalarTrace.graph.nodes.filter((n) => n.kind === node.kind && n.layer === node.layer)
      .map((n) => `[data-node-id="${n.id}"]`);
  }
  return [`[data-node-id="${node.id}"]`];
}

// Table rows in reading order: the input, each layer's W, b, z, a, then the target and the cost.
function ordered(nodes) {
  const rank = (node) => ({ target: 1e3, loss: 1e3 + 1 }[node.role] ?? node.id);
  return [...nodes].sort((a, b) => rank(a) - rank(b));
}

// "vector", "2" for a node; values computed per sample carry the batch as their first axis,
// dropped here since the lesson's batch is one sample.
function typeOf(node) {
  const perSample = ["input", "target", "hidden", "output"].includes(node.role);
  const shape = perSample && node.shape[0] === 1 ? node.shape.slice(1) : node.shape;
  const [type] = describeShape(shape).split(" ");
  return { type, shape: shape.length ? shape.join(" × ") : "—" };
}

function row(node, depth, kinds, light) {
  const { base, sup } = nodeSymbolParts(node, kinds);
  const { type, shape } = typeOf(node);
  const tr = el("tr", { tabindex: "0", "data-symbol": node.name },
    el("th", { scope: "row" }, symbol(base, sup)),
    el("td", { text: type }), el("td", { text: shape }), el("td", { text: String(node.layer) }),
    el("td", { text: WORDS[node.kind](node.layer, node.layer === depth) }),
    el("td", { text: ROLE[node.role] || "computed from the variables" }));
  for (const [on, types] of [[true, ["pointerenter", "focus"]], [false, ["pointerleave", "blur"]]]) {
    for (const type of types) tr.addEventListener(type, () => light(node, on));
  }
  return tr;
}

export async function mount(element, options, context) {
  const preset = await findPreset(context.api, options.preset || "tiny-2-2-2");
  const batch = await presetBatch(context.api, preset, 1);
  const view = options.view || "neurons,layers";
  const [layerTrace, scalarTrace, playgrounds] = await Promise.all([
    context.api.iteration(iterationBody(preset, batch)),
    context.api.iteration(iterationBody(preset, batch, { granularity: "scalar" })),
    mountViews(element, { ...options, view, batch: "1" }, context),
  ]);
  const views = view.split(",");
  const roots = [...element.querySelectorAll(".playground-embed")];
  const light = (node, on) => roots.forEach((root, i) => {
    for (const selector of selectorsFor(node, views[i], scalarTrace)) {
      for (const part of root.querySelectorAll(selector)) part.classList.toggle("lesson-highlight", on);
    }
  });
  const depth = layerTrace.params_before.weights.length;
  const nodes = ordered(layerTrace.graph.nodes);
  const size = (kind) => nodes.filter((n) => n.kind === kind)
    .reduce((sum, n) => sum + n.shape.reduce((a, b) => a * b, 1), 0);
  const [weights, biases] = [size("weight"), size("bias")];
  const note = uid("symbols");
  element.append(
    el("table", { class: "symbols-table", "aria-describedby": note },
      el("caption", { text: "Every object in the network. Hover over a row, or move to it with "
        + "Tab, to see it light up in the diagrams." }),
      el("thead", {}, el("tr", {}, ...COLUMNS.map((name) => el("th", { scope: "col", text: name })))),
      el("tbody", {}, ...nodes.map((node) => row(node, depth, context.catalog.node_kinds, light)))),
    el("p", { id: note, class: "symbols-count" }, "With x and y held fixed, the cost is a "
      + `function of ${weights} weights and ${biases} biases: C: ℝ`,
    el("sup", { text: String(weights + biases) }), " → ℝ."));
  context.linkToPlayground(() => fullHash(playgrounds[0]));
  return playgrounds;
}
