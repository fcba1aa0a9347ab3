// A link's fields checked before use: each value the playground cannot use falls back (to the
// default, or to what can be kept of it) with a sentence naming the field, the problem and what
// is used instead; the network is made consistent; parameters of the wrong shape are dropped.

import assert from "node:assert/strict";
import { test } from "node:test";
import { fromHash } from "../../static/js/core/url-state.js";
import { checkLink } from "../../static/js/playground/link-check.js";
import { PARTS } from "../../static/js/playground/layout.js";
import { DEFAULTS } from "../../static/js/playground/state.js";
import { EDGE_MODES } from "../../static/js/views/neuron-model.js";
import { fixture } from "./fixtures.js";

const catalog = fixture("catalog");
// The page's lists, as playground.js hands them over (the views are registered by the page).
const KNOWN = { views: ["neurons", "layers", "scalar", "image"], panels: PARTS, edges: EDGE_MODES.map(([mode]) => mode) };

export function open(hash) {
  const read = fromHash(hash, DEFAULTS);
  const checked = checkLink(read.state, DEFAULTS, catalog, KNOWN, new URLSearchParams(hash.slice(1)));
  return { state: checked.state, problems: [...read.problems, ...checked.problems] };
}

// hash → [the state's path, the value used], and words the one problem must contain.
const BAD = [
  ["#loss=nonsense", [["network", "loss"], "binary_cross_entropy"], ["loss=nonsense", "cross_entropy", "using binary_cross_entropy"]],
  ["#net=2-x-1", [["network", "layer_sizes"], [2, 4, 1]], ["net=2-x-1", "whole number from 1 to 32", "using 2-4-1"]],
  ["#net=2-1000-1", [["network", "layer_sizes"], [2, 4, 1]], ["got 1000"]],
  ["#net=2-4-4-4-4-4-4-4-1", [["network", "layer_sizes"], [2, 4, 1]], ["2 to 7 sizes"]],
  ["#act=foo", [["network", "activations"], ["tanh", "sigmoid"]], ["act=foo", "using tanh,sigmoid"]],
  ["#net=2-4-4-1&act=relu", [["network", "activations"], ["tanh", "tanh", "sigmoid"]], ["act=relu", "3"]],
  ["#act=softmax,sigmoid", [["network", "activations"], ["tanh", "sigmoid"]], ["softmax"]],
  ["#lr=abc", [["learningRate"], 0.5], ["lr=abc", "cannot be read", "using 0.5"]],
  ["#lr=0", [["learningRate"], 0.5], ["above 0"]],
  ["#lr=1e9", [["learningRate"], 0.5], ["at most 1000000"]],
  ["#batch=0", [["batchSize"], 8], ["batch=0", "1 to 512"]],
  ["#batch=2.5", [["batchSize"], 8], ["whole number"]],
  ["#seed=-1", [["seed"], 1], ["seed=-1", "0 to 4294967295"]],
  ["#data=nope", [["data", "name"], "xor"], ["data=nope", "spiral"]],
  ["#n=3", [["data", "samples"], 100], ["n=3", "4 to 2000"]],
  ["#noise=2", [["data", "noise"], 0.1], ["noise=2"]],
  ["#init=bad", [["init"], "auto"], ["init=bad", "xavier"]],
  ["#order=wrong", [["updateOrder"], "after_backward"], ["order=wrong", "eager"]],
  ["#view=zzz", [["view"], "neurons"], ["view=zzz", "scalar"]],
  ["#edges=bogus", [["edges"], "auto"], ["edges=bogus", "gradient"]],
  ["#level=deep", [["level"], "stage"], ["level=deep"]],
  ["#stage=-2", [["stage"], 0], ["stage=-2"]],
  ["#sample=1.5", [["sample"], 0], ["sample=1.5"]],
  ["#hide=network,everything", [["hidden"], ["network"]], ["hide=network,everything", "using network"]],
  ["#points=%%%", [["points"], null], ["points=%%%", "cannot be read", "using none"]],
  ["#points=eyJpbnB1dHMiOltbMV1dfQ", [["points"], null], ["points", "finite numbers"]],
  ["#params=W10", [["params"], null], ["params", "using the parameters its seed draws"]],
  ["#pad=0z1", [["pad"], null], ["pad=0z1", "0-9 or a-g", "using none"]],
  ["#padlabel=40", [["padLabel"], 0], ["padlabel=40", "0 to 31"]],
  ["#net=65-4-1", [["network", "layer_sizes"], [2, 4, 1]], ["from 1 to 64", "got 65"]],
];

