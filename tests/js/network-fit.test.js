// The network made valid for its data and loss, with the choices and words the catalog gives.

import assert from "node:assert/strict";
import { test } from "node:test";
import { dataShape } from "../../static/js/core/data-shape.js";
import {
  fitNetwork, hiddenActivations, lossesFor, outputActivationsFor, targetsFor,
} from "../../static/js/playground/network-fit.js";
import { iterationBody, steppingBatch } from "../../static/js/playground/state.js";
import { fixture } from "./fixtures.js";

const catalog = fixture("catalog");
const binary = dataShape({ inputs: [[0, 1, 2]], targets: [[1]] });
const curve = dataShape({ inputs: [[0.5]], targets: [[-3]] });

test("the menus come from the catalog", () => {
  const names = catalog.activations.map((a) => a.name);
  assert.deepEqual(hiddenActivations(catalog), names.filter((n) => n !== "softmax"));
  assert.deepEqual(lossesFor(catalog, binary), catalog.losses.map((l) => l.name));
  assert.deepEqual(lossesFor(catalog, curve), ["squared_error"]);
  assert.deepEqual(outputActivationsFor(catalog, "cross_entropy", binary), ["softmax"]);
  assert.ok(!outputActivationsFor(catalog, "squared_error", curve).includes("sigmoid"));
  assert.ok(outputActivationsFor(catalog, "squared_error", binary).includes("sigmoid"));
});

test("a network is fitted to the data with a sentence per change", () => {
  const { network, notes } = fitNetwork(catalog,
    { layer_sizes: [2, 4, 1], activations: ["tanh", "sigmoid"], loss: "binary_cross_entropy" }, curve);
  assert.deepEqual(network, { layer_sizes: [1, 4, 1], activations: ["tanh", "linear"], loss: "squared_error" });
  assert.equal(notes.length, 3);
  assert.match(notes[1], /instead of binary cross-entropy/);
  const softmax = fitNetwork(catalog,
    { layer_sizes: [3, 4, 1], activations: ["tanh", "sigmoid"], loss: "cross_entropy" }, binary);
  assert.deepEqual(softmax.network.layer_sizes, [3, 4, 2]);
  assert.equal(softmax.network.activations[1], "softmax");
  assert.match(softmax.notes.join(" "), /Cross-entropy needs a softmax output layer/);
});

test("the stepped batch: the first rows, 0/1 labels one-hot for a 2-output softmax", () => {
  const network = { layer_sizes: [2, 2], activations: ["softmax"], loss: "cross_entropy" };
  assert.deepEqual(targetsFor(catalog, network, [[1], [0]]), [[0, 1], [1, 0]]);
  const state = { network, seed: 3, init: "auto", learningRate: 0.1, updateOrder: "eager", batchSize: 2,
    params: null, dataset: { inputs: [[1, 2], [3, 4], [5, 6]], targets: [[1], [0], [1]] } };
  assert.deepEqual(steppingBatch(catalog, state), { inputs: [[1, 2], [3, 4]], targets: [[0, 1], [1, 0]] });
  const body = iterationBody(catalog, state, "scalar");
  assert.deepEqual([body.granularity, body.learning_rate, body.update_order, "params" in body],
    ["scalar", 0.1, "eager", false]);
});
