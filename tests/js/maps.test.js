// Neuron maps in the browser, on the engine's own answers: what each mode shows, the request's
// grid size, the colour scales, where points fall on a map and back, and the stepping batch a
// clicked point puts on screen.

import assert from "node:assert/strict";
import { test } from "node:test";
import { rgb } from "../../static/js/core/svg.js";
import { batchWindow, choosePoint } from "../../static/js/playground/stepping-batch.js";
import {
  colourOf, gridPointAt, layerScale, mapFraction, mapQuantities, mapQuantity, mapSize, neuronValues, pointNear,
  samplePlace,
} from "../../static/js/views/map-model.js";
import { geometry } from "../../static/js/views/neuron-layout.js";
import { nearestEdge, neighbourOf, pointOnMap } from "../../static/js/views/neuron-pick.js";
import { fixture } from "./fixtures.js";

const catalog = fixture("catalog");
const maps = fixture("maps-xor");
const line = fixture("maps-sine");
const palette = { positive: "#0072b2", negative: "#d55e00", highlight: "#e69f00", selected: "#009e73" };
const WHITE = [255, 255, 255];

test("each mode asks for what it shows, and by the stage shows what the neurons' numbers show", () => {
  assert.deepEqual(mapQuantities("auto"), ["activation", "delta"]);
  assert.deepEqual(mapQuantities("weight_gradient"), ["weight_gradient"]);
  assert.deepEqual(mapQuantities("off"), []);
  assert.deepEqual(mapQuantities("nonsense"), ["activation", "delta"]);
  assert.equal(mapQuantity("auto", false, false), null);
  assert.equal(mapQuantity("auto", true, false), "activation");
  assert.equal(mapQuantity("auto", true, true), "delta");
  assert.equal(mapQuantity("delta", false, false), "delta");
  assert.equal(mapQuantity("off", true, true), null);
});

test("the grid is as fine as 40 a side allows within the numbers a quantity may take", () => {
  assert.equal(mapSize([2, 4, 1]), 40);
  assert.equal(mapSize([2, 32, 32, 32, 32, 32, 1]), 14);
  assert.equal(mapSize([1, 32, 32, 32, 32, 32, 1]), 40);
  const largest = mapSize([2, 32, 32, 32, 32, 32, 1]);
  assert.ok(161 * largest * largest * 2 <= catalog.limits.max_map_values);
});

test("a layer's scale takes the engine's range; probabilities centre on 0.5", () => {
  const hidden = layerScale(maps, 1, "activation", "tanh", catalog, palette);
  const [low, high] = maps.layers[0].ranges.activation;
  assert.deepEqual([hidden.low, hidden.high, hidden.centre], [low, high, 0]);
  assert.equal(hidden.span, Math.max(Math.abs(low), Math.abs(high)));
  const output = layerScale(maps, 2, "activation", "sigmoid", catalog, palette);
  assert.deepEqual([output.centre, output.span], [0.5, 0.5]);
  assert.deepEqual(colourOf(0.5, output), WHITE);
  assert.deepEqual(colourOf(1, output), rgb(palette.positive));
  assert.deepEqual(colourOf(0, output), rgb(palette.negative));
  assert.deepEqual(colourOf(null, output), [154, 154, 154]);
  const size = layerScale(maps, 1, "weight_gradient", "tanh", catalog, palette);
  assert.ok(size.sequential && size.low >= 0);
  assert.deepEqual(colourOf(0, size), WHITE);
  const delta = layerScale(maps, 2, "delta", "sigmoid", catalog, palette);
  assert.equal(delta.centre, 0);
  assert.equal(neuronValues(maps, 2, 0, "delta").length, 144);
  assert.equal(neuronValues(line, 1, 2, "weight_gradient"), null);
});

