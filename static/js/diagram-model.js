// What the diagrams read from a trace: layer sizes, the stage or event in view, labels, and how a
// selection ({kind, layer, j, k}) maps to computational-graph nodes and back.

// The engine refuses the scalar graph above this many weights (engine/spec.py MAX_SCALAR_WEIGHTS).
export const SCALAR_WEIGHT_LIMIT = 200;

// Node roles whose values have the batch as their first axis.
const BATCH_ROLES = new Set(["input", "target", "hidden", "output"]);

export function layerSizes(trace) {
  const weights = trace.params_before.weights;
  return [weights[0][0].length, ...weights.map((w) => w.length)];
}

export function countWeights(sizes) {
  let count = 0;
  for (let l = 1; l < sizes.length; l += 1) count += sizes[l] * sizes[l - 1];
  return count;
}

export function clamp(index, length) {
  return Math.max(0, Math.min(length - 1, Math.floor(Number(index)) || 0));
}

export function batchSize(trace) {
  return trace.stages[0].activation.length;
}

// The index of the first stage of `phase` (and `layer`, if given); -1 when there is none.
export function stageIndex(trace, phase, layer) {
  return trace.stages.findIndex((s) => s.phase === phase && (layer === undefined || s.layer === layer));
}

// The event of node-level stepping at `index` in [...events.forward, ...events.backward].
export function eventAt(trace, index) {
  if (!trace.events) return null;
  const { forward, backward } = trace.events;
  const at = clamp(index, forward.length + backward.length);
  if (at < forward.length) return { phase: "forward", order: at, ...forward[at] };
  return { phase: "backward", order: at - forward.length, ...backward[at - forward.length] };
}

// The stage in view (the player keeps it in step with the event in node-level stepping).
export function currentStage(trace, state) {
  return clamp(state.stage, trace.stages.length);
}

// A value for one sample: the sample's row of a node whose first axis is the batch.
export function forSample(value, role, sample) {
  return BATCH_ROLES.has(role) && Array.isArray(value) ? value[sample] : value;
}

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
export const sup = (n) => String(n).replace(/\d/g, (d) => SUPERSCRIPT[d]);
export const sub = (text) => String(text).replace(/\d/g, (d) => SUBSCRIPT[d]);

// Indices as the engine writes them: 1-based, joined, with a comma once one passes 9.
export function indexLabel(j, k) {
  const parts = k === undefined ? [j + 1] : [j + 1, k + 1];
  return parts.join(parts.some((p) => p > 9) ? "," : "");
}

// The typeset label of a neuron: x₁ for inputs, a¹₂ (or δ¹₂ ...) for layer 1, neuron 2.
export function neuronSymbol(l, j, letter = "a") {
  return l === 0 ? `x${sub(j + 1)}` : `${letter}${sup(l)}${sub(j + 1)}`;
}

export function weightSymbol(l, j, k) {
  return `w${sup(l)}${sub(indexLabel(j, k))}`;
}

// The engine's node names (scalar graph) for a weight, bias and neuron.
export const weightName = (l, j, k) => `w${l}_${indexLabel(j, k)}`;
export const biasName = (l, j) => `b${l}_${indexLabel(j)}`;

// The names of the graph nodes that show a selection at one granularity.
export function selectionNodeNames(selection, granularity) {
  if (!selection) return [];
  const { kind, layer: l, j, k } = selection;
  if (granularity === "layer") {
    if (kind === "weight") return [`W${l}`];
    if (kind === "bias") return [`b${l}`];
    return l === 0 ? ["x"] : [`z${l}`, `a${l}`];
  }
  if (kind === "weight") return [weightName(l, j, k)];
  if (kind === "bias") return [biasName(l, j)];
  return l === 0 ? [`x_${indexLabel(j)}`] : [`z${l}_${indexLabel(j)}`, `a${l}_${indexLabel(j)}`];
}

function indices(label, pair) {
  if (label.includes(",")) return label.split(",").map((p) => Number(p) - 1);
  return (pair ? label.split("") : [label]).map((p) => Number(p) - 1);
}

// The selection a click on a graph node makes, or null for nodes that are not a weight, bias
// or neuron (targets, the loss). A matrix node of the layer graph keeps the current selection
// when it already points into it, and otherwise selects its first entry.
export function selectionForNode(name, granularity, current) {
  if (granularity === "layer") {
    const match = /^([Wbza])(\d+)$/.exec(name);
    if (name === "x") return sameLayer(current, "neuron", 0) || { kind: "neuron", layer: 0, j: 0 };
    if (!match) return null;
    const l = Number(match[2]);
    if (match[1] === "W") return sameLayer(current, "weight", l) || { kind: "weight", layer: l, j: 0, k: 0 };
    if (match[1] === "b") return sameLayer(current, "bias", l) || { kind: "bias", layer: l, j: 0 };
    return sameLayer(current, "neuron", l) || { kind: "neuron", layer: l, j: 0 };
  }
  const input = /^x_([\d,]+)$/.exec(name);
  if (input) return { kind: "neuron", layer: 0, j: indices(input[1], false)[0] };
  const match = /^([wbza])(\d+)_([\d,]+)$/.exec(name);
  if (!match) return null;
  const l = Number(match[2]);
  if (match[1] === "w") {
    const [j, k] = indices(match[3], true);
    return { kind: "weight", layer: l, j, k };
  }
  const [j] = indices(match[3], false);
  return { kind: match[1] === "b" ? "bias" : "neuron", layer: l, j };
}

function sameLayer(current, kind, layer) {
  return current && current.kind === kind && current.layer === layer ? current : null;
}
