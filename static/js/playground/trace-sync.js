// Keeping the data and the iteration trace in step with the state through the API: the points
// a dataset reference names, and the trace of the current iteration (again at the scalar
// granularity when the computational graph is in view). The newest request wins. At the update
// the next iteration is asked for ahead, so its loss can be shown and stepping on is instant.

import { countWeights } from "../trace/model.js";

const KEPT = 4; // iteration answers kept, by request body

// The points in use: explicit ones as they are, or the named dataset drawn by the API (with the
// [height, width] of an image when its rows are images).
export async function resolveData(store, api) {
  const state = store.get();
  if (state.points) {
    store.set({ dataset: state.points });
    return;
  }
  const { name, samples, noise, seed } = state.data;
  const data = await api.dataset(name, { samples, noise, seed });
  store.set({ dataset: { inputs: data.inputs, targets: data.targets, image: data.image ?? null } });
}

// POST /api/v1/iterations, each body asked for once while it is among the last few.
function iterationCache(api) {
  const kept = new Map();
  return (body) => {
    const key = JSON.stringify(body);
    if (!kept.has(key)) {
      // A stateful optimiser's trace keeps the state it started from (what the request sent), so
      // the update can show each buffer before and after.
      const sent = body.optimizer ? { optimizer_state_before: body.optimizer_state ?? null } : {};
      kept.set(key, api.iteration(body).then((trace) => ({ ...trace, ...sent }))
        .catch((error) => { kept.delete(key); throw error; }));
      if (kept.size > KEPT) kept.delete(kept.keys().next().value);
    }
    return kept.get(key);
  };
}

async function fetchTraces(state, services, iteration) {
  const trace = await iteration(services.iterationBody(state));
  const scalar = state.view === "scalar"
    && countWeights(state.network.layer_sizes) <= services.catalog.limits.max_scalar_weights;
  const scalarTrace = scalar ? await services.api.iteration(services.iterationBody(state, "scalar")) : null;
  return { trace, scalarTrace };
}

// At the update stage, the next iteration (from the new parameters) is fetched ahead: its loss
// is what this update does to the batch.
function prefetchNext(store, services, iteration) {
  store.subscribe(["trace", "stage"], (state) => {
    const { trace } = state;
    if (!trace || trace.diverged || state.stage < trace.stages.length - 1) return;
    if (state.nextLoss && state.nextLoss.trace === trace) return;
    const from = { params: trace.params_after, optimizerState: trace.optimizer_state_after ?? null };
    iteration(services.iterationBody({ ...state, ...from })).then((next) => {
      if (store.get().trace === trace) store.set({ nextLoss: { trace, loss: next.loss } });
    }, () => {});
  });
}

export function keepTraceCurrent(store, services) {
  const iteration = iterationCache(services.api);
  let latest = 0;
  const refresh = async () => {
    const state = store.get();
    if (!state.dataset) return;
    latest += 1;
    const mine = latest;
    store.set({ busy: true });
    let result;
    try {
      result = { ...await fetchTraces(state, services, iteration), error: null, busy: false };
    } catch (error) {
      result = { trace: null, scalarTrace: null, error: error.message, busy: false };
    }
    if (mine === latest) store.set(result); // outside the try: a subscriber's bug is not an API error
  };
  store.subscribe(["dataset", "network", "params", "seed", "init", "learningRate", "batchSize",
    "updateOrder", "optimizer", "optimizerState", "l2"], refresh);
  store.subscribe(["view"], (state) => {
    if (state.view === "scalar" && !state.scalarTrace) refresh();
  });
  prefetchNext(store, services, iteration);
  // Data that arrive with their own points (a preset fetches them first, so that its network
  // and data change together) are not fetched and run a second time.
  store.subscribe(["data", "points"], (state, changed) => {
    if (changed.includes("dataset")) return;
    resolveData(store, services.api).catch((e) => store.set({ error: e.message }));
  });
}
