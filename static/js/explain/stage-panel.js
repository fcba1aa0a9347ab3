// The current stage in words and as formulas filled with this iteration's numbers, or, at the
// node level, what the current node computed or passed back.

import { labelOf, mixesLayer, onLogits } from "../core/catalog.js";
import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import {
  activationDerivative, activations, batchSize, depth, effectiveLevel, entry, findStage, layerSize,
  neuronIndex, sampleIndex,
} from "../trace/model.js";
import { indexLabel } from "../trace/notation.js";
import { formulaBlock } from "./formula-view.js";
import { optimizerBlocks } from "./optimizer-update.js";
import { eventContent } from "./node-event.js";
import { symbol } from "./symbols.js";

// What the current stage (or node event) says: {sentence, label (the line naming the neuron,
// weight and sample shown), blocks (its formulas with numbers), extra (notes)}; null without a
// trace. The stage panel shows all of it, the caption strip the stage's key formulas.
export function stageContent(state, services) {
  const { trace } = state;
  if (!trace) return null;
  const read = reader(state, trace, services);
  if (effectiveLevel(state) === "node") return eventContent(read, state);
  const stage = trace.stages[Math.min(state.stage, trace.stages.length - 1)];
  return { sentence: describeStage(stage, read), ...STAGE_VIEWS[stage.phase](stage, read, services.formulas) };
}

// The store keys a stage's content depends on.
export const CONTENT_KEYS = ["trace", "scalarTrace", "stage", "event", "level", "view", "sample",
  "selection", "busy"];

export function mountStagePanel(root, store, services) {
  const sentence = el("p", { class: "stage-sentence", "data-testid": "stage-description" });
  const focus = el("p", { class: "stage-focus" });
  const box = el("div", { class: "formulas", "data-testid": "formula" });
  const notes = el("div", { class: "stage-notes" });
  root.append(el("div", { class: "stage-view" }, sentence, focus, box, notes));
  const render = () => {
    const state = store.get();
    const content = stageContent(state, services);
    sentence.textContent = content ? content.sentence
      : state.busy ? "Running the iteration…" : "No iteration to show yet.";
    focus.replaceChildren(...(content ? content.label : []));
    box.replaceChildren(...(content ? content.blocks : []));
    notes.replaceChildren(...(content ? content.extra : []));
  };
  store.subscribe(CONTENT_KEYS, render);
  render();
}

// Everything the views need about the current state, read once.
function reader(state, trace, services) {
  const L = depth(trace);
  const loss = findStage(trace, "loss");
  return {
    trace, L, loss,
    N: batchSize(trace),
    i: sampleIndex(state, trace),
    selection: state.selection,
    inputs: state.dataset ? services.batch(state).inputs : [],
    catalog: services.catalog,
    formulas: services.formulas,
    kinds: services.catalog.node_kinds,
    focusLine: (parts) => focusLine(parts, { N: batchSize(trace), i: sampleIndex(state, trace) }),
    neuron: (layer) => neuronIndex(state.selection, layer, layerSize(trace, layer)),
    weight(layer) {
      const sel = state.selection;
      const rows = layerSize(trace, layer);
      const cols = layerSize(trace, layer - 1);
      if (sel && sel.kind === "weight" && sel.layer === layer) {
        return [Math.min(sel.j, rows - 1), Math.min(sel.k, cols - 1)];
      }
      return [neuronIndex(sel, layer, rows), 0];
    },
  };
}

const pairOf = ([j, k]) => ({ j, k });

function describeStage(stage, read) {
  const { L, N, loss } = read;
  if (stage.phase === "forward") {
    const from = stage.layer === 1 ? "the inputs x" : `layer ${stage.layer - 1}'s activations`;
    const what = stage.layer === L ? "the network's output" : "hidden layer " + stage.layer;
    return `Forward through layer ${stage.layer} (${what}): each neuron adds up ${from}, ` +
      `weighted, plus its bias (z), then applies ${stage.activation_name} to get its activation (a).`;
  }
  if (stage.phase === "loss") {
    return `Loss: the outputs are compared with the targets by ${labelOf(read.catalog, "losses", stage.loss_name)}, ` +
      `averaged over the batch of ${N}. Nothing has been differentiated yet.`;
  }
  if (stage.phase === "backward" && stage.layer === L) {
    const why = onLogits(read.catalog, loss.loss_name)
      ? "with this loss, the loss's derivative and f' together simplify to (a − y)/N"
      : "how the cost changes with the neuron's output, times f'(z)";
    return `Backward through the output layer ${L}: each output neuron's error δ = ∂C/∂z; ${why}. ` +
      `Then each weight's gradient is its input times that error.`;
  }
  if (stage.phase === "backward") {
    return `Backward through layer ${stage.layer}: each hidden neuron's error comes from the next ` +
      `layer's errors, sent back through the weights that connect them, times f'(z). ` +
      `Then each weight's gradient is its input times that error.`;
  }
  const when = read.trace.update_order === "eager"
    ? "In the eager order each layer already moved during the backward pass, so the earlier " +
      "layers' steps were computed through moved weights: this is not a true gradient step."
    : "All the errors are known by now, so every gradient was computed with the weights as " +
      "they were in the forward pass.";
  return `${updateWords(read.trace, stage)} ${when}`;
}

