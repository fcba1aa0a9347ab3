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
  const change = (list) => trace.params_after[list].map((matrix, l) => subtract(matrix, trace.params_before[list][l]));
  return {
    activation: maxAbs([inputs, ...forward.map((s) => s.activation)]),
    gradOutput: maxAbs(loss.grad_output),
    delta: maxAbs(backward.map((s) => s.delta)),
    weight: maxAbs(params.map((p) => p.weights)),
    weightGrad: maxAbs(backward.map((s) => s.grad_weights)),
    bias: maxAbs(params.map((p) => p.biases)),
    biasGrad: maxAbs(backward.map((s) => s.grad_biases)),
    weightChange: maxAbs(change("weights")),
    biasChange: maxAbs(change("biases")),
  };
}

// a − b entry by entry over nested arrays (null where either is null: not finite).
function subtract(a, b) {
  if (Array.isArray(a)) return a.map((item, i) => subtract(item, b[i]));
  return a === null || b === null ? null : a - b;
}

// What the neuron view's edges can show: by the stage, or always one of W, ∂C/∂W and Δw.
export const EDGE_MODES = [["auto", "by stage", "The weights, their gradients once backward reaches them, the change at the update"],
  ["weight", "W", "The weights"], ["gradient", "∂C/∂W", "The gradients, once backward reaches them"],
  ["change", "Δw", "The change the update makes, Δw = −η ∂C/∂w"]];

// What the edges show: the mode the learner picked, or by the stage ("auto"): the weights until
// backward reaches their layer, then their gradients, and at the update the change each takes.
function edgeMode(view, backward) {
  if (view.edges !== "auto") return view.edges;
  if (view.update) return "change";
  return backward ? "gradient" : "weight";
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
    event: state.level === "node" ? eventAt(trace, state.event) : null,
    selection: state.selection,
    edges: EDGE_MODES.some(([mode]) => mode === state.edges) ? state.edges : "auto",
    // The maps over the input plane (POST /api/v1/maps), what they show, and the data on them.
    mapMode: state.maps, neuronMaps: state.neuronMaps, dataset: state.dataset,
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

// The optimiser that made the update, in words, when it is not plain gradient descent ("" if it is).
export function steppedBy(trace) {
  const o = trace && trace.optimizer;
  if (!o || (o.name === "sgd" && !o.momentum)) return "";
  return { sgd: "momentum", rmsprop: "RMSProp", adam: "Adam", adamw: "AdamW" }[o.name] || o.name;
}

// What one weight or bias shows, by the edge mode: its value (the new one once updated), its
// gradient once backward has reached its layer, or the change Δw = −η ∂C/∂w the update made.
export function paramQuantity(view, kind, l, j, k) {
  const { trace, scales } = view;
  const read = (params) => (kind === "weight" ? params.weights[l - 1][j][k] : params.biases[l - 1][j]);
  const backward = view.backward[l];
  const weight = kind === "weight";
  const q = {
    value: read(trace.params_before),
    grad: backward ? (weight ? backward.grad_weights[j][k] : backward.grad_biases[j]) : null,
    known: Boolean(backward),
  };
  if (view.update) {
    q.after = read(trace.params_after);
    // The step the engine reports (an optimiser's param_step); plain SGD's is after − before.
    const steps = view.update.quantities && view.update.quantities.param_step;
    q.change = steps ? read(steps) : q.after === null || q.value === null ? null : q.after - q.value;
  }
  const mode = edgeMode(view, backward);
  if (mode === "change") {
    return view.update ? { ...q, mode, shown: q.change, scale: weight ? scales.weightChange : scales.biasChange }
      : { ...q, mode, pending: true };
  }
  if (mode === "gradient") {
    return backward ? { ...q, mode, shown: q.grad, scale: weight ? scales.weightGrad : scales.biasGrad,
      showsGradient: true } : { ...q, mode, pending: true };
  }
  return { ...q, mode, shown: view.update ? q.after : q.value, scale: weight ? scales.weight : scales.bias };
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
  if (q.after !== undefined) label += `, new value ${fmt(q.after)} (change ${fmt(q.change)})`;
  return label;
}

// What the edges show, in words, for the edge mode in use at this stage.
const EDGE_WORDS = {
  weight: "Solid edges: the weights",
  gradient: "Dashed edges: ∂C/∂W, summed over the batch",
  change: (view) => (steppedBy(view.trace) ? `Dotted edges: the step ${steppedBy(view.trace)} takes for each weight`
    : `Dotted edges: the change each weight takes, Δw = −η ∂C/∂w with η = ${view.trace.learning_rate}`),
};

// A sentence on what the neurons and edges show now, and one on how the selection's number is
// made.
export function caption(view) {
  const { stage, sample, batch, L } = view;
  const of = `sample ${sample + 1} of ${batch}`;
  const mode = edgeMode(view, view.backward[stage.layer || L]);
  const edges = typeof EDGE_WORDS[mode] === "function" ? EDGE_WORDS[mode](view) : EDGE_WORDS[mode];
  const lines = [];
  if (stage.phase === "forward") {
    lines.push(`Neurons: activations up to layer ${stage.layer}, for ${of}. ${edges} (colour = sign, width = size).`);
  } else if (stage.phase === "loss") {
    lines.push(`Output neurons (dashed): ∂C/∂a${sup(L)} for ${of}. Box: the loss C over the batch.`);
  } else if (stage.phase === "backward") {
    const layers = stage.layer === L ? `layer ${L}` : `layers ${L} back to ${stage.layer}`;
    lines.push(`Dashed neurons: δ = ∂C/∂z of ${layers}, for ${of}. ${edges} (colour = sign, width = size).`);
  } else {
    lines.push(`${edges}; the badges the same for the biases. The next iteration starts from w + Δw.`);
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
