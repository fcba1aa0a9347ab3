// What a teacher's screen sends to a live class and what a student's screen makes of it: the
// optimiser, its state and the L2 penalty travel with the rest of the link, so a student
// following a teacher who trains with Adam steps with the same m, v and t.

import assert from "node:assert/strict";
import { test } from "node:test";
import { open } from "./link-check.test.js";
import { createStore } from "../../static/js/core/store.js";
import { createFollower } from "../../static/js/live/follow.js";
import { LIVE_KEYS, driveSession, liveState } from "../../static/js/live/shared-state.js";
import { DEFAULTS } from "../../static/js/playground/state.js";

const ADAM_STATE = { step: 3, exp_avg: { weights: [[[0.1, 0.2]], [[0.3]]], biases: [[0.01], [0.02]] },
  exp_avg_sq: { weights: [[[0.01, 0.02]], [[0.03]]], biases: [[0.001], [0.002]] } };

const TEACHER = {
  ...structuredClone(DEFAULTS),
  network: { layer_sizes: [2, 1, 1], activations: ["tanh", "sigmoid"], loss: "binary_cross_entropy" },
  params: { weights: [[[0.5, -0.25]], [[0.75]]], biases: [[0.1], [-0.2]] },
  learningRate: 0.01, optimizer: { name: "adam", betas: [0.8, 0.99] }, optimizerState: ADAM_STATE,
  l2: 0.01, stage: 4,
};

// What a student's playground reads from a live state: the hash through the page's own checks.
function followed(live) {
  let applied = null;
  const follower = createFollower(null, () => {});
  follower.adapter.listen((hash) => { applied = hash; });
  follower.receive(JSON.parse(JSON.stringify(live)));   // the server keeps it as JSON
  return open(`#${applied}`);
}

test("the teacher's optimiser, its state and the L2 penalty reach a following student", () => {
  const { state, problems } = followed(liveState(TEACHER));
  assert.deepEqual(problems, []);
  assert.deepEqual(state.optimizer, TEACHER.optimizer);
  assert.deepEqual(state.optimizerState, ADAM_STATE);
  assert.equal(state.l2, 0.01);
  assert.equal(state.learningRate, 0.01);
  assert.deepEqual(state.params, TEACHER.params);
  assert.equal(state.stage, 4);
});

test("a teacher's step that only moves the optimiser's state is sent to the class", async () => {
  for (const key of ["optimizer", "optimizerState", "l2"]) assert.ok(LIVE_KEYS.includes(key), key);
  const store = createStore(TEACHER);
  const sent = [];
  driveSession(store, { putState: async (live) => { sent.push(live); } }, (error) => assert.equal(error, null));
  const next = { ...ADAM_STATE, step: 4 };
  store.set({ optimizerState: next });
  await new Promise((resolve) => setTimeout(resolve, 150));
  assert.equal(sent.length, 1);
  assert.deepEqual(followed(sent[0]).state.optimizerState, next);
});