// What the update does, by the optimiser that makes it.
function updateWords({ optimizer: o }, stage) {
  const eta = `η = ${formatNumber(stage.learning_rate)}`;
  const t = `This is its step ${stage.step_count}.`;
  if (!o || (o.name === "sgd" && !o.momentum)) {
    return `Update: every weight and bias moves against its gradient, scaled by the learning rate ${eta}.`;
  }
  if (o.name === "sgd") {
    return `Update by gradient descent with momentum μ = ${o.momentum}: each parameter keeps a velocity b ` +
      `that adds up its gradients, older ones shrinking by μ each step, and moves by −η b (${eta}). ${t}`;
  }
  if (o.name === "rmsprop") {
    return `Update by RMSProp: each gradient is divided by the square root of a running mean of its ` +
      `squares (smoothing α = ${o.alpha}), so every parameter takes steps of a similar size (${eta}). ${t}`;
  }
  return `Update by ${o.name === "adamw" ? "AdamW" : "Adam"}: each parameter moves by the running mean of ` +
    `its gradient m over the square root of the running mean of its square v, both corrected for ` +
    `starting at zero (β = ${o.betas.join(", ")}, ${eta}). ${t}`;
}

// The line that says which neuron, weight and sample the formulas show.
function focusLine(parts, read) {
  const items = [el("span", { text: "Showing " }), ...parts];
  if (read.N > 1) items.push(el("span", { text: ` for sample ${read.i + 1} of ${read.N}` }));
  items.push(el("span", { text: ". Select another in the diagram or the inspector." }));
  return items;
}

function neuronWords(layer, j) {
  const span = el("span", { text: `neuron ${j + 1} of layer ${layer} (` });
  span.append(nodeSymbolFor("z", layer, j), el("span", { text: ")" }));
  return span;
}

function nodeSymbolFor(base, layer, j, k) {
  return symbol(base, String(layer), k === undefined ? indexLabel(j) : indexLabel(j, k));
}

const STAGE_VIEWS = {
  forward(stage, read, formulas) {
    const l = stage.layer;
    const j = read.neuron(l);
    const { i } = read;
    const z = entry(stage.pre_activation, [i, j]);
    const a = entry(stage.activation, [i, j]);
    return {
      label: focusLine([neuronWords(l, j)], read),
      blocks: [
        formulaBlock(formulas, "pre_activation", { l, j: j + 1, prev: l - 1, z }),
        formulaBlock(formulas, "activation", { l, j: j + 1, z, a },
          `Here f is ${stage.activation_name}.`),
      ],
      extra: [],
    };
  },

  loss(stage, read, formulas) {
    const j = read.neuron(read.L);
    const { i } = read;
    const grad = entry(stage.grad_output, [i, j]);
    const extra = [];
    if (read.N > 1) {
      extra.push(el("p", { text: `Sample ${i + 1}'s own loss is ${formatNumber(stage.per_sample_loss[i])}; ` +
        `C is the mean of the ${read.N} samples' losses.` }));
    }
    if (onLogits(read.catalog, stage.loss_name)) {
      extra.push(el("p", { text: "The engine differentiates this loss with respect to z^L directly, " +
        "so ∂C/∂a above is shown for reference; the backward pass starts from (a − y)/N." }));
    }
    // With an L2 penalty, C = C0 + penalty comes first (the caption shows it), then the loss on
    // the data alone.
    const penalized = typeof stage.penalty === "number";
    const total = penalized
      ? [formulaBlock(formulas, "loss_penalty", { data: stage.data_loss, penalty: stage.penalty, loss: stage.loss })]
      : [];
    return {
      label: focusLine([el("span", { text: `output ${j + 1}` })], read),
      blocks: [
        ...total,
        formulaBlock(formulas, `loss_${stage.loss_name}`, { loss: penalized ? stage.data_loss : stage.loss },
          penalized ? "Here that is C₀, the cost on the data alone, without the penalty." : ""),
        formulaBlock(formulas, "grad_output", { l: read.L, j: j + 1, grad },
          grad === null ? "Infinite: the output is saturated at exactly 0 or 1." : ""),
      ],
      extra,
    };
  },

  backward(stage, read, formulas) {
    const l = stage.layer;
    const j = read.neuron(l);
    const [wj, wk] = read.weight(l);
    const { N } = read;
    const blocks = [deltaBlock(stage, read, formulas, j)];
    blocks.push(...weightGradientBlocks(stage, read, formulas, wj, wk));
    blocks.push(formulaBlock(formulas, "grad_bias", { l, j: j + 1, grad: stage.grad_biases[j] },
      N > 1 ? `With a batch, this is δ summed over the ${N} samples.` : ""));
    const extra = [];
    if (stage.updated_weights) {
      extra.push(el("p", { text: l > 1
        ? `Eager order: layer ${l}'s weights were changed right here, before the error went on ` +
          `to layer ${l - 1}. The earlier layers' gradients will use the moved weights, so the ` +
          `step is no longer along the negative gradient.`
        : "Eager order: layer 1's weights were changed right here, as soon as their gradient " +
          "was known.", class: "warning" }));
    }
    return {
      label: focusLine([neuronWords(l, j), el("span", { text: " and weight " }),
        nodeSymbolFor("w", l, wj, wk)], read),
      blocks,
      extra,
    };
  },

  update(stage, read, formulas) {
    const sel = read.selection;
    const isBias = sel && sel.kind === "bias" && sel.layer >= 1 && sel.layer <= read.L;
    const l = isBias ? sel.layer : sel && sel.layer >= 1 && sel.layer <= read.L ? sel.layer : 1;
    const { trace } = read;
    const at = isBias ? { kind: "bias", l, j: read.neuron(l) } : { kind: "weight", l, ...pairOf(read.weight(l)) };
    const name = isBias ? nodeSymbolFor("b", l, at.j) : nodeSymbolFor("w", l, at.j, at.k);
    const label = [el("span", { text: "Showing " }), name,
      el("span", { text: ". Select another weight or bias to see its step." })];
    const stateful = optimizerBlocks(stage, trace, formulas, at);
    if (stateful) return { label, ...stateful, extra: [] };
    const backward = findStage(trace, "backward", l);
    const values = isBias
      ? { w: trace.params_before.biases[l - 1][at.j], grad: backward.grad_biases[at.j], new: stage.biases[l - 1][at.j] }
      : { w: trace.params_before.weights[l - 1][at.j][at.k], grad: backward.grad_weights[at.j][at.k],
        new: stage.weights[l - 1][at.j][at.k] };
    const note = isBias ? "For a bias, w stands for b." : "";
    return { label, blocks: [formulaBlock(formulas, "update", { ...values, eta: stage.learning_rate }, note)], extra: [] };
  },
};