test("a grid point's place on the map leads back to it, and a data point's to the data point", () => {
  const n = maps.size;
  for (const index of [0, n - 1, n * (n - 1), n * n - 1, 77]) {
    const point = [maps.x[index % n], maps.y[Math.floor(index / n)]];
    const [fx, fy] = mapFraction(maps, point);
    assert.ok(fx > 0 && fx < 1 && fy > 0 && fy < 1);
    assert.equal(gridPointAt(maps, fx, fy).index, index);
  }
  const inputs = [[0.1, 0.2], [0.9, -0.8]];
  const [fx, fy] = mapFraction(maps, inputs[1]);
  assert.equal(pointNear(maps, inputs, fx, fy, 0.02), 1);
  assert.equal(pointNear(maps, inputs, 0.99, 0.01, 0.02), null);
  assert.equal(samplePlace(maps, inputs[0], { x: 0, y: 0, size: 24 }), null);
  const place = samplePlace(maps, inputs[0], { x: 10, y: 20, size: 100 });
  assert.ok(Math.abs(place.x - (10 + 100 * mapFraction(maps, inputs[0])[0])) < 1e-9);
  const onLine = samplePlace(line, [0.5], { x: 0, y: 0, size: 50 });
  assert.equal(onLine.line, true);
  assert.equal(gridPointAt(line, 0.999, 0.3).index, line.size - 1);
});

test("a clicked point shows in the batch that holds it, which stays full", () => {
  const state = { batchSize: 8, batchStart: 0, sample: 0 };
  assert.deepEqual(batchWindow(state, 100), { start: 0, size: 8, count: 100 });
  assert.deepEqual(choosePoint(state, 100, 5), { sample: 5 });
  assert.deepEqual(choosePoint(state, 100, 51), { batchStart: 48, sample: 3 });
  assert.deepEqual(choosePoint(state, 100, 98), { batchStart: 92, sample: 6 });
  assert.deepEqual(choosePoint({ ...state, batchStart: 92 }, 100, 95), { sample: 3 });
  assert.deepEqual(batchWindow({ ...state, batchStart: 1000 }, 100), { start: 92, size: 8, count: 100 });
  assert.deepEqual(batchWindow({ batchSize: 512, batchStart: 7 }, 100), { start: 0, size: 100, count: 100 });
});

test("picking by place: the nearest edge, the data point on a map, the walk of Shift and the arrows", () => {
  const sizes = [2, 4, 1];
  const g = geometry(sizes, 984, 406, true);
  assert.ok(g.map > 0);
  const box = g.mapBox(1, 2);
  const data = { inputs: [[0.3, -0.6], [-0.9, 0.9]], targets: [[1], [0]] };
  const [fx, fy] = mapFraction(maps, data.inputs[0]);
  assert.equal(pointOnMap(g, sizes, { x: box.x + fx * box.size, y: box.y + fy * box.size }, maps, data), 0);
  assert.equal(pointOnMap(g, sizes, { x: 1, y: 1 }, maps, data), null);
  const edge = { l: 1, j: 0, k: 0, x1: 0, y1: 0, x2: 100, y2: 0 };
  assert.equal(nearestEdge([edge], { x: 50, y: 3 }), edge);
  assert.equal(nearestEdge([edge], { x: 50, y: 30 }), null);
  assert.deepEqual(neighbourOf(sizes, { kind: "neuron", l: 1, j: 3 }, "ArrowDown"), { kind: "neuron", l: 1, j: 3 });
  assert.deepEqual(neighbourOf(sizes, { kind: "neuron", l: 1, j: 2 }, "ArrowRight"), { kind: "weight", l: 2, j: 0, k: 2 });
  assert.deepEqual(neighbourOf(sizes, { kind: "weight", l: 2, j: 0, k: 2 }, "ArrowLeft"), { kind: "neuron", l: 1, j: 2 });
  assert.deepEqual(neighbourOf(sizes, { kind: "weight", l: 1, j: 0, k: 1 }, "ArrowDown"), { kind: "weight", l: 1, j: 1, k: 0 });
});
