// What the neuron diagram shows at a stage, as plain data read from the trace: each neuron's
// and weight's current quantity, the parts the stage touches, the selection's links, and the
// sentences that explain them.

import { formatNumber } from "../core/format.js";
import { maxAbs } from "../core/svg.js";
import { batchSize, clamp, currentStage, eventAt, nodeById, stageIndex } from "../trace/model.js";
import { neuronSymbol, sub, sup, weightSymbol } from "../trace/notation.js";

const fmt = (value) => formatNumber(value, 3);
// The part of the neuron diagram that shows a layer-graph node of each kind.
const PARTS = { input: "neurons", weight: "weights", bias: "biases", pre_activation: "neurons",
  activation: "neurons" };

// Largest magnitudes over the whole trace, so sizes compare across layers (a vanishing
// gradient looks faint) and stay put while stepping.
export function scalesOf(trace, inputs) {
  const backward = trace.stages.filter((s) => s.phase === "backward");
  const forward = trace.stages.filter((s) => s.phase === "forward");
  const loss = trace.stages[stageIndex(trace, "loss")];
  const params = [trace.params_before, trace.params_after];
  return {
    activation: maxAbs([inputs, ...forward.map((s) => s.activation)]),
    gradOutput: maxAbs(loss.grad_output),
    delta: maxAbs(backward.map((s) => s.delta)),
    weight: maxAbs(params.map((p) => p.weights)),
    weightGrad: maxAbs(backward.map((s) => s.grad_weights)),
    bias: maxAbs(params.map((p) => p.biases)),
    biasGrad: maxAbs(backward.map((s) => s.grad_biases)),
  };
}

// Everything the picture shows at this stage, as plain data.
export function neuronModel(state, inputs, sizes, scales) {
  const { trace } = state;
  const L = sizes.length - 1;
  const stageAt = currentStage(trace, state);
  const reached = (phase, layer) => {
    const index = stageIndex(trace, phase, layer);
    return index >= 0 && index <= stageAt ? trace.stages[index] : null;
  };
  return {
    trace, stageAt, sizes, L, scales, inputs,
    stage: trace.stages[stageAt],
    sample: clamp(state.sample, batchSize(trace)),
    batch: batchSize(trace),
    // The stages reached so far, by layer (null where not yet reached).
    forward: sizes.map((n, l) => (l === 0 ? null : reached("forward", l))),
    backward: sizes.map((n, l) => (l === 0 ? null : reached("backward", l))),
    loss: reached("loss"),
    update: reached("update"),
    activations: trace.stages.filter((s) => s.phase === "forward").map((s) => s.activation_name),
    active: activeParts(state, trace, trace.stages[stageAt], L),
    eventKey: state.level === "node" ? state.event : "",
    selection: state.selection,
  };
}

// Which parts the current stage (or, in node-level stepping, the current event) touches.
function activeParts(state, trace, stage, L) {
  const active = { neurons: new Set(), weights: new Set(), biases: new Set(), loss: false };
  const event = state.level === "node" ? eventAt(trace, state.event) : null;
  if (event) {
    const node = nodeById(trace, event.node);
    const part = PARTS[node.kind];
    if (part) active[part].add(node.layer);
    else active.loss = true;
    return active;
  }
  if (stage.phase === "forward" || stage.phase === "backward") {
    for (const part of ["neurons", "weights", "biases"]) active[part].add(stage.layer);
  } else if (stage.phase === "loss") {
    active.neurons.add(L);
    active.loss = true;
  } else {
    for (let l = 1; l <= L; l += 1) {
      active.weights.add(l);
      active.biases.add(l);
    }
  }
  return active;
}

// What one neuron shows: the latest quantity computed for it at this stage.
export function neuronQuantity(view, l, j) {
  const { sample, scales, L } = view;
  const forward = view.forward[l];
  const backward = view.backward[l];
  const q = {
    activation: l === 0 ? (view.inputs[sample] ? view.inputs[sample][j] : null)
      : forward ? forward.activation[sample][j] : null,
    z: forward ? forward.pre_activation[sample][j] : null,
    gradOutput: l === L && view.loss ? view.loss.grad_output[sample][j] : null,
    delta: backward ? backward.delta[sample][j] : null,
  };
  if (backward) return { ...q, shown: q.delta, scale: scales.delta, showsGradient: true };
  if (q.gradOutput !== null) return { ...q, shown: q.gradOutput, scale: scales.gradOutput, showsGradient: true };
  if (l === 0 || forward) return { ...q, shown: q.activation, scale: scales.activation };
  return { ...q, pending: true };
}

