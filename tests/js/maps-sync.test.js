// The neuron maps kept in step with the parameters on screen: one request at a time, at once for
// a stepped iteration, and no more than one every 200 ms while training runs, always for the
// newest parameters.

import assert from "node:assert/strict";
import { test } from "node:test";
import { createStore } from "../../static/js/core/store.js";
import { keepMapsCurrent } from "../../static/js/playground/maps-sync.js";
import { fixture } from "./fixtures.js";

const catalog = fixture("catalog");
const network = { layer_sizes: [2, 3, 1], activations: ["tanh", "sigmoid"], loss: "binary_cross_entropy" };
const dataset = { inputs: [[0, 0], [0, 1], [1, 0], [1, 1]], targets: [[0], [1], [1], [0]] };
const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

function watched(state) {
  const store = createStore({ maps: "auto", network, dataset, hidden: [], busy: false, training: null,
    trace: { params_before: { id: 0 } }, neuronMaps: null, ...state });
  const asked = [];
  const maps = async (body) => {
    asked.push({ at: performance.now(), params: body.params });
    return { asked: asked.length };
  };
  keepMapsCurrent(store, { catalog, api: { maps } });
  return { store, asked };
}

test("each stepped iteration's maps are asked for at once, and maps off asks for none", async () => {
  const { store, asked } = watched({});
  await sleep(0);
  store.set({ trace: { params_before: { id: 1 } } });
  await sleep(0);
  assert.deepEqual(asked.map((a) => a.params.id), [0, 1]);
  store.set({ maps: "off" });
  store.set({ trace: { params_before: { id: 2 } } });
  await sleep(0);
  assert.equal(asked.length, 2);
  assert.equal(store.get().neuronMaps, null);
});

test("while training runs the maps follow at most every 200 ms, ending on the newest parameters", async () => {
  const { store, asked } = watched({ training: { status: "running" } });
  let newest = null;
  const started = performance.now();
  while (performance.now() - started < 700) {
    newest = { id: performance.now() };
    store.set({ liveParams: newest });
    await sleep(10);
  }
  await sleep(250);
  const gaps = asked.slice(1).map((a, i) => a.at - asked[i].at);
  assert.ok(asked.length >= 3 && asked.length <= 6, `${asked.length} requests in 0.7 s`);
  assert.ok(gaps.every((gap) => gap >= 195), `gaps ${gaps.map(Math.round)}`);
  assert.equal(asked.at(-1).params, newest);
});

test("maps of other data are never shown over the new data's points", async () => {
  const { store, asked } = watched({});
  await sleep(0);
  assert.equal(store.get().neuronMaps.asked, 1);
  const other = { inputs: [[1, 1], [2, 2]], targets: [[1], [0]] };
  store.set({ dataset: other, busy: true }); // new data: their trace is on its way
  assert.equal(store.get().neuronMaps, null);
  store.set({ busy: false, trace: { params_before: { id: 5 } } });
  await sleep(0);
  assert.equal(asked.at(-1).params.id, 5);
  assert.equal(store.get().neuronMaps.asked, asked.length);
});

test("an answer for data changed while it was on its way is dropped", async () => {
  let answer = null;
  const store = createStore({ maps: "auto", network, dataset, hidden: [], busy: false, training: null,
    trace: { params_before: { id: 0 } }, neuronMaps: null });
  keepMapsCurrent(store, { catalog, api: { maps: () => new Promise((resolve) => { answer = resolve; }) } });
  store.set({ dataset: { inputs: [[3, 3], [4, 4]], targets: [[0], [1]] }, busy: true });
  answer({ late: true });
  await sleep(0);
  assert.equal(store.get().neuronMaps, null);
});
