// The image view's model, read from the engine's own trace of four digits through 64-6-10:
// what the pictures show at each stage, and that every number is the trace's.

import assert from "node:assert/strict";
import { test } from "node:test";
import { imageCaption, imageModel, imageShapeOf } from "../../static/js/views/image-model.js";
import { scalesOf } from "../../static/js/views/neuron-model.js";
import { fixture } from "./fixtures.js";

const trace = fixture("trace-digits");
const digits = fixture("digits");
const SIZES = [64, 6, 10];
const STATE = { trace, network: { layer_sizes: SIZES }, dataset: { ...digits }, edges: "auto", level: "stage",
  sample: 1, selection: null };
const model = (stage, extra = {}) => imageModel({ ...STATE, stage, ...extra }, digits.inputs, SIZES,
  scalesOf(trace, digits.inputs), [8, 8]);
const stageOf = (phase, layer) => trace.stages.findIndex((s) => s.phase === phase && (layer === undefined || s.layer === layer));

test("only image data of the input layer's size are drawn as images", () => {
  assert.deepEqual(imageShapeOf(STATE), [8, 8]);
  assert.equal(imageShapeOf({ ...STATE, network: { layer_sizes: [2, 4, 1] } }), null);
  assert.equal(imageShapeOf({ ...STATE, dataset: { inputs: [], targets: [] } }), null);
});

test("forward: the pixels, the weight images and, at the last layer, the probabilities", () => {
  const first = model(0);
  assert.deepEqual(first.pixels, digits.inputs[1]);
  assert.equal(first.saliency, null);
  assert.equal(first.layers[1].mode, "weight");
  assert.equal(first.layers[1].rows[4][37].shown, trace.params_before.weights[0][4][37]);
  assert.equal(first.output.values, null);
  assert.equal(first.output.target, digits.targets[1].indexOf(1));
  const second = model(stageOf("forward", 2));
  assert.deepEqual(second.output.values, trace.stages[stageOf("forward", 2)].activation[1]);
  assert.ok(imageCaption(second).some((line) => line.includes("probability")));
});

test("backward: the gradient images, and the saliency once backward reaches the input", () => {
  const output = model(stageOf("backward", 2));
  assert.equal(output.saliency, null);
  const input = model(stageOf("backward", 1));
  const stage = trace.stages[stageOf("backward", 1)];
  assert.deepEqual(input.saliency.values, stage.grad_inputs[1]);
  assert.equal(input.layers[1].mode, "gradient");
  assert.equal(input.layers[1].rows[2][10].shown, stage.grad_weights[2][10]);
  assert.equal(input.neurons[1][3].shown, stage.delta[1][3]);
  assert.ok(imageCaption(input)[0].includes("saliency"));
});

test("the update shows each weight image's change", () => {
  const update = model(trace.stages.length - 1);
  assert.equal(update.layers[1].mode, "change");
  const change = trace.params_after.weights[0][0][5] - trace.params_before.weights[0][0][5];
  assert.ok(Math.abs(update.layers[1].rows[0][5].shown - change) < 1e-15);
});
