// Reading an iteration trace (POST /api/v1/iterations): its stages, layers, samples, nodes and
// node events. Pure functions of the trace and the state, with no DOM: the one trace reader the
// views, the panels and the stepper share. Nodes are found by what they are (kind, layer,
// index), never by their display name.

// Node roles whose values have the batch as their first axis.
const BATCH_ROLES = new Set(["input", "target", "hidden", "output"]);

export const clamp = (index, length) => Math.max(0, Math.min(length - 1, Math.floor(Number(index)) || 0));

// The trace whose node events the current view steps through.
export function viewTrace(state) {
  return state.view === "scalar" && state.scalarTrace ? state.scalarTrace : state.trace;
}

export function findStage(trace, phase, layer) {
  return trace.stages.find((s) => s.phase === phase && (layer === undefined || s.layer === layer));
}

// The index of the first stage of `phase` (and `layer`, if given); -1 when there is none.
export function stageIndex(trace, phase, layer) {
  return trace.stages.findIndex((s) => s.phase === phase && (layer === undefined || s.layer === layer));
}

// The stage in view (the stepper keeps it in step with the event in node-level stepping).
export const currentStage = (trace, state) => clamp(state.stage, trace.stages.length);

// The number of computing layers L.
export const depth = (trace) => trace.params_before.weights.length;

export const batchSize = (trace) => trace.stages[0].pre_activation.length;

export function layerSize(trace, layer) {
  if (layer === 0) return trace.params_before.weights[0][0].length;
  return trace.params_before.biases[layer - 1].length;
}

export function layerSizes(trace) {
  return Array.from({ length: depth(trace) + 1 }, (_, l) => layerSize(trace, l));
}

export function countWeights(sizes) {
  let count = 0;
  for (let l = 1; l < sizes.length; l += 1) count += sizes[l] * sizes[l - 1];
  return count;
}

// The sample the per-sample numbers show, kept inside the batch.
export const sampleIndex = (state, trace) => clamp(state.sample || 0, batchSize(trace));

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

// A value for one sample: the sample's row of a node whose first axis is the batch.
export function forSample(value, role, sample) {
  return BATCH_ROLES.has(role) && Array.isArray(value) ? value[sample] : value;
}

export function nodeById(trace, id) {
  return trace.graph.nodes.find((node) => node.id === id);
}

// The node that is `kind` of `layer` (at `index`, for a node of one entry), or undefined.
export function nodeOf(trace, kind, layer, index = null) {
  const same = (a, b) => (a === null || a === undefined ? b === null : b !== null && a.join() === b.join());
  return trace.graph.nodes.find((n) => n.kind === kind && n.layer === layer && same(n.index, index));
}

// Forward and backward node events as one list, each tagged with its direction.
export function nodeEvents(trace) {
  if (!trace || !trace.events) return [];
  return [
    ...trace.events.forward.map((event) => ({ direction: "forward", ...event })),
    ...trace.events.backward.map((event) => ({ direction: "backward", ...event })),
  ];
}

// The event of node-level stepping at `index`, with its place in its own direction's list.
export function eventAt(trace, index) {
  if (!trace.events) return null;
  const { forward, backward } = trace.events;
  const at = clamp(index, forward.length + backward.length);
  if (at < forward.length) return { phase: "forward", order: at, ...forward[at] };
  return { phase: "backward", order: at - forward.length, ...backward[at - forward.length] };
}

// The level the stepper and panels actually use: node stepping needs per-node events.
export function effectiveLevel(state) {
  return state.level === "node" && nodeEvents(viewTrace(state)).length ? "node" : "stage";
}

// The stage a node event belongs to, or -1: forward events in forward stages, backward events
// in backward stages, and the loss node's events in the loss stage.
export function stageOfEvent(trace, event) {
  const node = nodeById(trace, event.node);
  const phases = node.kind === "loss" ? ["loss"] : [event.direction];
  return trace.stages.findIndex((s) => phases.includes(s.phase) && s.node_ids.includes(event.node));
}

// The first node event of a stage, or -1 (the update stage has none).
export function eventOfStage(trace, stageIndexWanted) {
  return nodeEvents(trace).findIndex((event) => stageOfEvent(trace, event) === stageIndexWanted);
}

// a^l for the batch: a forward stage's activation, or the inputs x for l = 0 (as recorded in
// the input node's forward event when there is one, else `inputs`).
export function activations(trace, layer, inputs) {
  if (layer > 0) return findStage(trace, "forward", layer).activation;
  return recordedInputs(trace) || inputs;
}

// The batch's inputs as the trace recorded them (the input node's forward event), if it did.
export function recordedInputs(trace) {
  const x = nodeOf(trace, "input", 0);
  const event = x && trace.events ? trace.events.forward.find((e) => e.node === x.id) : null;
  return event ? event.value : null;
}

// f'(z^l_j) for one sample: the backward stage's activation_derivative, which the API sends
// for any batch, or else the backward event of a^l at the layer granularity (its local
// derivative with respect to z^l). Undefined for a softmax (whose derivative is a Jacobian,
// not one number per neuron). A linear layer's event sends one number, 1.
export function activationDerivative(trace, layer, sample, j) {
  const stage = findStage(trace, "backward", layer);
  if (stage && Array.isArray(stage.activation_derivative)) {
    return entry(stage.activation_derivative, [sample, j]);
  }
  const a = nodeOf(trace, "activation", layer);
  const z = nodeOf(trace, "pre_activation", layer);
  if (!a || !z || !trace.events) return undefined;
  const event = trace.events.backward.find((e) => e.node === a.id);
  const local = event && event.local.find((d) => d.parent === z.id);
  if (!local) return undefined;
  if (!Array.isArray(local.value)) return local.value;
  if (Array.isArray(local.value[0][0])) return undefined;
  return entry(local.value, [sample, j]);
}
