// The network's layers as fields: the input (fixed by the data), the number of hidden layers,
// each hidden layer's size and activation, the output's activation and the loss. Every choice
// on offer, and every limit, comes from the catalog.

import { options } from "../core/catalog.js";
import { el } from "../core/dom.js";
import { noteFor, numberField, selectField, setOptions } from "../core/fields.js";
import { dataShape } from "../core/data-shape.js";
import { hiddenActivations, lossesFor, outputActivationsFor } from "./network-fit.js";

// The network with `count` hidden layers: new ones copy the last hidden layer (or 4 tanh).
export function withHiddenLayers(net, count) {
  const hidden = net.layer_sizes.length - 2;
  const last = hidden ? net.layer_sizes[hidden] : 4;
  const activation = hidden ? net.activations[hidden - 1] : "tanh";
  const sizes = net.layer_sizes.slice(1, 1 + Math.min(count, hidden));
  const activations = net.activations.slice(0, Math.min(count, hidden));
  while (sizes.length < count) { sizes.push(last); activations.push(activation); }
  return { layer_sizes: [net.layer_sizes[0], ...sizes, net.layer_sizes[net.layer_sizes.length - 1]],
    activations: [...activations, net.activations[net.activations.length - 1]], loss: net.loss };
}

// One hidden layer's row: its neuron count and activation.
function hiddenRow(catalog, index, onSize, onActivation) {
  const size = numberField({ label: `Hidden layer ${index + 1}: neurons`, min: 1,
    max: catalog.limits.max_neurons, step: 1, integer: true, testid: `hidden-size-${index + 1}`,
    onCommit: onSize });
  const activation = selectField({ label: "activation",
    options: options(catalog, "activations", hiddenActivations(catalog)),
    testid: `hidden-activation-${index + 1}`, onChange: onActivation });
  return { element: el("div", { class: "layer-row" }, size.element, activation.element), size, activation };
}

// The fields; `edit(change)` applies change(network) to a copy and sets it.
export function layerFields(catalog, edit) {
  const f = {
    inputSize: el("p", { class: "layer-fixed", "data-testid": "input-size" }),
    hiddenCount: numberField({ label: "Hidden layers", min: 0, max: catalog.limits.max_layers - 1,
      step: 1, integer: true, testid: "hidden-layers",
      onCommit: (count) => edit((net) => withHiddenLayers(net, count)) }),
    hiddenRows: el("div", { class: "hidden-rows" }),
    rows: [],
    outputSize: el("span", { "data-testid": "output-size" }),
    output: selectField({ label: "activation", options: [], testid: "output-activation",
      onChange: (name) => edit((net) => { net.activations[net.activations.length - 1] = name; }) }),
    loss: selectField({ label: "Loss", options: [], testid: "loss",
      onChange: (name) => edit((net) => { net.loss = name; }) }),
  };
  f.outputNote = noteFor(f.output.select);
  f.output.element.append(f.outputNote);
  return f;
}

function renderHidden(catalog, f, network, edit) {
  const hidden = network.layer_sizes.length - 2;
  if (f.rows.length !== hidden) {
    f.rows = Array.from({ length: hidden }, (_, index) => hiddenRow(catalog, index,
      (size) => edit((net) => { net.layer_sizes[index + 1] = size; }),
      (name) => edit((net) => { net.activations[index] = name; })));
    f.hiddenRows.replaceChildren(...f.rows.map((row) => row.element));
  }
  f.rows.forEach((row, index) => {
    row.size.set(network.layer_sizes[index + 1]);
    row.activation.set(network.activations[index]);
  });
}

export function renderLayerFields(catalog, f, state, edit) {
  const { network } = state;
  const shape = dataShape(state.dataset);
  const sizes = network.layer_sizes;
  const outputs = sizes[sizes.length - 1];
  f.inputSize.textContent = `Input: ${sizes[0]} (the data's dimension)`;
  f.hiddenCount.set(sizes.length - 2);
  renderHidden(catalog, f, network, edit);
  f.outputSize.textContent = `${outputs} neuron${outputs > 1 ? "s" : ""}`;
  setOptions(f.loss.select, options(catalog, "losses", lossesFor(catalog, shape)), network.loss);
  const choices = outputActivationsFor(catalog, network.loss, shape);
  setOptions(f.output.select, options(catalog, "activations", choices), network.activations.at(-1));
  f.output.select.disabled = choices.length === 1;
  const required = catalog.losses.find((loss) => loss.name === network.loss).output_activation;
  f.outputNote.textContent = required ? "Set by the loss." : "";
}
