// The URL table: every field round-trips, defaults stay out of links, damaged fields are
// reported and skipped, and links written before keep opening what they opened.

import assert from "node:assert/strict";
import { test } from "node:test";
import { open } from "./link-check.test.js";
import { FIELDS, URL_KEYS, fromHash, toHash } from "../../static/js/core/url-state.js";
import { DEFAULTS } from "../../static/js/playground/state.js";

const FULL = {
  ...structuredClone(DEFAULTS),
  network: { layer_sizes: [2, 3, 3, 2], activations: ["relu", "tanh", "softmax"], loss: "cross_entropy" },
  init: "he", seed: 42, params: { weights: [[[0.5, -1]]], biases: [[0.25]] },
  data: { name: "spiral", samples: 300, noise: 0.2, seed: 7 }, points: { inputs: [[1, 2]], targets: [[0]] },
  learningRate: 0.03, optimizer: { name: "adam", betas: [0.8, 0.99], eps: 1e-6, amsgrad: true },
  optimizerState: { step: 3, exp_avg: { weights: [[[0.1, 0.2]]], biases: [[0.3]] } }, l2: 0.01, batchSize: 16, updateOrder: "eager", view: "scalar", edges: "change", level: "node", stage: 4,
  event: 9, sample: 2, pad: "0g80", padLabel: 7, preset: "xor", hidden: ["data", "train"], present: true,
};

test("every field of the table round-trips", () => {
  const hash = toHash(FULL, DEFAULTS);
  const { state, problems } = fromHash(`#${hash}`, DEFAULTS);
  assert.deepEqual(problems, []);
  for (const key of URL_KEYS) assert.deepEqual(state[key], FULL[key], key);
  assert.equal(new URLSearchParams(hash).size, FIELDS.length);
});

test("a state at its defaults has an empty hash", () => {
  assert.equal(toHash(DEFAULTS, DEFAULTS), "");
  assert.equal(toHash({ ...DEFAULTS, stage: 3 }, DEFAULTS), "stage=3");
});

test("a damaged field is reported and the rest of the link still opens", () => {
  const { state, problems } = fromHash("#stage=abc&seed=5&params=%%%", DEFAULTS);
  assert.equal(state.seed, 5);
  assert.equal(state.stage, DEFAULTS.stage);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /^params=%%%: cannot be read \(.+\); using none$/);
  assert.equal(problems[1], "stage=abc: cannot be read (not a number); using 0");
});

// Links as they were written before this version, and what each must still open.
const OLD_LINKS = [
  ["#preset=tiny-2-2-2&stage=3", { preset: "tiny-2-2-2", stage: 3 }],
  ["#net=2-8-8-1&act=tanh,tanh,sigmoid&loss=binary_cross_entropy&data=circles&n=200&noise=0.05&dseed=3&lr=0.1&batch=32",
    { network: { layer_sizes: [2, 8, 8, 1], activations: ["tanh", "tanh", "sigmoid"], loss: "binary_cross_entropy" },
      data: { name: "circles", samples: 200, noise: 0.05, seed: 3 }, learningRate: 0.1, batchSize: 32 }],
  ["#order=eager&view=scalar&level=node&event=7&sample=1&init=xavier&seed=9",
    { updateOrder: "eager", view: "scalar", level: "node", event: 7, sample: 1, init: "xavier", seed: 9 }],
  ["#hide=topbar,network,data,train,gradcheck,export&present=1",
    { hidden: ["topbar", "network", "data", "train", "gradcheck", "export"], present: true }],
  ["#points=eyJpbnB1dHMiOltbMC4xLDAuMl1dLCJ0YXJnZXRzIjpbWzFdXX0", { points: { inputs: [[0.1, 0.2]], targets: [[1]] } }],
];

test("old links open what they opened, every field passing the link's checks", () => {
  for (const [hash, expected] of OLD_LINKS) {
    const { state, problems } = open(hash);
    assert.deepEqual(problems, [], hash);
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(state[key], value, `${hash}: ${key}`);
  }
});