test("a digits link opens with its 64 inputs, its drawing and its label", () => {
  const pad = "0".repeat(30) + "g8".repeat(17);
  const { state, problems } = open(`#net=64-32-10&act=tanh,softmax&loss=cross_entropy&data=digits&n=1797&view=image&pad=${pad}&padlabel=7`);
  assert.deepEqual(problems, []);
  assert.deepEqual(state.network.layer_sizes, [64, 32, 10]);
  assert.equal(state.pad, pad);
  assert.equal(state.padLabel, 7);
});

const at = (object, path) => path.reduce((item, key) => item[key], object);

test("each bad value falls back with a sentence naming its field", () => {
  for (const [hash, [path, value], words] of BAD) {
    const { state, problems } = open(hash);
    assert.deepEqual(at(state, path), value, hash);
    assert.equal(problems.length, 1, `${hash}: ${problems.join(" | ")}`);
    for (const word of words) assert.ok(problems[0].includes(word), `${hash}: "${word}" not in "${problems[0]}"`);
  }
});

test("the rest of a damaged link still applies", () => {
  const { state, problems } = open("#loss=nonsense&lr=0.1&data=circles&stage=3");
  assert.equal(problems.length, 1);
  assert.equal(state.learningRate, 0.1);
  assert.equal(state.data.name, "circles");
  assert.equal(state.stage, 3);
});

test("a loss that needs another output layer gets it, and says so", () => {
  const { state, problems } = open("#loss=cross_entropy");
  assert.deepEqual(state.network.activations, ["tanh", "softmax"]);
  assert.equal(state.network.layer_sizes.at(-1), 2);
  assert.ok(problems.some((p) => p.includes("softmax")), problems.join(" | "));
});

test("parameters of the link's network's shape are kept", () => {
  const params = { weights: [[[0.1, 0.2]], [[0.3]]], biases: [[0], [0]] };
  const encoded = Buffer.from(JSON.stringify(params)).toString("base64url");
  const { state, problems } = open(`#net=2-1-1&params=${encoded}`);
  assert.deepEqual(problems, []);
  assert.deepEqual(state.params, params);
  assert.equal(open(`#net=2-2-1&params=${encoded}`).state.params, null);
});

const ADAM_STATE = { step: 2, exp_avg: { weights: [[[0.1, 0.2]], [[0.3]]], biases: [[0], [0]] },
  exp_avg_sq: { weights: [[[0.01, 0.02]], [[0.03]]], biases: [[0], [0]] } };
const encode = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

test("an optimiser's link keeps only what differs from its defaults, checked against the catalog", () => {
  const { state, problems } = open("#opt=adam,betas:0.9/0.99,eps:1e-8&l2=0.01");
  assert.deepEqual(problems, []);
  assert.deepEqual(state.optimizer, { name: "adam", betas: [0.9, 0.99] });
  assert.equal(state.l2, 0.01);
  const bad = [
    ["#opt=adagrad", "adagrad"], ["#opt=adam,betas:1/0.9", "betas must be two numbers in [0, 1)"],
    ["#opt=sgd,momentum:0.9,dampening:0.5,nesterov:true", "Nesterov"], ["#opt=sgd,alpha:0.9", "sgd takes no alpha"],
    ["#opt=rmsprop,eps:0", "eps"], ["#opt=adam,amsgrad:yes", "amsgrad must be true or false"],
  ];
  for (const [hash, words] of bad) {
    const checked = open(hash);
    assert.equal(checked.state.optimizer, null, hash);
    assert.equal(checked.problems.length, 1, hash);
    assert.ok(checked.problems[0].includes(words) && checked.problems[0].includes("using none"), checked.problems[0]);
  }
  assert.ok(open("#l2=11").problems[0].startsWith("l2=11: must be a number from 0 to 10"));
});

test("an optimiser's state is kept when it fits the optimiser and the network, else it starts afresh", () => {
  const fits = open(`#net=2-1-1&opt=adam&ostate=${encode(ADAM_STATE)}`);
  assert.deepEqual(fits.problems, []);
  assert.deepEqual(fits.state.optimizerState, ADAM_STATE);
  const cases = [
    [`#net=2-2-1&opt=adam&ostate=${encode(ADAM_STATE)}`, "exp_avg"],
    [`#net=2-1-1&opt=sgd,momentum:0.9&ostate=${encode(ADAM_STATE)}`, "keeps momentum_buffer"],
    [`#net=2-1-1&ostate=${encode(ADAM_STATE)}`, "no optimiser"],
    [`#net=2-1-1&opt=adam&ostate=${encode({ ...ADAM_STATE, step: -1 })}`, "step must be a whole number"],
  ];
  for (const [hash, words] of cases) {
    const { state, problems } = open(hash);
    assert.equal(state.optimizerState, null, hash);
    assert.ok(problems.length === 1 && problems[0].includes(words) && problems[0].includes("afresh"), problems.join());
  }
});