// δ at the stage's layer for neuron j: the output formula that fits the loss, or the hidden one.
function deltaBlock(stage, read, formulas, j) {
  const { trace, i, L, loss, N } = read;
  const l = stage.layer;
  const delta = entry(stage.delta, [i, j]);
  const forward = findStage(trace, "forward", l);
  if (l === L && onLogits(read.catalog, loss.loss_name)) {
    return formulaBlock(formulas, "delta_output_fused", {
      l, j: j + 1, a: entry(forward.activation, [i, j]), y: entry(loss.targets, [i, j]), n: N, delta,
    });
  }
  if (mixesLayer(read.catalog, forward.activation_name)) {
    const block = el("div", { class: "formula-block" });
    block.append(el("p", { text: `δ for output ${j + 1}: ${formatNumber(delta)}. A softmax output mixes ` +
      `all the outputs, so f'(z) is a matrix (the Jacobian) and δ sums ∂C/∂a over every output ` +
      `through it rather than multiplying one number.`, class: "formula-note" }));
    return block;
  }
  const fprime = activationDerivative(trace, l, i, j);
  const note = fprime === undefined ? "f'(z) is only in the trace's per-node events, which are " +
    "not sent for networks this large." : "";
  if (l === L) {
    return formulaBlock(formulas, "delta_output", {
      l, j: j + 1, grad: entry(loss.grad_output, [i, j]), fprime, delta }, note);
  }
  return formulaBlock(formulas, "delta_hidden", {
    l, j: j + 1, next: l + 1, fprime, sum: entry(stage.grad_activation, [i, j]), delta }, note);
}

// ∂C/∂w for one weight. One sample: a × δ. A batch: the mean of the samples' own gradients.
function weightGradientBlocks(stage, read, formulas, j, k) {
  const { trace, i, N } = read;
  const l = stage.layer;
  const grad = stage.grad_weights[j][k];
  const ids = { l, j: j + 1, k: k + 1, prev: l - 1 };
  if (N === 1) {
    const a = entry(activations(trace, l - 1, read.inputs), [0, k]);
    return [formulaBlock(formulas, "grad_weight", { ...ids, a, delta: entry(stage.delta, [0, j]), grad })];
  }
  const own = stage.per_sample_grad_weights && stage.per_sample_grad_weights[i][j][k];
  const note = own === undefined ? "" : `Sample ${i + 1} alone would give ∂Cᵢ/∂w = ` +
    `${formatNumber(own)} (N × its a × δ, as C averages N samples' costs).`;
  return [formulaBlock(formulas, "batch_mean", { grad }, note)];
}
