// Lesson widget: every symbol of a network with its type and shape, read from the engine's
// layer graph: input, weights, biases, pre-activations, activations, target and cost. Hovering
// or focusing a row lights up the same objects in the embedded playground's views.

import { el, uid } from "../fields.js";
import { describeShape } from "../format.js";
import { symbol } from "../trace-read.js";
import { findPreset, iterationBody, presetBatch } from "./lesson-data.js";
import { embedViews, fullHash } from "./playground.js";

// In the embedded documents: what a highlighted element looks like (inline styles are allowed).
const HIGHLIGHT_STYLE = `
.lesson-highlight > circle, .lesson-highlight > .box, .lesson-highlight > .badge,
line.lesson-highlight { stroke: #e69f00 !important; stroke-width: 6px !important; }`;

const WORDS = {
  x: () => "the input: one sample's features, held fixed",
  y: () => "the target the output is compared with, held fixed",
  W: (l) => `the weights into layer ${l}: entry (j, k) joins neuron k of layer ${l - 1} `
    + "to neuron j",
  b: (l) => `the biases of layer ${l}, one per neuron`,
  z: (l) => `the pre-activations of layer ${l}: W a + b`,
  a: (l, last) => (last ? "the output: the activations of the last layer"
    : `the activations of layer ${l}: f(z)`),
  C: () => "the cost: the loss, one number",
};
const ROLE = {
  input: "held fixed", target: "held fixed", param: "a variable of C", loss: "the value of C",
};
const COLUMNS = ["Symbol", "Type", "Shape", "Layer", "What it is", "For C(W, b)"];

const parts = (node) => node.name.match(/^([A-Za-z]+)(\d*)$/).slice(1);

// The elements of each view that show the layer graph's node `node`.
function selectorsFor(node, view, scalarIds) {
  const [base, layer] = parts(node);
  if (view === "neurons") {
    const neurons = [`[data-neuron^="${layer}-"]`];
    return { x: ['[data-neuron^="0-"]'], W: [`[data-weight^="${layer}-"]`],
      b: [`[data-bias^="${layer}-"]`], z: neurons, a: neurons, C: ["[data-loss]"],
      y: ["[data-loss]"] }[base];
  }
  if (view === "scalar") return scalarIds(node.name).map((id) => `[data-node-id="${id}"]`);
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

export async function mount(element, options, context) {
  const preset = await findPreset(context.api, options.preset || "tiny-2-2-2");
  const batch = await presetBatch(context.api, preset, 1);
  const view = options.view || "neurons,layers";
  const [layerTrace, scalarTrace, frames] = await Promise.all([
    context.api.iteration(iterationBody(preset, batch)),
    context.api.iteration(iterationBody(preset, batch, { granularity: "scalar" })),
    embedViews(element, { ...options, view, batch: "1" }, context.present),
  ]);
  // The scalar graph's nodes for a layer-graph node: W1 is w1_11, w1_12, ...; C is C.
  const scalarIds = (name) => scalarTrace.graph.nodes
    .filter((n) => (name === "C" ? n.name === "C" : n.name.startsWith(`${name.toLowerCase()}_`)))
    .map((n) => n.id);
  const views = view.split(",");
  for (const frame of frames) {
    const style = frame.contentDocument.createElement("style");
    style.textContent = HIGHLIGHT_STYLE;
    frame.contentDocument.head.append(style);
  }
  const light = (node, on) => frames.forEach((frame, i) => {
    for (const selector of selectorsFor(node, views[i], scalarIds) || []) {
      for (const part of frame.contentDocument.querySelectorAll(selector)) {
        part.classList.toggle("lesson-highlight", on);
      }
    }
  });

  const depth = layerTrace.stages.filter((s) => s.phase === "forward").length;
  const nodes = ordered(layerTrace.graph.nodes);
  const rows = nodes.map((node) => {
    const [base, layer] = parts(node);
    const { type, shape } = typeOf(node);
    const row = el("tr", { tabindex: "0", "data-symbol": node.name },
      el("th", { scope: "row" }, symbol(base, layer)),
      el("td", { text: type }), el("td", { text: shape }), el("td", { text: String(node.layer) }),
      el("td", { text: WORDS[base](Number(layer), Number(layer) === depth) }),
      el("td", { text: ROLE[node.role] || "computed from the variables" }));
    for (const [on, types] of [[true, ["pointerenter", "focus"]],
      [false, ["pointerleave", "blur"]]]) {
      for (const type of types) row.addEventListener(type, () => light(node, on));
    }
    return row;
  });
  const size = (kind) => nodes.filter((n) => n.role === "param" && n.name.startsWith(kind))
    .reduce((sum, n) => sum + n.shape.reduce((a, b) => a * b, 1), 0);
  const [weights, biases] = [size("W"), size("b")];
  const note = uid("symbols");
  element.append(
    el("table", { class: "symbols-table", "aria-describedby": note },
      el("caption", { text: "Every object in the network. Hover over a row, or move to it with "
        + "Tab, to see it light up in the diagrams." }),
      el("thead", {}, el("tr", {},
        ...COLUMNS.map((name) => el("th", { scope: "col", text: name })))),
      el("tbody", {}, ...rows)),
    el("p", { id: note, class: "symbols-count" }, "With x and y held fixed, the cost is a "
      + `function of ${weights} weights and ${biases} biases: C: ℝ`,
    el("sup", { text: String(weights + biases) }), " → ℝ."));
  context.linkToPlayground(() => fullHash(frames[0]));
}
