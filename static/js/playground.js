// The playground's entry point: builds the store from the URL, keeps the data and the iteration
// trace in step with it through the API, and mounts one module per panel.

import { api } from "./api.js";
import { SCALAR_WEIGHT_LIMIT, countWeights } from "./diagram-model.js";
import { targetsFor } from "./network-fit.js";
import { loadPresets, presetPatch } from "./presets.js";
import { createStore } from "./store.js";
import { fromHash, toHash, URL_KEYS } from "./url-state.js";
import { mountControls } from "./controls.js";
import { mountDataPanel } from "./data-panel.js";
import { mountDiagram } from "./diagram.js";
import { mountPlayer } from "./player.js";
import { mountStagePanel } from "./stage-panel.js";
import { mountInspector } from "./inspector.js";
import { mountTraining } from "./training.js";
import { mountGradcheck } from "./gradcheck-panel.js";
import { mountExport } from "./export.js";

// What the page shows with no hash: xor with one hidden layer, stepped on a batch of 8.
export const DEFAULTS = {
  network: { layer_sizes: [2, 4, 1], activations: ["tanh", "sigmoid"], loss: "binary_cross_entropy" },
  init: "auto",
  seed: 1,
  params: null,
  data: { name: "xor", samples: 100, noise: 0.1, seed: 0 },
  points: null,
  learningRate: 0.5,
  batchSize: 8,
  updateOrder: "after_backward",
  view: "neurons",
  level: "stage",
  stage: 0,
  event: 0,
  sample: 0,
  preset: null,
  hidden: [],
  present: false,
};

// Runtime state, never in the URL.
const RUNTIME = {
  dataset: null, // {inputs, targets}: the points in use (generated or explicit)
  trace: null, // POST /api/v1/iterations at layer granularity
  scalarTrace: null, // the same iteration at scalar granularity, for the scalar view
  selection: null, // {kind: "weight" | "bias" | "neuron", layer, j, k}
  training: null, // set by training.js while it runs
  busy: false,
  error: null,
};


function readFormulas() {
  const element = document.getElementById("formulas");
  return element ? JSON.parse(element.textContent) : {};
}

// The batch one stepped iteration uses: the first `batchSize` points.
export function steppingBatch(state) {
  const { inputs, targets } = state.dataset;
  const size = Math.max(1, Math.min(state.batchSize || inputs.length, inputs.length));
  return { inputs: inputs.slice(0, size), targets: targetsFor(state.network, targets.slice(0, size)) };
}

// The body of POST /api/v1/iterations for the current state.
export function iterationBody(state, granularity = "layer") {
  const body = {
    network: state.network,
    seed: state.seed,
    init: state.init,
    learning_rate: state.learningRate,
    update_order: state.updateOrder,
    granularity,
    ...steppingBatch(state),
  };
  if (state.params) body.params = state.params;
  return body;
}

function showError(store) {
  const element = document.getElementById("error");
  const { error } = store.get();
  element.hidden = !error;
  element.textContent = error || "";
}

function applyHidden(state) {
  for (const section of document.querySelectorAll("[data-control]")) {
    section.hidden = state.hidden.includes(section.dataset.control);
  }
  // A column whose panels are all hidden takes no room, so an embedded view can be narrow.
  const main = document.getElementById("playground");
  for (const column of document.querySelectorAll(".column")) {
    column.hidden = [...column.children].every((child) => child.hidden);
  }
  main.classList.toggle("without-left", main.querySelector(".column-left").hidden);
  main.classList.toggle("without-right", main.querySelector(".column-right").hidden);
  document.body.classList.toggle("present", Boolean(state.present));
}

async function resolveData(store) {
  const state = store.get();
  if (state.points) {
    store.set({ dataset: state.points });
    return;
  }
  const { name, samples, noise, seed } = state.data;
  const data = await api.dataset(name, { samples, noise, seed });
  store.set({ dataset: { inputs: data.inputs, targets: data.targets } });
}

