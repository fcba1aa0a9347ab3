// Reading an iteration trace: its stages, the selected entries, node names and node events.

// The trace whose node events the current view steps through.
export function viewTrace(state) {
  return state.view === "scalar" && state.scalarTrace ? state.scalarTrace : state.trace;
}

// Forward and backward node events as one list, each tagged with its direction.
export function nodeEvents(trace) {
  if (!trace || !trace.events) return [];
  return [
    ...trace.events.forward.map((event) => ({ direction: "forward", ...event })),
    ...trace.events.backward.map((event) => ({ direction: "backward", ...event })),
  ];
}

// The level the player and panels actually use: node stepping needs per-node events.
export function effectiveLevel(state) {
  return state.level === "node" && nodeEvents(viewTrace(state)).length ? "node" : "stage";
}

export function stageName(stage) {
  if (stage.phase === "forward") return `Forward, layer ${stage.layer}`;
  if (stage.phase === "backward") return `Backward, layer ${stage.layer}`;
  return stage.phase === "loss" ? "Loss" : "Update";
}

// A two-character tag for the stepper: F1, C, B2, U.
export function stageTag(stage) {
  if (stage.phase === "forward") return `F${stage.layer}`;
  if (stage.phase === "backward") return `B${stage.layer}`;
  return stage.phase === "loss" ? "C" : "U";
}

export function findStage(trace, phase, layer) {
  return trace.stages.find((s) => s.phase === phase && (layer === undefined || s.layer === layer));
}

// The number of computing layers L.
export function depth(trace) {
  return trace.stages.filter((s) => s.phase === "forward").length;
}

export function batchSize(trace) {
  return trace.stages[0].pre_activation.length;
}

export function layerSize(trace, layer) {
  if (layer === 0) return trace.params_before.weights[0][0].length;
  return trace.params_before.biases[layer - 1].length;
}

// The sample the per-sample numbers show, kept inside the batch.
export function sampleIndex(state, trace) {
  return Math.max(0, Math.min(state.sample || 0, batchSize(trace) - 1));
}

// The neuron of `layer` the formulas show: the selected one there, else the first.
export function neuronIndex(selection, layer, size) {
  const j = selection && selection.layer === layer ? selection.j : 0;
  return Math.max(0, Math.min(j, size - 1));
}

// The entry of a nested array at `index` (undefined where the array does not reach).
export function entry(value, index) {
  let item = value;
  for (const i of index) {
    if (!Array.isArray(item) || i >= item.length) return undefined;
    item = item[i];
  }
  return item;
}

// a^l for the batch: a forward stage's activation, or the inputs x for l = 0.
export function activations(trace, layer, inputs) {
  if (layer > 0) return findStage(trace, "forward", layer).activation;
  const x = trace.events && trace.events.forward.find((e) => nodeById(trace, e.node).name === "x");
  return x ? x.value : inputs;
}

export function nodeById(trace, id) {
  return trace.graph.nodes.find((node) => node.id === id);
}

function nodeByName(trace, name) {
  return trace.graph.nodes.find((node) => node.name === name);
}

// f'(z^l_j) for one sample: the backward stage's activation_derivative, which the API sends
// for any batch, or else the backward event of a^l at the layer granularity (its local
// derivative with respect to z^l). Undefined for a softmax (whose derivative is a Jacobian, not
// one number per neuron). A linear layer's event sends one number, 1.
export function activationDerivative(trace, layer, sample, j) {
  const stage = findStage(trace, "backward", layer);
  if (stage && Array.isArray(stage.activation_derivative)) {
    return entry(stage.activation_derivative, [sample, j]);
  }
  const a = nodeByName(trace, `a${layer}`);
  const z = nodeByName(trace, `z${layer}`);
  if (!a || !z || !trace.events) return undefined;
  const event = trace.events.backward.find((e) => e.node === a.id);
  const local = event && event.local.find((d) => d.parent === z.id);
  if (!local) return undefined;
  if (!Array.isArray(local.value)) return local.value; // one number for every entry (linear)
  if (Array.isArray(local.value[0][0])) return undefined;
  return entry(local.value, [sample, j]);
}

// The loss node takes z^L (the logits) and the error at the output simplifies to (a - y)/N.
export function isFusedLoss(lossName) {
  return lossName === "binary_cross_entropy" || lossName === "cross_entropy";
}

// The stage a node event belongs to, or -1: forward events in forward stages, backward events
// in backward stages, and the loss node's events in the loss stage.
export function stageOfEvent(trace, event) {
  const node = nodeById(trace, event.node);
  const phases = node.role === "loss" ? ["loss"] : [event.direction];
  return trace.stages.findIndex((s) => phases.includes(s.phase) && s.node_ids.includes(event.node));
}

// The first node event of a stage, or -1 (the update stage has none).
export function eventOfStage(trace, stageIndex) {
  const events = nodeEvents(trace);
  return events.findIndex((event) => stageOfEvent(trace, event) === stageIndex);
}

// "z1_2" -> {base: "z", sup: "1", sub: "2"}: the engine's node names as maths.
function nameParts(name) {
  const match = /^([A-Za-z]+)(\d*)(?:_(.+))?$/.exec(name);
  if (!match) return { base: name, sup: "", sub: "" };
  return { base: match[1], sup: match[2], sub: match[3] || "" };
}

// A node or parameter name as HTML: a variable with its layer above and its index below.
export function symbol(base, sup = "", sub = "") {
  const span = document.createElement("span");
  span.className = "symbol";
  const variable = document.createElement("var");
  variable.textContent = base;
  span.append(variable);
  if (sup === "" && sub === "") return span;
  span.setAttribute("role", "img");
  span.setAttribute("aria-label", [base, sup && `layer ${sup}`, sub && `index ${sub}`].filter(Boolean).join(", "));
  const scripts = document.createElement("span");
  scripts.className = "scripts";
  scripts.append(Object.assign(document.createElement("sup"), { textContent: sup }),
    Object.assign(document.createElement("sub"), { textContent: sub }));
  span.append(scripts);
  return span;
}

export function nodeSymbol(name) {
  const { base, sup, sub } = nameParts(name);
  return symbol(base, sup, sub);
}

// 1-based indices as the engine writes them: "13", or "1,12" once one passes 9.
export function indexLabel(...indices) {
  const parts = indices.map((i) => i + 1);
  return parts.join(parts.some((p) => p > 9) ? "," : "");
}

// An element with text, optional class.
export function el(tag, text = "", className = "") {
  const element = document.createElement(tag);
  if (text) element.textContent = text;
  if (className) element.className = className;
  return element;
}
