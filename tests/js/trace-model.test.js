// The one trace reader, on the engine's traces: stages, sizes, nodes by what they are, events,
// and the selection's nodes both ways.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  activationDerivative, activations, batchSize, depth, entry, eventAt, eventOfStage, findStage,
  layerSizes, nodeOf, recordedInputs, stageIndex,
} from "../../static/js/trace/model.js";
import { linksOf, selectionFits, selectionForNode, selectionNodeIds } from "../../static/js/trace/selection.js";
import { indexLabel, nodeSymbolParts, sub, sup, weightSymbol } from "../../static/js/trace/notation.js";
import { fixture } from "./fixtures.js";

const tiny = fixture("trace-tiny");
const scalar = fixture("trace-tiny-scalar");
const xor = fixture("trace-xor8");
const catalog = fixture("catalog");

test("sizes, depth and batch come from the trace", () => {
  assert.deepEqual(layerSizes(tiny), [2, 2, 2]);
  assert.equal(depth(tiny), 2);
  assert.equal(batchSize(tiny), 1);
  assert.equal(batchSize(xor), 8);
  assert.deepEqual(layerSizes(xor), [2, 4, 1]);
  assert.equal(stageIndex(tiny, "backward", 1), 4);
  assert.equal(findStage(tiny, "update").name, "Update");
});

test("entry reads nested arrays and says undefined past their end", () => {
  assert.equal(entry([[1, 2], [3, 4]], [1, 0]), 3);
  assert.equal(entry([[1, 2]], [3, 0]), undefined);
  assert.equal(entry(5, []), 5);
});

test("nodes are found by kind, layer and index, never by name", () => {
  assert.equal(nodeOf(tiny, "weight", 2).name, "W2");
  assert.equal(nodeOf(tiny, "input", 0).name, "x");
  assert.equal(nodeOf(scalar, "weight", 1, [0, 1]).name, "w1_12");
  assert.equal(nodeOf(scalar, "weight", 1), undefined, "no whole W1 in the scalar graph");
  assert.deepEqual(recordedInputs(tiny), [[0.05, 0.1]]);
  assert.deepEqual(activations(tiny, 0, null), [[0.05, 0.1]]);
  assert.deepEqual(activations(tiny, 1, null), findStage(tiny, "forward", 1).activation);
});

test("f'(z) from the stage, and from the a node's event when the stage has none", () => {
  const stage = findStage(tiny, "backward", 1);
  const a = findStage(tiny, "forward", 1).activation[0][1];
  assert.equal(activationDerivative(tiny, 1, 0, 1), stage.activation_derivative[0][1]);
  assert.ok(Math.abs(activationDerivative(tiny, 1, 0, 1) - a * (1 - a)) < 1e-15);
  const bare = { ...tiny, stages: tiny.stages.map((s) => ({ ...s, activation_derivative: undefined })) };
  assert.equal(activationDerivative(bare, 1, 0, 1), stage.activation_derivative[0][1]);
});

test("events in order, and each stage's first event", () => {
  const forward = tiny.events.forward.length;
  assert.deepEqual([eventAt(tiny, 0).phase, eventAt(tiny, forward).phase], ["forward", "backward"]);
  assert.equal(eventAt(tiny, 10 ** 6).order, tiny.events.backward.length - 1);
  assert.equal(eventOfStage(tiny, 5), -1);
  assert.ok(eventOfStage(tiny, 3) > eventOfStage(tiny, 2));
});

test("a selection maps to its nodes and back at both granularities", () => {
  const weight = { kind: "weight", layer: 2, j: 1, k: 0 };
  const [layerNode] = selectionNodeIds(tiny, weight).map((id) => tiny.graph.nodes.find((n) => n.id === id));
  assert.equal(layerNode.name, "W2");
  assert.deepEqual(selectionForNode(layerNode, weight), weight, "the matrix keeps a selection inside it");
  assert.deepEqual(selectionForNode(layerNode, null), { kind: "weight", layer: 2, j: 0, k: 0 });
  const [entryNode] = selectionNodeIds(scalar, weight).map((id) => scalar.graph.nodes.find((n) => n.id === id));
  assert.equal(entryNode.name, "w2_21");
  assert.deepEqual(selectionForNode(entryNode, null), weight);
  const neuron = selectionNodeIds(scalar, { kind: "neuron", layer: 1, j: 0 })
    .map((id) => scalar.graph.nodes.find((n) => n.id === id).name);
  assert.deepEqual(neuron, ["z1_1", "a1_1"]);
  assert.equal(selectionForNode(scalar.graph.nodes.find((n) => n.kind === "loss"), null), null);
});

test("links and fit of a selection", () => {
  assert.deepEqual([...linksOf({ kind: "weight", layer: 2, j: 1, k: 0 }, [2, 2, 2]).neurons], ["1-0", "2-1"]);
  assert.deepEqual([...linksOf({ kind: "neuron", layer: 1, j: 0 }, [2, 2, 2]).weights],
    ["1-0-0", "1-0-1", "2-0-0", "2-1-0"]);
  assert.ok(selectionFits({ kind: "weight", layer: 1, j: 1, k: 1 }, [2, 2, 2]));
  assert.ok(!selectionFits({ kind: "weight", layer: 1, j: 2, k: 0 }, [2, 2, 2]));
  assert.ok(!selectionFits({ kind: "bias", layer: 0, j: 0 }, [2, 2, 2]));
});

test("notation: superscript layers, subscript indices, symbols from the catalog's kinds", () => {
  assert.equal(sup(12), "¹²");
  assert.equal(sub("3,10"), "₃,₁₀");
  assert.equal(indexLabel(0, 1), "12");
  assert.equal(indexLabel(0, 9), "1,10");
  assert.equal(weightSymbol(2, 0, 1), "w²₁₂");
  const kinds = catalog.node_kinds;
  assert.deepEqual(nodeSymbolParts(nodeOf(tiny, "weight", 1), kinds), { base: "W", sup: "1", sub: "" });
  assert.deepEqual(nodeSymbolParts(nodeOf(scalar, "bias", 2, [1]), kinds), { base: "b", sup: "2", sub: "2" });
  assert.deepEqual(nodeSymbolParts(nodeOf(scalar, "input", 0, [1]), kinds), { base: "x", sup: "", sub: "2" });
  assert.deepEqual(nodeSymbolParts({ kind: "operation", name: "x*y", index: null }, kinds),
    { base: "x*y", sup: "", sub: "" });
});
