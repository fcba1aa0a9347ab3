// Keeping the data and the iteration trace in step with the state through the API: the points
// a dataset reference names, and the trace of the current iteration (again at the scalar
// granularity when the computational graph is in view). The newest request wins.

import { countWeights } from "../trace/model.js";

// The points in use: explicit ones as they are, or the named dataset drawn by the API.
export async function resolveData(store, api) {
  const state = store.get();
  if (state.points) {
    store.set({ dataset: state.points });
    return;
  }
  const { name, samples, noise, seed } = state.data;
  const data = await api.dataset(name, { samples, noise, seed });
  store.set({ dataset: { inputs: data.inputs, targets: data.targets } });
}

async function fetchTraces(state, services, signal) {
  const trace = await services.api.iteration(services.iterationBody(state), signal);
  const scalar = state.view === "scalar"
    && countWeights(state.network.layer_sizes) <= services.catalog.limits.max_scalar_weights;
  const scalarTrace = scalar ? await services.api.iteration(services.iterationBody(state, "scalar"), signal)
    : null;
  return { trace, scalarTrace };
}

export function keepTraceCurrent(store, services) {
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
      result = { ...await fetchTraces(state, services, signal), error: null, busy: false };
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
  // Data that arrive with their own points (a preset fetches them first, so that its network
  // and data change together) are not fetched and run a second time.
  store.subscribe(["data", "points"], (state, changed) => {
    if (changed.includes("dataset")) return;
    resolveData(store, services.api).catch((e) => store.set({ error: e.message }));
  });
}
