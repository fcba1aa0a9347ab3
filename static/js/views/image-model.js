// What the image view shows at a stage, as plain data read from the trace: the sample's pixels
// and, once backward has reached the input, its saliency ∂C/∂x; every first-layer neuron's 64
// incoming weights as an image (or their gradients, or their change, as the edge mode says); the
// later layers' weight matrices and neurons; the output's probabilities with the target marked.
// It builds on the neuron diagram's model (the same stages reached, sample and edge mode), so
// both views always show the same numbers. Pure: no DOM.

import { maxAbs } from "../core/svg.js";
import { findStage } from "../trace/model.js";
import { sup } from "../trace/notation.js";
import { neuronModel, neuronQuantity, paramQuantity, steppedBy } from "./neuron-model.js";

// The image shape an input row has, [height, width], when the data in use are images whose size
// is the network's input layer; null otherwise.
export function imageShapeOf(state) {
  const image = state.dataset && state.dataset.image;
  const inputs = state.network && state.network.layer_sizes[0];
  return image && image[0] * image[1] === inputs ? image : null;
}

// Layer l's weights and biases as the edge mode shows them, with one scale for the layer (its
// largest magnitude now), so every layer's image uses its full range of colour.
export function layerParams(view, l) {
  const rows = Array.from({ length: view.sizes[l] }, (_, j) =>
    Array.from({ length: view.sizes[l - 1] }, (_, k) => paramQuantity(view, "weight", l, j, k)));
  const biases = Array.from({ length: view.sizes[l] }, (_, j) => paramQuantity(view, "bias", l, j));
  const first = rows[0][0];
  const shown = (q) => (q.pending || q.shown === null ? 0 : q.shown);
  return { rows, biases, mode: first.mode, pending: Boolean(first.pending),
    scale: maxAbs(rows.map((row) => row.map(shown))), biasScale: maxAbs(biases.map(shown)) };
}

// ∂C/∂x for the sample, once backward has reached layer 1 (null before, or when the trace was
// not asked for it).
function saliencyOf(view) {
  const stage = view.backward[1];
  if (!stage || !stage.grad_inputs) return null;
  const values = stage.grad_inputs[view.sample];
  return { values, scale: maxAbs(values) };
}

const argmax = (values) => values.reduce((best, v, i) => (v !== null && v > values[best] ? i : best), 0);

// The output layer for the sample: its activations (probabilities, for softmax) once forward has
// reached it, the target's class and the network's, the sample's loss once computed.
function outputOf(view) {
  const { L, sample, trace } = view;
  const forward = view.forward[L];
  const loss = findStage(trace, "loss");
  const target = loss.targets[sample];
  const values = forward ? forward.activation[sample] : null;
  return {
    values,
    softmax: view.activations[L - 1] === "softmax",
    target: argmax(target),
    predicted: values ? argmax(values) : null,
    loss: view.loss ? { batch: trace.loss, own: view.loss.per_sample_loss[sample] } : null,
  };
}

// Everything the picture shows, as plain data. `image` is [height, width].
export function imageModel(state, inputs, sizes, scales, image) {
  const view = neuronModel(state, inputs, sizes, scales);
  return {
    ...view,
    image,
    pixels: view.inputs[view.sample] || [],
    saliency: saliencyOf(view),
    layers: sizes.map((_, l) => (l === 0 ? null : layerParams(view, l))),
    neurons: sizes.map((n, l) => Array.from({ length: n }, (_, j) => neuronQuantity(view, l, j))),
    output: outputOf(view),
  };
}

// What the weight images show, in words, for the edge mode in use.
export function layerWords(view, l) {
  const { mode } = view.layers[l];
  if (mode === "gradient") return `∂C/∂W${sup(l)}`;
  if (mode === "change") return steppedBy(view.trace) ? `ΔW${sup(l)} (${steppedBy(view.trace)})` : `ΔW${sup(l)} = −η ∂C/∂W${sup(l)}`;
  return view.update ? `new W${sup(l)}` : `W${sup(l)}`;
}

// A sentence on what each part shows now.
export function imageCaption(view) {
  const { stage, sample, batch, L } = view;
  const of = `sample ${sample + 1} of ${batch}`;
  const tiles = {
    weight: "each hidden neuron's 64 incoming weights as an image: the pattern it responds to (blue adds, orange subtracts)",
    gradient: "each hidden neuron's weight gradient ∂C/∂W¹ⱼ as an image: how the cost changes with each of its weights",
    change: "the change each weight image takes at the update",
  }[view.layers[1].mode];
  const lines = [`Left: the pixels x of ${of}${view.saliency ? ", and below them ∂C/∂x, how the cost changes with each pixel (the saliency)" : ""}. `
    + `Middle: ${tiles}; the strip under each shows ${view.backward[1] ? "its δ¹ⱼ" : "its activation a¹ⱼ"}.`];
  if (stage.phase === "forward" && stage.layer < L) lines.push("The output bars fill in when forward reaches the last layer.");
  else if (view.output.values) {
    lines.push(`Right: the ${view.output.softmax ? "probability" : "output"} of each class; the target is marked ✓`
      + `${view.backward[L] ? ", and each bar's square shows its δ = ∂C/∂z" : ""}.`);
  }
  return lines;
}