// What one weight or bias shows: the old value, then its gradient once backward has reached
// its layer, then the new value after the update.
export function paramQuantity(view, kind, l, j, k) {
  const { trace, scales } = view;
  const read = (params) => (kind === "weight" ? params.weights[l - 1][j][k] : params.biases[l - 1][j]);
  const backward = view.backward[l];
  const q = {
    value: read(trace.params_before),
    grad: backward ? (kind === "weight" ? backward.grad_weights[j][k] : backward.grad_biases[j]) : null,
    known: Boolean(backward),
  };
  if (view.update) {
    const after = read(trace.params_after);
    return { ...q, after, shown: after, scale: kind === "weight" ? scales.weight : scales.bias };
  }
  if (backward) return { ...q, shown: q.grad, scale: kind === "weight" ? scales.weightGrad : scales.biasGrad, showsGradient: true };
  return { ...q, shown: q.value, scale: kind === "weight" ? scales.weight : scales.bias };
}

export function neuronLabel(l, j, q, sample) {
  const name = `${l === 0 ? "input" : "neuron"} ${neuronSymbol(l, j)}`;
  const known = [];
  if (q.z !== null) known.push(`z = ${fmt(q.z)}`);
  if (q.activation !== null) known.push(`${l === 0 ? "x" : "a"} = ${fmt(q.activation)}`);
  if (q.gradOutput !== null) known.push(`dC/da = ${fmt(q.gradOutput)}`);
  if (q.delta !== null) known.push(`delta = ${fmt(q.delta)}`);
  if (!known.length) return `${name}: not computed yet`;
  return `${name}: ${known.join(", ")} (sample ${sample + 1})`;
}

export function paramLabel(kind, name, q) {
  let label = `${kind} ${name} = ${fmt(q.value)}`;
  if (q.known) label += `, gradient ${fmt(q.grad)}`;
  if (q.after !== undefined) label += `, new value ${fmt(q.after)}`;
  return label;
}

// A sentence on what the colours mean now, and one on how the selection's number is made.
export function caption(view) {
  const { stage, sample, batch, L } = view;
  const of = `sample ${sample + 1} of ${batch}`;
  const lines = [];
  if (stage.phase === "forward") {
    lines.push(`Circles: activations up to layer ${stage.layer}, for ${of}. Edges: weights (colour = sign, width = size).`);
  } else if (stage.phase === "loss") {
    lines.push(`Output circles (dashed ring): ∂C/∂a${sup(L)} for ${of}. Box: the loss C over the batch.`);
  } else if (stage.phase === "backward") {
    const layers = stage.layer === L ? `layer ${L}` : `layers ${L} back to ${stage.layer}`;
    lines.push(`Dashed circles: δ = ∂C/∂z of ${layers}, for ${of}. `
      + "Edges into them: ∂C/∂W summed over the batch (colour = sign, width = size).");
  } else {
    lines.push(`Edges and badges: the new parameters, p − ${view.trace.learning_rate} · ∂C/∂p.`);
  }
  const why = explainSelection(view);
  if (why) lines.push(why);
  return lines;
}

// How the trace's number for the selection is made from the numbers on the linked elements.
function explainSelection(view) {
  const { selection, sample, sizes, L } = view;
  if (!selection) return "";
  const { kind, layer: l, j, k } = selection;
  const exists = l >= 0 && l < sizes.length && j < sizes[l] && (kind !== "weight" || (l > 0 && k < sizes[l - 1]));
  const backward = exists ? view.backward[l] : null;
  if (!backward) return "";
  const delta = `δ${sup(l)}${sub(j + 1)}`;
  if (kind === "weight") {
    const source = neuronQuantity(view, l - 1, k).activation;
    return `∂C/∂${weightSymbol(l, j, k)} = Σ over the batch of ${neuronSymbol(l - 1, k)} · ${delta} = `
      + `${fmt(backward.grad_weights[j][k])}. For sample ${sample + 1}: ${neuronSymbol(l - 1, k)} = ${fmt(source)}, `
      + `${delta} = ${fmt(backward.delta[sample][j])} (the green circles).`;
  }
  if (kind === "bias") return `∂C/∂b${sup(l)}${sub(j + 1)} = Σ over the batch of ${delta} = ${fmt(backward.grad_biases[j])}.`;
  const from = l === L ? "from the loss" : `sent back along the green edges from layer ${l + 1}`;
  const rule = view.activations[l - 1] === "softmax" ? `${delta} = ∂C/∂z` : `${delta} = f′(z) · ∂C/∂a`;
  return `${rule}: ∂C/∂a${sup(l)}${sub(j + 1)} = ${fmt(l === L && view.loss ? view.loss.grad_output[sample][j]
    : backward.grad_activation[sample][j])} (${from}), ${delta} = ${fmt(backward.delta[sample][j])} (sample ${sample + 1}).`;
}
