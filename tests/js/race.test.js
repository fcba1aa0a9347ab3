// The optimiser race's pure modules: the runners and their link field, the parameters and their
// names, a runner's track of chunks, the surface's window, the race's link and its sentences.

import assert from "node:assert/strict";
import { test } from "node:test";
import { DEFAULTS } from "../../static/js/playground/state.js";
import { defaultPair, parameterList, parameterNamed, valueOf } from "../../static/js/race/parameters.js";
import { DEFAULT_ITERATIONS, raceHash, raceHashFrom, readRaceLink } from "../../static/js/race/link.js";
import { checkRunners, DEFAULT_RUNNERS, optimizerOf, runnerLabel, runnersCodec } from "../../static/js/race/runners.js";
import { covers, initialWindow, pointsInView, surfaceBody, widened } from "../../static/js/race/surface-window.js";
import { absorb, chunkBody, createTrack, nextChunk } from "../../static/js/race/tracks.js";
import { resultText, statusText, surfaceCaption } from "../../static/js/race/words.js";
import { fixture } from "./fixtures.js";

const catalog = fixture("catalog");
const presets = fixture("presets");
const chunk = fixture("race-chunk");

test("parameters are named as the engine names them, in its order", () => {
  const names = parameterList([2, 3, 1]).map((p) => p.name);
  assert.deepEqual(names.slice(0, 7), ["w1_11", "w1_12", "w1_21", "w1_22", "w1_31", "w1_32", "b1_1"]);
  assert.deepEqual(names.slice(9), ["w2_11", "w2_12", "w2_13", "b2_1"]);
  assert.equal(parameterNamed([12, 10], "w1_10,12").index.join(), "9,11");
  assert.equal(parameterNamed([2, 1], "w1_13"), undefined);
  assert.equal(parameterNamed([2, 3, 1], "w2_13").symbol, "w²₁₃");
  assert.deepEqual(defaultPair([1, 1]), ["w1_11", "b1_1"]);
  const params = { weights: [[[1, 2], [3, 4]]], biases: [[5, 6]] };
  assert.equal(valueOf(params, parameterNamed([2, 2], "w1_21")), 3);
  assert.equal(valueOf(params, parameterNamed([2, 2], "b1_2")), 6);
});

test("runners round-trip through their link field, with their own rates", () => {
  const runners = [{ name: "sgd" }, { name: "sgd", lr: 0.05, momentum: 0.9, nesterov: true },
    { name: "adam", betas: [0.8, 0.99] }];
  const text = runnersCodec.write(runners);
  assert.equal(text, "sgd;sgd,lr:0.05,momentum:0.9,nesterov:true;adam,betas:0.8/0.99");
  assert.deepEqual(runnersCodec.read(text), runners);
  assert.deepEqual(optimizerOf(runners[1]), { name: "sgd", momentum: 0.9, nesterov: true });
  const betas = catalog.optimizers.find((o) => o.name === "adam").hyperparameters[0];
  assert.equal(runnerLabel(runners[2], catalog, 0.1), `Adam, ${betas.label} 0.8/0.99, η 0.1`);
  assert.match(runnerLabel(runners[1], catalog, 0.1), /momentum μ 0\.9, Nesterov momentum, η 0\.05$/);
});

