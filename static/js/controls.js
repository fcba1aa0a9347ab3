// The network builder: layers and activations, the loss, initialisation, learning rate, batch
// size and update order; it also mounts the preset picker and presenter toggle in the top bar.

import { el, noteFor, numberField, selectField, setOptions } from "./fields.js";
import { loadPresets, mountPresets } from "./presets.js";
import { mountPresentToggle } from "./present.js";
import {
  ACTIVATION_NAMES, HIDDEN_ACTIVATIONS, LOSSES, MAX_HIDDEN_LAYERS, MAX_NEURONS, dataShape,
  fitNetwork, lossesFor, outputActivationsFor, sameNetwork,
} from "./network-fit.js";

const MAX_SEED = 2 ** 32 - 1;
const MAX_BATCH = 512; // app/schemas/common.py MAX_BATCH
const MAX_LEARNING_RATE = 1e6; // app/schemas/common.py LearningRate
const LOG_RATE = { min: -4, max: 1 }; // the slider spans 1e-4 to 10
const INIT_SCHEMES = [["auto", "auto"], ["xavier", "Xavier"], ["he", "He"]];
const ORDERS = [["after_backward", "after the backward pass (correct)"],
  ["eager", "eager (wrong on purpose)"]];
const ORDER_NOTES = {
  after_backward: "Every delta is computed with the weights as they were in the forward pass; "
    + "then all layers move together.",
  eager: "Wrong on purpose: W^l moves before the error has passed back through it, so earlier "
    + "layers get a direction that is no longer the negative gradient.",
};

const activationOptions = (names) => names.map((name) => [name, ACTIVATION_NAMES[name]]);
const roundRate = (value) => Number(value.toPrecision(2));

// One hidden layer's row: its neuron count and activation.
function hiddenRow(index, onSize, onActivation) {
  const size = numberField({ label: `Hidden layer ${index + 1}: neurons`, min: 1, max: MAX_NEURONS,
    step: 1, integer: true, testid: `hidden-size-${index + 1}`, onCommit: onSize });
  const activation = selectField({ label: "activation", options: activationOptions(HIDDEN_ACTIVATIONS),
    testid: `hidden-activation-${index + 1}`, onChange: onActivation });
  return { element: el("div", { class: "layer-row" }, size.element, activation.element), size, activation };
}

function learningRateField(store) {
  const number = numberField({ label: "Learning rate", above: 0, max: MAX_LEARNING_RATE,
    testid: "learning-rate", onCommit: (learningRate) => store.set({ learningRate }) });
  const slider = el("input", { type: "range", min: LOG_RATE.min, max: LOG_RATE.max, step: 0.05,
    "aria-label": "Learning rate, log scale", "data-testid": "learning-rate-slider" });
  slider.addEventListener("input", () => store.set({ learningRate: roundRate(10 ** Number(slider.value)) }));
  number.element.append(slider);
  return {
    element: number.element,
    set(rate) {
      number.set(rate);
      slider.value = Math.min(LOG_RATE.max, Math.max(LOG_RATE.min, Math.log10(rate)));
      slider.setAttribute("aria-valuetext", String(rate));
    },
  };
}

