// Keeping the neuron maps (POST /api/v1/maps) in step with the parameters on screen: the
// stepped iteration's, or training's while it runs. One request at a time: when it answers, the
// newest parameters are asked for next, and never queue up behind it. While training runs they
// are asked for at most every TRAINING_GAP ms: maps as fast as the server answers took the one
// worker from training's own requests and the page's time from drawing them (the largest
// network trained at 12 screen updates a second instead of 30).

import { mapQuantities, mapSize, mappable } from "../views/map-model.js";
import { targetsFor } from "./network-fit.js";

const TRAINING_GAP = 200; // ms: at most five sets of maps a second while training runs

// The parameters the maps are for: training's while it runs, else the iteration's.
function paramsShown(state) {
  if (state.liveParams && state.training && state.training.status === "running") return state.liveParams;
  return state.trace ? state.trace.params_before : null;
}

// The request for the maps the state shows, or null when there are none to show: maps off,
// data that are not 1-D or 2-D, the diagram hidden, or a trace on its way (its network and
// parameters may not match yet).
export function mapsBody(catalog, state) {
  const quantities = mapQuantities(state.maps);
  const params = paramsShown(state);
  if (!quantities.length || !params || state.busy || !mappable(state.dataset) || state.hidden.includes("diagram")) {
    return null;
  }
  return {
    network: state.network, params, size: mapSize(state.network.layer_sizes), quantities,
    inputs: state.dataset.inputs, targets: targetsFor(catalog, state.network, state.dataset.targets),
  };
}

const training = (state) => Boolean(state.training && state.training.status === "running");

export function keepMapsCurrent(store, services) {
  let sending = false;
  let sent = null; // what the last request was made from: {params, dataset, quantities, network}
  let sentAt = -Infinity;
  let waiting = 0;
  let shownFor = null; // the data the maps on screen were computed for
  const same = (a, b) => a && b && a.params === b.params && a.dataset === b.dataset
    && a.key === b.key;
  async function send() {
    const state = store.get();
    // Maps of other data (a request still on its way, or the new data's not yet asked for) are
    // not shown over these points: their nearest points are other rows.
    if (state.neuronMaps && shownFor !== state.dataset) store.set({ neuronMaps: null });
    const body = mapsBody(services.catalog, state);
    const from = body && { params: body.params, dataset: state.dataset,
      key: JSON.stringify([body.network, body.quantities, body.size]) };
    if (!body) {
      sent = null;
      if (state.neuronMaps && !state.busy) store.set({ neuronMaps: null });
      return;
    }
    if (sending || same(from, sent)) return;
    const wait = training(state) ? sentAt + TRAINING_GAP - performance.now() : 0;
    if (wait > 0) {
      if (!waiting) waiting = setTimeout(() => { waiting = 0; send(); }, wait);
      return;
    }
    sending = true;
    sent = from;
    sentAt = performance.now();
    try {
      const answer = await services.api.maps(body);
      if (store.get().dataset === from.dataset) {
        shownFor = from.dataset;
        store.set({ neuronMaps: answer });
      }
    } catch (error) {
      store.set({ neuronMaps: null, notice: `The neuron maps could not be computed: ${error.message}` });
    } finally {
      sending = false;
    }
    send();
  }
  store.subscribe(["trace", "liveParams", "training", "maps", "dataset", "hidden", "busy"], () => send());
  send();
}
