// The playground's state: the shareable part (what a link holds, see core/url-state.js) with
// its defaults, the runtime part a page never shares, and the requests both give rise to.

import { targetsFor } from "./network-fit.js";

// What the playground shows with nothing asked for: xor with one hidden layer, stepped on a
// batch of 8.
export const DEFAULTS = Object.freeze({
  network: { layer_sizes: [2, 4, 1], activations: ["tanh", "sigmoid"], loss: "binary_cross_entropy" },
  init: "auto",
  seed: 1,
  params: null,
  data: { name: "xor", samples: 100, noise: 0.1, seed: 0 },
  points: null,
  learningRate: 0.5,
  optimizer: null, // plain SGD; else {name, ...the hyperparameters that differ from the catalog's defaults}
  optimizerState: null, // the optimiser's state after the last update applied (null: a fresh start)
  l2: 0, // λ of the L2 penalty the cost carries
  batchSize: 8,
  updateOrder: "after_backward",
  view: "neurons",
  edges: "auto", // what the neuron view's edges show: by the stage, or W, dC/dW or the change
  level: "stage",
  stage: 0,
  event: 0,
  sample: 0,
  pad: null, // the drawing pad's pixels, one character each (playground/pad-model.js), or none
  padLabel: 0, // the digit the drawing is, its target
  preset: null,
  hidden: [],
  present: false,
});

// What a change of network, seed or initialisation resets: the weights are drawn afresh and the
// optimiser starts again.
export const FRESH = Object.freeze({ params: null, optimizerState: null });

// Runtime state, never in a link.
export const RUNTIME = Object.freeze({
  dataset: null, // {inputs, targets}: the points in use (generated or explicit)
  projection: null, // {dataset, points, explained}: many-input data on two principal components
  trace: null, // POST /api/v1/iterations at layer granularity
  scalarTrace: null, // the same iteration at scalar granularity, for the computational graph
  selection: null, // {kind: "weight" | "bias" | "neuron", layer, j, k}
  training: null, // set by the training panel while it runs
  playing: false, // playback of the stages is running
  pace: { speed: 1, slow: false }, // playback speed and slow motion: the animations follow them
  iteration: 0, // updates applied since the page opened (stepping on from the update)
  past: [], // the parameters each applied update started from, to step back across iterations
  appliedFrom: null, // the loss before "apply update", until the next trace says where it went
  notice: "", // a sentence for the status line: what the last coarse step did
  nextLoss: null, // {trace, loss}: the loss on this batch after this trace's update
  settingsOpen: false, // the network's settings drawer
  started: false, // the learner has stepped at least once (the start hint goes)
  reveal: false, // the inspector shows the whole iteration, not only what this stage computed
  busy: false,
  error: null,
});

// The batch one stepped iteration uses: the first `batchSize` points, targets in the
// network's shape.
export function steppingBatch(catalog, state) {
  const { inputs, targets } = state.dataset;
  const size = Math.max(1, Math.min(state.batchSize || inputs.length, inputs.length));
  return { inputs: inputs.slice(0, size),
    targets: targetsFor(catalog, state.network, targets.slice(0, size)) };
}

// The body of POST /api/v1/iterations for the current state.
export function iterationBody(catalog, state, granularity = "layer") {
  const body = {
    network: state.network,
    seed: state.seed,
    init: state.init,
    learning_rate: state.learningRate,
    update_order: state.updateOrder,
    granularity,
    ...steppingBatch(catalog, state),
  };
  if (state.params) body.params = state.params;
  // Image data also ask for ∂C/∂x, the saliency the image view shows.
  if (state.dataset && state.dataset.image) body.input_gradient = true;
  return { ...body, ...updateFields(state) };
}

// What a request says about the update: the optimiser, its state, the L2 penalty (only when set,
// so plain SGD sends what it always sent).
export function updateFields(state) {
  const fields = {};
  if (state.optimizer) fields.optimizer = state.optimizer;
  if (state.optimizer && state.optimizerState) fields.optimizer_state = state.optimizerState;
  if (state.l2) fields.l2 = state.l2;
  return fields;
}
