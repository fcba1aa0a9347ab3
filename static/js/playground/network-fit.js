// The rules that keep a network valid for its data and its loss: the input size follows the
// data, the loss fixes the output activation, and the output size follows the targets. Which
// loss and activation suits which targets is the catalog's (each one's `targets` or `fits`).

import { entryOf, mixesLayer } from "../core/catalog.js";

// Whether targets of this shape are what a catalog entry's "any", "unit" or "classes" asks for.
function suits(requirement, shape) {
  if (!shape || requirement === "any") return true;
  return requirement === "unit" ? shape.unit : shape.kind !== "regression";
}

// The activations a hidden layer may use (those that do not mix the layer).
export function hiddenActivations(catalog) {
  return catalog.activations.filter((a) => !a.output_only).map((a) => a.name);
}

// One output per class for a layer-mixing activation (softmax) on binary labels (2), else one
// per target column.
export function outputSize(catalog, activation, shape) {
  return shape.kind === "binary" && mixesLayer(catalog, activation) ? 2 : shape.width;
}

export function lossesFor(catalog, shape) {
  return catalog.losses.filter((loss) => suits(loss.targets, shape)).map((loss) => loss.name);
}

export function outputActivationsFor(catalog, lossName, shape) {
  const required = entryOf(catalog, "losses", lossName).output_activation;
  if (required) return [required];
  return catalog.activations.filter((a) => suits(a.fits, shape)).map((a) => a.name);
}

const capital = (text) => `${text[0].toUpperCase()}${text.slice(1)}`;

// The network made valid for the data shape (null: not known yet), with a sentence per change.
export function fitNetwork(catalog, network, shape) {
  const sizes = [...network.layer_sizes];
  const activations = [...network.activations];
  let { loss } = network;
  const notes = [];
  const last = activations.length - 1;
  const lossLabel = (name) => entryOf(catalog, "losses", name).label;
  if (shape && sizes[0] !== shape.dim) {
    sizes[0] = shape.dim;
    notes.push(`The input layer now has ${shape.dim} neuron${shape.dim > 1 ? "s" : ""}, one per input of the data.`);
  }
  if (!lossesFor(catalog, shape).includes(loss)) {
    notes.push(`These targets are not class labels, so the loss is now squared error instead of ${lossLabel(loss)}.`);
    loss = "squared_error";
  }
  const required = entryOf(catalog, "losses", loss).output_activation;
  if (!outputActivationsFor(catalog, loss, shape).includes(activations[last])) {
    const before = activations[last];
    activations[last] = required || "linear";
    notes.push(required
      ? `${capital(lossLabel(loss))} needs a ${required} output layer, so the output activation is now ${required} (it was ${before}).`
      : `A ${before} output cannot reach these targets, so the output layer is now linear.`);
  }
  notes.push(...fitOutputSize(catalog, sizes, activations[last], shape));
  return { network: { layer_sizes: sizes, activations, loss }, notes };
}

// Set the output layer's size for the data (in place); a sentence if it changed.
function fitOutputSize(catalog, sizes, activation, shape) {
  const current = sizes[sizes.length - 1];
  const size = shape ? outputSize(catalog, activation, shape)
    : Math.max(current, mixesLayer(catalog, activation) ? 2 : 1);
  if (current === size) return [];
  sizes[sizes.length - 1] = size;
  if (size === 1) return ["The output layer now has one neuron."];
  return [`The output layer now has ${size} neurons, one per ${shape && shape.kind === "regression" ? "target" : "class"}.`];
}

export function sameNetwork(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Targets in the network's shape: 0/1 labels become one-hot rows for a 2-neuron softmax output.
export function targetsFor(catalog, network, targets) {
  const outputs = network.layer_sizes[network.layer_sizes.length - 1];
  const mixing = mixesLayer(catalog, network.activations[network.activations.length - 1]);
  if (!mixing || outputs !== 2 || !targets.length || targets[0].length !== 1) return targets;
  return targets.map(([y]) => [1 - y, y]);
}
