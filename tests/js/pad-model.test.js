// The drawing pad's pure part: the brush, strokes without gaps, the link's text both ways, and
// the request that runs a drawing through the network.

import assert from "node:assert/strict";
import { test } from "node:test";
import { STEPS, blankPad, dab, fromSample, padBody, padPixels, padProblem, padText, stroke }
  from "../../static/js/playground/pad-model.js";

const SHAPE = [8, 8];

test("a dab inks the pixel under it fully and its neighbours less, in sixteenths", () => {
  const pixels = dab(blankPad(SHAPE), SHAPE, 3.5, 2.5);
  assert.equal(pixels[2 * 8 + 3], 1);
  assert.ok(pixels[2 * 8 + 4] > 0 && pixels[2 * 8 + 4] < 1);
  assert.equal(pixels[7 * 8 + 7], 0);
  assert.ok(pixels.every((ink) => Number.isInteger(ink * STEPS)));
  const erased = dab(pixels, SHAPE, 3.5, 2.5, true);
  assert.equal(erased[2 * 8 + 3], 0);
});

test("a fast stroke leaves no gap and never lightens what is drawn", () => {
  const line = stroke(blankPad(SHAPE), SHAPE, { x: 0.5, y: 4.5 }, { x: 7.5, y: 4.5 });
  for (let c = 0; c < 8; c += 1) assert.equal(line[4 * 8 + c], 1, `column ${c}`);
  const again = stroke(line, SHAPE, { x: 0.5, y: 3.9 }, { x: 7.5, y: 3.9 });
  assert.ok(again.every((ink, k) => ink >= line[k]));
});

test("a drawing goes into a link and comes back the same", () => {
  const pixels = stroke(blankPad(SHAPE), SHAPE, { x: 1, y: 1 }, { x: 6, y: 7 });
  const text = padText(pixels);
  assert.equal(text.length, 64);
  assert.match(text, /^[0-9a-g]+$/);
  assert.deepEqual(padPixels(text, SHAPE), pixels);
  assert.equal(padPixels(text.slice(1), SHAPE), null);
  assert.equal(padPixels(`${text.slice(1)}z`, SHAPE), null);
  assert.equal(padProblem(text, 64), null);
  assert.match(padProblem("x".repeat(10), 64), /0-9 or a-g/);
  assert.deepEqual(fromSample([0, 0.5, 1, 0.33]), [0, 0.5, 1, 0.3125]);
});

test("a drawing runs with the network's parameters, its label as a one-hot target and dC/dx asked for", () => {
  const state = { network: { layer_sizes: [64, 32, 10], activations: ["tanh", "softmax"], loss: "cross_entropy" },
    learningRate: 0.2, l2: 0 };
  const params = { weights: [], biases: [] };
  const body = padBody(state, params, blankPad(SHAPE), 3);
  assert.equal(body.params, params);
  assert.deepEqual(body.targets, [[0, 0, 0, 1, 0, 0, 0, 0, 0, 0]]);
  assert.equal(body.input_gradient, true);
  assert.equal(body.inputs[0].length, 64);
  assert.equal("l2" in body, false);
  assert.equal(padBody({ ...state, l2: 0.1 }, params, blankPad(SHAPE), 0).l2, 0.1);
});
