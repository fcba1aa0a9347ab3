// The rules that keep a network valid for its data and its loss: the input size follows the
// data, the loss fixes the output activation, and the output size follows the targets.

export const MAX_HIDDEN_LAYERS = 5; // engine/spec.py MAX_LAYERS (6) computing layers, less the output
export const MAX_NEURONS = 32; // engine/spec.py MAX_NEURONS

export const ACTIVATION_NAMES = {
  tanh: "tanh",
  sigmoid: "sigmoid",
  relu: "ReLU",
  leaky_relu: "leaky ReLU",
  linear: "linear (identity)",
  softmax: "softmax",
};
export const HIDDEN_ACTIVATIONS = ["tanh", "sigmoid", "relu", "leaky_relu", "linear"];

// Each loss and the output activation it needs (null: any).
export const LOSSES = {
  squared_error: { text: "squared error", output: null },
  binary_cross_entropy: { text: "binary cross-entropy", output: "sigmoid" },
  cross_entropy: { text: "cross-entropy", output: "softmax" },
};

const isOneHot = (row) => row.every((v) => v === 0 || v === 1) && row.filter((v) => v === 1).length === 1;

// What the data are: input dimension, target width, and kind: "binary" (one 0/1 label),
// "classes" (one-hot rows, `classes` of them) or "regression" (any numbers); `unit` says the
// targets all lie in [0, 1].
export function dataShape(dataset) {
  if (!dataset || !dataset.inputs.length) return null;
  const { inputs, targets } = dataset;
  const width = targets[0].length;
  const unit = targets.every((row) => row.every((v) => v >= 0 && v <= 1));
  let kind = "regression";
  if (width === 1 && targets.every(([v]) => v === 0 || v === 1)) kind = "binary";
  else if (width > 1 && targets.every(isOneHot)) kind = "classes";
  const classes = kind === "binary" ? 2 : kind === "classes" ? width : null;
  return { dim: inputs[0].length, width, kind, classes, unit };
}

// The class of each target row (0/1 label or one-hot position), or null for regression.
export function classOf(target, shape) {
  if (shape.kind === "binary") return target[0];
  if (shape.kind === "classes") return target.indexOf(1);
  return null;
}

// One output per class for softmax on binary labels (2), else one per target column.
export function outputSize(activation, shape) {
  return shape.kind === "binary" && activation === "softmax" ? 2 : shape.width;
}

export function lossesFor(shape) {
  if (!shape) return Object.keys(LOSSES);
  return Object.keys(LOSSES).filter((loss) => loss === "squared_error"
    || (loss === "binary_cross_entropy" && shape.unit)
    || (loss === "cross_entropy" && shape.kind !== "regression"));
}

export function outputActivationsFor(loss, shape) {
  const required = LOSSES[loss].output;
  if (required) return [required];
  if (!shape) return [...HIDDEN_ACTIVATIONS, "softmax"];
  return [...HIDDEN_ACTIVATIONS, "softmax"].filter((name) => {
    if (name === "sigmoid") return shape.unit;
    if (name === "softmax") return shape.kind !== "regression";
    return true;
  });
}

// The network made valid for the data shape (null: not known yet), with a sentence per change.
export function fitNetwork(network, shape) {
  const sizes = [...network.layer_sizes];
  const activations = [...network.activations];
  let { loss } = network;
  const notes = [];
  const last = activations.length - 1;
  if (shape && sizes[0] !== shape.dim) {
    sizes[0] = shape.dim;
    notes.push(`The input layer now has ${shape.dim} neuron${shape.dim > 1 ? "s" : ""}, one per input of the data.`);
  }
  if (!lossesFor(shape).includes(loss)) {
    notes.push(`These targets are not class labels, so the loss is now squared error instead of `
      + `${LOSSES[loss].text}.`);
    loss = "squared_error";
  }
  const allowed = outputActivationsFor(loss, shape);
  if (!allowed.includes(activations[last])) {
    const before = activations[last];
    activations[last] = LOSSES[loss].output || "linear";
    notes.push(LOSSES[loss].output
      ? `${LOSSES[loss].text[0].toUpperCase()}${LOSSES[loss].text.slice(1)} needs a ${activations[last]} output layer, so the output activation `
        + `is now ${activations[last]} (it was ${before}).`
      : `A ${before} output cannot reach these targets, so the output layer is now linear.`);
  }
  const current = sizes[sizes.length - 1];
  const size = shape ? outputSize(activations[last], shape)
    : Math.max(current, activations[last] === "softmax" ? 2 : 1);
  if (current !== size) {
    sizes[sizes.length - 1] = size;
    notes.push(size === 1 ? "The output layer now has one neuron."
      : `The output layer now has ${size} neurons, one per ${shape && shape.kind === "regression"
        ? "target" : "class"}.`);
  }
  return { network: { layer_sizes: sizes, activations, loss }, notes };
}

export function sameNetwork(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Targets in the network's shape: 0/1 labels become one-hot rows for a 2-neuron softmax output.
export function targetsFor(network, targets) {
  const outputs = network.layer_sizes[network.layer_sizes.length - 1];
  const softmax = network.activations[network.activations.length - 1] === "softmax";
  if (!softmax || outputs !== 2 || !targets.length || targets[0].length !== 1) return targets;
  return targets.map(([y]) => [1 - y, y]);
}
