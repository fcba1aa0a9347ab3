// The network builder: layers and activations, the loss, initialisation, learning rate, batch
// size and update order. A network from the learner is made valid for the data and the loss,
// with a sentence for each change; every option and limit comes from the catalog.

import { options } from "../core/catalog.js";
import { el } from "../core/dom.js";
import { noteFor, numberField, selectField } from "../core/fields.js";
import { findPreset } from "./presets.js";
import { layerFields, renderLayerFields } from "./layer-fields.js";
import { dataShape } from "../core/data-shape.js";
import { fitNetwork, sameNetwork } from "./network-fit.js";

const LOG_RATE = { min: -4, max: 1 }; // the slider spans 1e-4 to 10
const roundRate = (value) => Number(value.toPrecision(2));

function learningRateField(store, limits) {
  const number = numberField({ label: "Learning rate", above: 0, max: limits.max_learning_rate,
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

// Initialisation, seed, learning rate, batch size and update order.
function settingFields(store, catalog) {
  const { limits } = catalog;
  const s = {
    init: selectField({ label: "Initialisation", options: options(catalog, "init_schemes"), testid: "init",
      onChange: (value) => store.set({ init: value, params: null }) }),
    seed: numberField({ label: "Seed", min: 0, max: limits.max_seed, step: 1, integer: true,
      testid: "seed", onCommit: (value) => store.set({ seed: value, params: null }) }),
    rate: learningRateField(store, limits),
    batch: numberField({ label: "Batch size", min: 1, max: limits.max_batch, step: 1, integer: true,
      testid: "batch-size", onCommit: (batchSize) => store.set({ batchSize }) }),
    order: selectField({ label: "Update order", options: options(catalog, "update_orders"),
      testid: "update-order", onChange: (updateOrder) => store.set({ updateOrder }) }),
  };
  const he = catalog.activations.filter((a) => a.init === "he").map((a) => a.label);
  s.init.element.append(noteFor(s.init.select, `auto: He for ${he.join(" and ")} layers, Xavier for the rest.`));
  const newSeed = el("button", { type: "button", text: "New seed" });
  newSeed.addEventListener("click", () => store.set({ seed: Math.floor(Math.random() * 100000), params: null }));
  s.seed.element.append(newSeed);
  s.orderNote = noteFor(s.order.select);
  s.order.element.append(s.orderNote);
  return s;
}

function renderSettings(catalog, s, state) {
  s.init.set(state.init);
  s.seed.set(state.seed);
  s.rate.set(state.learningRate);
  s.batch.set(state.batchSize);
  s.order.set(state.updateOrder);
  const order = catalog.update_orders.find((o) => o.name === state.updateOrder);
  s.orderNote.textContent = order ? order.note : "";
}

export function mountControls(root, store, services) {
  const { catalog } = services;
  const presetNote = el("p", { class: "preset-note", hidden: true });
  const fitNotes = el("p", { class: "field-note fit-notes", role: "status", "data-testid": "network-notes" });
  // A network from the learner (or new data): made valid for the data and loss; fresh
  // parameters whenever it changed.
  const fit = (network, fromLearner) => {
    const fitted = fitNetwork(catalog, network, dataShape(store.get().dataset));
    if (!fromLearner && sameNetwork(fitted.network, store.get().network)) return;
    fitNotes.textContent = fitted.notes.join(" ");
    store.set({ network: fitted.network, params: null, ...(fromLearner ? { preset: null } : {}) });
  };
  const edit = (change) => {
    const { network } = store.get();
    const next = { layer_sizes: [...network.layer_sizes], activations: [...network.activations], loss: network.loss };
    fit(change(next) || next, true);
  };
  const layers = layerFields(catalog, edit);
  const settings = settingFields(store, catalog);
  root.append(presetNote,
    el("fieldset", { class: "layers" }, el("legend", { text: "Layers" }), layers.inputSize,
      layers.hiddenCount.element, layers.hiddenRows,
      el("div", { class: "layer-row" }, el("p", { class: "layer-fixed" }, "Output: ", layers.outputSize),
        layers.output.element), layers.loss.element, fitNotes),
    el("div", { class: "control-grid" }, settings.init.element, settings.seed.element, settings.rate.element,
      settings.batch.element), settings.order.element);
  const showPreset = async ({ preset }) => {
    const found = preset ? await findPreset(services.api, preset) : null;
    presetNote.hidden = !found;
    if (found) presetNote.replaceChildren(el("strong", { text: found.title }), ` ${found.description}`);
  };
  const render = (state) => {
    renderLayerFields(catalog, layers, state, edit);
    renderSettings(catalog, settings, state);
  };
  store.subscribe(["dataset"], (state) => fit(state.network, false));
  store.subscribe(["network", "dataset", "init", "seed", "learningRate", "batchSize", "updateOrder"], render);
  store.subscribe(["preset"], showPreset);
  render(store.get());
  showPreset(store.get());
}