test("runners a link asks for are checked: bad ones left out, at least two kept", () => {
  const checked = checkRunners([{ name: "adam", lr: -1 }, { name: "sgd", momentum: 0 },
    { name: "rmsprop" }, { name: "nope" }], catalog);
  assert.deepEqual(checked.runners, [{ name: "sgd" }, { name: "rmsprop" }]);
  assert.equal(checked.problems.length, 2);
  assert.match(checked.problems[0], /adam left out \(lr must be/);
  const few = checkRunners([{ name: "adam" }], catalog);
  assert.deepEqual(few.runners, DEFAULT_RUNNERS);
  assert.match(few.problems[0], /at least 2/);
  const many = checkRunners([1, 2, 3, 4, 5].map(() => ({ name: "sgd" })), catalog);
  assert.equal(many.runners.length, 4);
});

test("a chunk's request carries the runner's optimiser, rate, state and parameters forward", () => {
  const race = { network: { layer_sizes: [1, 1] }, start: { weights: [[[-1]]], biases: [[4]] },
    dataset: { inputs: [[0]], targets: [[1]] }, seed: 3, learningRate: 0.1, l2: 0 };
  const track = createTrack();
  const first = chunkBody(race, { name: "adam", lr: 0.05 }, track, 10);
  assert.deepEqual(first.params, race.start);
  assert.deepEqual([first.learning_rate, first.optimizer, first.snapshot_every, first.include_predictions],
    [0.05, { name: "adam" }, 1, false]);
  assert.ok(!("optimizer_state" in first) && !("l2" in first) && !("batch_size" in first));
  const pair = ["w1_11", "b1_1"].map((name) => parameterNamed([1, 1], name));
  absorb(track, chunk, pair);
  assert.equal(track.iteration, 5);
  assert.deepEqual(track.iterations, [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(track.cost, chunk.snapshots.map((s) => s.train_loss));
  assert.deepEqual(track.path.x, chunk.snapshots.map((s) => s.params.weights[0][0][0]));
  const next = chunkBody({ ...race, l2: 0.1 }, { name: "adam" }, track, 10);
  assert.deepEqual([next.params, next.optimizer_state, next.learning_rate, next.l2],
    [chunk.params_after, chunk.optimizer_state_after, 0.1, 0.1]);
  absorb(track, chunk, pair);
  assert.deepEqual(track.iterations.slice(5), [5, 6, 7, 8, 9, 10], "a chunk's first snapshot repeats");
  assert.equal(nextChunk(track, catalog.limits, 14), 4);
});

test("the surface's window starts around the start and widens to hold every path", () => {
  const window = initialWindow([-1, 4]);
  assert.deepEqual(window, [[-2, 0], [0, 8]]);
  const paths = [{ x: [-1, 0.5, 2], y: [4, 3, 1], cost: [5, 2, 1] },
    { x: [-1, 900], y: [4, -900], cost: [5, 1e6] }]; // the second diverges: left out of view
  const points = pointsInView(paths);
  assert.deepEqual(points, [[-1, 4], [0.5, 3], [2, 1], [-1, 4]]);
  assert.equal(covers(window, points), false);
  const wider = widened(window, points);
  assert.deepEqual(wider, [[-2, 2.75], [0, 8]]);
  assert.equal(covers(wider, points), true);
  assert.deepEqual(widened(wider, points), wider, "a window that holds the paths stays as it is");
  const race = { network: {}, start: {}, dataset: { inputs: [], targets: [] }, l2: 0.5 };
  const body = surfaceBody(race, ["w1_11", "b1_1"].map((n) => parameterNamed([1, 1], n)), wider, 41);
  assert.deepEqual(body.axes[1], { layer: 1, kind: "bias", index: [0], low: 0, high: 8 });
  assert.deepEqual([body.resolution, body.l2], [41, 0.5]);
});

test("an empty race link opens the line preset with the default runners", () => {
  const { state, problems } = readRaceLink("", catalog, presets);
  assert.deepEqual(problems, []);
  assert.deepEqual(state.network.layer_sizes, [1, 1]);
  assert.deepEqual(state.pair, ["w1_11", "b1_1"]);
  assert.deepEqual(state.runners, DEFAULT_RUNNERS);
  assert.equal(state.iterations, DEFAULT_ITERATIONS);
  assert.equal(state.points.inputs.length, 7);
});

test("a race link round-trips, and damaged fields fall back with a sentence each", () => {
  const opened = readRaceLink("#preset=xor&opts=sgd;adam,lr:0.02&pair=w2_11;b1_3&its=50", catalog, presets).state;
  assert.deepEqual(opened.network.layer_sizes, [2, 4, 1]);
  assert.deepEqual([opened.runners, opened.pair, opened.iterations],
    [[{ name: "sgd" }, { name: "adam", lr: 0.02 }], ["w2_11", "b1_3"], 50]);
  const again = readRaceLink(`#${raceHash(opened)}`, catalog, presets);
  assert.deepEqual(again, { state: opened, problems: [] });
  const damaged = readRaceLink("#preset=xor&opts=adam&pair=w9_11;b1_1&its=0&view=neurons", catalog, presets);
  assert.equal(damaged.problems.length, 3, damaged.problems.join("\n"));
  assert.deepEqual(damaged.state.pair, ["w1_11", "w1_12"]);
});

test("the playground's state leads to a race from its network, weights, data and rate", () => {
  const playground = { ...DEFAULTS, learningRate: 0.3, params: { weights: [[[1, 2]]], biases: [[0]] },
    network: { layer_sizes: [2, 1], activations: ["sigmoid"], loss: "binary_cross_entropy" },
    optimizer: { name: "adam", betas: [0.8, 0.99] } };
  const hash = raceHashFrom(playground, catalog);
  const { state, problems } = readRaceLink(`#${hash}`, catalog, presets);
  assert.deepEqual(problems, []);
  assert.deepEqual([state.network, state.params, state.learningRate, state.data],
    [playground.network, playground.params, 0.3, DEFAULTS.data]);
  assert.deepEqual(state.runners, [{ name: "adam", betas: [0.8, 0.99] }, { name: "sgd" }, { name: "sgd", momentum: 0.9 }]);
  const plain = readRaceLink(`#${raceHashFrom(DEFAULTS, catalog)}`, catalog, presets).state;
  assert.deepEqual(plain.network, DEFAULTS.network, "the playground's defaults are written out, not the race's");
  assert.deepEqual(plain.runners, DEFAULT_RUNNERS);
});

test("the race says how it stands, how each runner does and what the contours are", () => {
  const going = { ...createTrack(), iteration: 40, cost: [5, 1], chunks: 2 };
  const diverged = { ...createTrack(), iteration: 12, cost: [5, 80], diverged: true, divergedAt: 12 };
  const race = { tracks: [going, diverged], goal: 100, iterations: 100 };
  assert.equal(statusText("running", race), "Racing: iteration 40 of 100.");
  assert.match(statusText("idle", race), /^Press Start to race 2 optimisers .* 100 iterations each/);
  assert.match(statusText("done", { ...race, tracks: [diverged] }), /^Every optimiser diverged/);
  assert.equal(resultText(going), "C = 1 after 40 iterations");
  assert.match(resultText(diverged), /^diverged at iteration 12/);
  const pair = ["w1_11", "b1_1"].map((name) => parameterNamed([1, 1], name));
  assert.match(surfaceCaption(pair, 2), /exactly two parameters, w¹₁₁ and b¹₁/);
  assert.match(surfaceCaption(pair, 17), /other 15 parameters held at their starting values/);
  assert.match(surfaceCaption(pair, 2, [going, diverged], ["SGD", "Adam"]), /Adam: C climbed past 10 times/);
  assert.doesNotMatch(surfaceCaption(pair, 2, [going], ["SGD"]), /climbed/);
});