// Re-run the iteration whenever what it depends on changes; the newest request wins.
function keepTraceCurrent(store) {
  let controller = null;
  const refresh = async () => {
    const state = store.get();
    if (!state.dataset) return;
    if (controller) controller.abort();
    controller = new AbortController();
    const { signal } = controller;
    store.set({ busy: true });
    let result;
    try {
      const trace = await api.iteration(iterationBody(state), signal);
      let scalarTrace = null;
      if (state.view === "scalar" && countWeights(state.network.layer_sizes) <= SCALAR_WEIGHT_LIMIT) {
        scalarTrace = await api.iteration(iterationBody(state, "scalar"), signal);
      }
      result = { trace, scalarTrace, error: null, busy: false };
    } catch (error) {
      if (error.name === "AbortError") return;
      result = { trace: null, scalarTrace: null, error: error.message, busy: false };
    }
    store.set(result); // outside the try: a subscriber's bug is not an API error
  };
  store.subscribe(["dataset", "network", "params", "seed", "init", "learningRate", "batchSize",
    "updateOrder"], refresh);
  store.subscribe(["view"], (state) => {
    if (state.view === "scalar" && !state.scalarTrace) refresh();
  });
  return refresh;
}

function keepUrlCurrent(store) {
  let pending = null;
  store.subscribe(URL_KEYS, () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      const hash = toHash(store.get(), DEFAULTS);
      history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
    }, 100);
  });
}

// A link may name a preset instead of spelling out the network: `#preset=xor&stage=2`. The
// preset then takes the place of the defaults, and the link's other fields apply on top.
async function startingState() {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  let base = DEFAULTS;
  if (hash.has("preset") && !hash.has("net")) {
    const presets = await loadPresets(api).catch(() => []);
    const preset = presets.find((p) => p.name === hash.get("preset"));
    if (preset) base = { ...DEFAULTS, ...presetPatch(preset, DEFAULTS) };
  }
  return fromHash(location.hash, base);
}

async function main() {
  const { state: fromUrl, problems } = await startingState();
  const store = createStore({ ...fromUrl, ...RUNTIME });
  if (problems.length) store.set({ error: `Some of the link could not be read: ${problems.join("; ")}` });
  const context = {
    api, formulas: readFormulas(), defaults: DEFAULTS, iterationBody, steppingBatch,
  };

  store.subscribe(["error"], () => showError(store));
  store.subscribe(["hidden", "present"], applyHidden);
  // Data that arrive with their own points (a preset fetches them first, so that its network and
  // data change together) are not fetched and run a second time.
  store.subscribe(["data", "points"], (state, changed) => {
    if (changed.includes("dataset")) return;
    resolveData(store).catch((e) => store.set({ error: e.message }));
  });
  context.refresh = keepTraceCurrent(store);
  keepUrlCurrent(store);
  window.addEventListener("hashchange", () => {
    // A link to a part of the page (the skip link's #diagram) is not a state: keep the state
    // and put its hash back, rather than reading "#diagram" as "everything at its default".
    const anchor = location.hash.slice(1);
    if (anchor && !anchor.includes("=") && document.getElementById(anchor)) {
      const hash = toHash(store.get(), DEFAULTS);
      history.replaceState(null, "", hash ? `#${hash}` : location.pathname + location.search);
      return;
    }
    // Only what really changed, so an edited #stage=3 does not refetch the trace.
    const next = fromHash(location.hash, DEFAULTS).state;
    const current = store.get();
    const changed = Object.fromEntries(Object.entries(next)
      .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key])));
    store.set(changed);
  });

  mountControls(document.getElementById("controls"), store, context);
  mountDataPanel(document.getElementById("data-panel"), store, context);
  mountDiagram(document.getElementById("diagram"), store, context);
  mountStagePanel(document.getElementById("stage-panel"), store, context);
  mountPlayer(document.getElementById("stage-panel"), store, context);
  mountInspector(document.getElementById("inspector"), store, context);
  mountTraining(document.getElementById("training"), store, context);
  mountGradcheck(document.getElementById("gradcheck"), store, context);
  mountExport(document.getElementById("export"), store, context);

  // Tell heavy later loads (plotly.js) that the first diagram is on screen.
  const stopWatchingFirstDraw = store.subscribe(["trace"], (state) => {
    if (!state.trace) return;
    stopWatchingFirstDraw();
    requestAnimationFrame(() => { document.body.dataset.drawn = "true"; });
  });
  applyHidden(store.get());
  showError(store);
  await resolveData(store).catch((e) => store.set({ error: e.message }));
  document.body.dataset.ready = "true";
}

main();
