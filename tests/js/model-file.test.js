// Model files: those written before there were optimisers open as plain gradient descent; an
// optimiser, its state and the L2 penalty travel in the file and are checked like the rest.

import assert from "node:assert/strict";
import { test } from "node:test";
import { modelFile, readModel } from "../../static/js/playground/model-file.js";
import { fixture } from "./fixtures.js";

const catalog = fixture("catalog");
const NETWORK = { layer_sizes: [2, 1, 1], activations: ["tanh", "sigmoid"], loss: "binary_cross_entropy" };
const PARAMS = { weights: [[[0.1, -0.2]], [[0.3]]], biases: [[0], [0.5]] };

// Files as the export button wrote them before optimisers existed.
const OLD_FILES = [
  { network: NETWORK, params: PARAMS, seed: 3, init: "xavier" },
  { network: NETWORK, params: null, seed: 0, init: "auto" },
  { network: NETWORK },
];

test("old model files open as plain gradient descent", () => {
  for (const file of OLD_FILES) {
    const model = readModel(JSON.stringify(file), catalog);
    assert.deepEqual([model.optimizer, model.optimizerState, model.l2], [null, null, 0]);
    assert.deepEqual(model.network, NETWORK);
  }
});

test("an optimiser, its state and the L2 penalty go out and come back", () => {
  const optimizerState = { step: 2, momentum_buffer: { weights: [[[0.01, 0.02]], [[0.03]]], biases: [[0], [0.1]] } };
  const state = { network: NETWORK, trace: { params_before: PARAMS }, seed: 1, init: "auto",
    optimizer: { name: "sgd", momentum: 0.9 }, optimizerState, l2: 0.01 };
  const file = modelFile(state);
  assert.deepEqual([file.optimizer, file.optimizer_state, file.l2], [state.optimizer, optimizerState, 0.01]);
  const back = readModel(JSON.stringify(file), catalog);
  assert.deepEqual([back.optimizer, back.optimizerState, back.l2], [state.optimizer, optimizerState, 0.01]);
  const plain = modelFile({ ...state, optimizer: null, optimizerState: null, l2: 0 });
  assert.deepEqual(Object.keys(plain).sort(), ["init", "network", "params", "seed"], "plain files as before");
});

test("a file's optimiser, state or penalty that cannot be used is refused, naming the field", () => {
  const bad = [
    [{ optimizer: { name: "adagrad" } }, /^optimizer: "adagrad" is not one of/],
    [{ optimizer: { name: "adam", betas: [0.9, 1] } }, /^optimizer: betas must be two numbers in \[0, 1\)/],
    [{ optimizer_state: { step: 1 } }, /^optimizer_state: belongs to no optimiser/],
    [{ optimizer: { name: "adam" }, optimizer_state: { step: 1, exp_avg: PARAMS } }, /^optimizer_state: adam with these settings keeps exp_avg, exp_avg_sq/],
    [{ l2: -1 }, /^l2: must be a number from 0 to 10/],
  ];
  for (const [extra, message] of bad) {
    assert.throws(() => readModel(JSON.stringify({ network: NETWORK, params: PARAMS, ...extra }), catalog), { message });
  }
});
