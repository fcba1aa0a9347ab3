// Continuous training's bookkeeping: chunk sizes from the server's work estimate, the chunk
// requests, absorbing responses, and thinning long curves.

import assert from "node:assert/strict";
import { test } from "node:test";
import { absorb, createHistory, thin } from "../../static/js/playground/training-history.js";
import { chunkBody, chunkIterations, verdict } from "../../static/js/playground/training-run.js";
import { fixture } from "./fixtures.js";

const catalog = fixture("catalog");
const response = fixture("train-chunk");

test("the first chunk is 10 iterations; later ones follow the reported work, 10 to 50", () => {
  const history = createHistory();
  assert.equal(chunkIterations(history, catalog.limits), 10);
  const budget = catalog.limits.train_work_budget;
  const at = (chunks, perIteration) => chunkIterations({ chunks, workPerIteration: perIteration }, catalog.limits);
  assert.equal(at(1, budget / 1e6), 20);
  assert.equal(at(9, budget / 1e6), 50);
  assert.equal(at(9, budget / 100 / 33), 33);
  assert.equal(at(9, budget), 10);
});

test("a response is absorbed: curves, snapshots, parameters and the work per iteration", () => {
  const history = createHistory();
  absorb(history, response);
  assert.equal(history.iteration, response.iterations_run);
  assert.equal(history.batchLoss.length, response.loss_curve.length);
  assert.equal(history.workPerIteration, response.work.per_iteration);
  assert.deepEqual(history.params, response.params_after);
  absorb(history, response);
  assert.equal(history.iteration, 2 * response.iterations_run);
  assert.equal(history.trainLoss.x.length, 2 * response.snapshots.length - 1, "a chunk's first snapshot repeats");
  assert.equal(verdict(history, { to: history.iteration }, { runLength: 5 }).state, "done");
  assert.equal(verdict(history, { to: history.iteration + 1 }, {}), null);
});

test("a chunk's request carries on from the history's parameters with a new seed", () => {
  const state = { network: { layer_sizes: [2, 1], activations: ["sigmoid"], loss: "binary_cross_entropy" },
    seed: catalog.limits.max_seed, init: "auto", learningRate: 0.5, batchSize: 4, params: null, points: null,
    data: { name: "xor", samples: 50, noise: 0, seed: 1 } };
  const body = chunkBody(state, catalog, { chunks: 1, params: response.params_after }, 10, null);
  assert.equal(body.seed, 0);
  assert.deepEqual(body.params, response.params_after);
  assert.deepEqual([body.iterations, body.snapshot_every, body.include_data], [10, 10, false]);
  assert.ok(!("stop_loss" in body));
});

test("a long curve is thinned to means over equal runs, skipping nulls", () => {
  assert.deepEqual(thin([1, 2, 3], 5), { x: [1, 2, 3], y: [1, 2, 3] });
  assert.deepEqual(thin([1, 3, null, 5, 7, 9], 3), { x: [1.5, 3.5, 5.5], y: [2, 5, 8] });
});