export function mountControls(root, store, context) {
  const tools = document.getElementById("topbar-tools");
  mountPresets(tools, store, context);
  mountPresentToggle(tools, store);

  const presetNote = el("p", { class: "preset-note", hidden: true });
  const fitNotes = el("p", { class: "field-note fit-notes", role: "status", "data-testid": "network-notes" });

  // A network from the learner: made valid for the data and loss, with fresh parameters.
  const setNetwork = (network) => {
    const fitted = fitNetwork(network, dataShape(store.get().dataset));
    fitNotes.textContent = fitted.notes.join(" ");
    store.set({ network: fitted.network, params: null, preset: null });
  };
  const editNetwork = (edit) => {
    const { network } = store.get();
    const next = { layer_sizes: [...network.layer_sizes], activations: [...network.activations],
      loss: network.loss };
    edit(next);
    setNetwork(next);
  };

  const inputSize = el("p", { class: "layer-fixed", "data-testid": "input-size" });
  const hiddenCount = numberField({ label: "Hidden layers", min: 0, max: MAX_HIDDEN_LAYERS, step: 1,
    integer: true, testid: "hidden-layers", onCommit: (count) => editNetwork((net) => {
      const hidden = net.layer_sizes.length - 2;
      const last = hidden ? net.layer_sizes[hidden] : 4;
      const activation = hidden ? net.activations[hidden - 1] : "tanh";
      const sizes = net.layer_sizes.slice(1, 1 + Math.min(count, hidden));
      const activations = net.activations.slice(0, Math.min(count, hidden));
      while (sizes.length < count) { sizes.push(last); activations.push(activation); }
      net.layer_sizes = [net.layer_sizes[0], ...sizes, net.layer_sizes[net.layer_sizes.length - 1]];
      net.activations = [...activations, net.activations[net.activations.length - 1]];
    }) });
  const hiddenRows = el("div", { class: "hidden-rows" });
  let rows = [];
  const outputSize = el("span", { "data-testid": "output-size" });
  const outputActivation = selectField({ label: "activation", options: [], testid: "output-activation",
    onChange: (name) => editNetwork((net) => { net.activations[net.activations.length - 1] = name; }) });
  const outputNote = noteFor(outputActivation.select);
  outputActivation.element.append(outputNote);
  const loss = selectField({ label: "Loss", options: [], testid: "loss",
    onChange: (name) => editNetwork((net) => { net.loss = name; }) });

  const init = selectField({ label: "Initialisation", options: INIT_SCHEMES, testid: "init",
    onChange: (value) => store.set({ init: value, params: null }) });
  init.element.append(noteFor(init.select, "auto: He for ReLU layers, Xavier for the rest."));
  const seed = numberField({ label: "Seed", min: 0, max: MAX_SEED, step: 1, integer: true,
    testid: "seed", onCommit: (value) => store.set({ seed: value, params: null }) });
  const newSeed = el("button", { type: "button", text: "New seed" });
  newSeed.addEventListener("click", () => store.set({
    seed: Math.floor(Math.random() * 100000), params: null }));
  seed.element.append(newSeed);
  const rate = learningRateField(store);
  const batch = numberField({ label: "Batch size", min: 1, max: MAX_BATCH, step: 1, integer: true,
    testid: "batch-size", onCommit: (batchSize) => store.set({ batchSize }) });
  const order = selectField({ label: "Update order", options: ORDERS, testid: "update-order",
    onChange: (updateOrder) => store.set({ updateOrder }) });
  const orderNote = noteFor(order.select);
  order.element.append(orderNote);

  root.append(
    presetNote,
    el("fieldset", { class: "layers" }, el("legend", { text: "Layers" }),
      inputSize, hiddenCount.element, hiddenRows,
      el("div", { class: "layer-row" }, el("p", { class: "layer-fixed" }, "Output: ", outputSize),
        outputActivation.element),
      loss.element, fitNotes),
    el("div", { class: "control-grid" }, init.element, seed.element, rate.element, batch.element),
    order.element,
  );

  const renderHidden = (network) => {
    const hidden = network.layer_sizes.length - 2;
    if (rows.length !== hidden) {
      rows = Array.from({ length: hidden }, (_, index) => hiddenRow(index,
        (size) => editNetwork((net) => { net.layer_sizes[index + 1] = size; }),
        (name) => editNetwork((net) => { net.activations[index] = name; })));
      hiddenRows.replaceChildren(...rows.map((row) => row.element));
    }
    rows.forEach((row, index) => {
      row.size.set(network.layer_sizes[index + 1]);
      row.activation.set(network.activations[index]);
    });
  };

  const render = (state) => {
    const { network } = state;
    const shape = dataShape(state.dataset);
    const sizes = network.layer_sizes;
    const outputs = sizes[sizes.length - 1];
    inputSize.textContent = `Input: ${sizes[0]} (the data's dimension)`;
    hiddenCount.set(sizes.length - 2);
    renderHidden(network);
    outputSize.textContent = `${outputs} neuron${outputs > 1 ? "s" : ""}`;
    setOptions(loss.select, lossesFor(shape).map((name) => [name, LOSSES[name].text]), network.loss);
    const choices = outputActivationsFor(network.loss, shape);
    setOptions(outputActivation.select, activationOptions(choices), network.activations.at(-1));
    outputActivation.select.disabled = choices.length === 1;
    outputNote.textContent = LOSSES[network.loss].output ? "Set by the loss." : "";
    init.set(state.init);
    seed.set(state.seed);
    rate.set(state.learningRate);
    batch.set(state.batchSize);
    order.set(state.updateOrder);
    orderNote.textContent = ORDER_NOTES[state.updateOrder] || "";
  };

  const showPreset = ({ preset }) => {
    presetNote.hidden = !preset;
    if (!preset) return;
    loadPresets(context.api).then((list) => {
      const found = list.find((p) => p.name === preset);
      presetNote.hidden = !found;
      if (found) presetNote.replaceChildren(el("strong", { text: found.title }), ` ${found.description}`);
    }).catch(() => { presetNote.hidden = true; });
  };

  // New data may have another dimension or kind of target: refit the network to it.
  const fitToData = (state) => {
    const fitted = fitNetwork(state.network, dataShape(state.dataset));
    if (sameNetwork(fitted.network, state.network)) return;
    fitNotes.textContent = fitted.notes.join(" ");
    store.set({ network: fitted.network, params: null });
  };

  store.subscribe(["dataset"], fitToData);
  store.subscribe(["network", "dataset", "init", "seed", "learningRate", "batchSize", "updateOrder"], render);
  store.subscribe(["preset"], showPreset);
  render(store.get());
  showPreset(store.get());
}
