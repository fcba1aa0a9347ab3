// Questions a teacher can ask at the current stage, read from the trace on screen (the engine's
// numbers; nothing is recomputed): which way a weight moves in the update, which neuron of a
// layer has the largest |δ|, the value of a weight's gradient. Each is a poll body for
// POST /api/v1/sessions/{code}/polls, its answer included.

import { findStage } from "../trace/model.js";
import { neuronSymbol, sup, weightSymbol } from "../trace/notation.js";

const MAX_CHOICES = 8;

// The weight the question is about: the selected one, else the first of the last layer.
function weightOf(trace, selection) {
  if (selection && selection.kind === "weight") return selection;
  return { kind: "weight", layer: trace.params_before.weights.length, j: 0, k: 0 };
}

export function directionQuestion(trace, selection) {
  const { layer, j, k } = weightOf(trace, selection);
  const before = trace.params_before.weights[layer - 1][j][k];
  const after = trace.params_after.weights[layer - 1][j][k];
  const moves = after > before ? 0 : after < before ? 1 : 2;
  return { kind: "choice", prompt: `Which way will ${weightSymbol(layer, j, k)} move in this update?`,
    options: ["up (it grows)", "down (it shrinks)", "it stays"], answer: moves };
}

// The layer below the output if there is one (a hidden layer), else the output.
function deltaLayer(trace) {
  const depth = trace.params_before.weights.length;
  return depth > 1 ? depth - 1 : depth;
}

export function largestDeltaQuestion(trace) {
  const layer = deltaLayer(trace);
  const delta = findStage(trace, "backward", layer).delta;
  const sums = delta[0].map((_, j) => Math.abs(delta.reduce((total, row) => total + row[j], 0)));
  const count = Math.min(sums.length, MAX_CHOICES);
  const shown = sums.slice(0, count);
  return { kind: "choice",
    prompt: `Which neuron of layer ${layer} has the largest |δ${sup(layer)}| (summed over the batch)?`,
    options: shown.map((_, j) => `neuron ${j + 1} (${neuronSymbol(layer, j, "δ")})`),
    answer: shown.indexOf(Math.max(...shown)) };
}

export function gradientQuestion(trace, selection) {
  const { layer, j, k } = weightOf(trace, selection);
  const grad = findStage(trace, "backward", layer).grad_weights[j][k];
  return { kind: "number", prompt: `What is ∂C/∂${weightSymbol(layer, j, k)}?`, answer: grad, tolerance: 0.01 };
}

// The questions on offer for this trace: [{id, label, make()}].
export function questionsFor(trace, selection) {
  const w = weightOf(trace, selection);
  const name = weightSymbol(w.layer, w.j, w.k);
  return [
    { id: "direction", label: `Which way will ${name} move?`, make: () => directionQuestion(trace, selection) },
    { id: "largest-delta", label: `Which neuron has the largest |δ${sup(deltaLayer(trace))}|?`, make: () => largestDeltaQuestion(trace) },
    { id: "gradient", label: `What is ∂C/∂${name}?`, make: () => gradientQuestion(trace, selection) },
  ];
}

// A question written on the spot: options one per line make a choice (the right one marked
// with a leading *), none make a number question, with an optional answer.
export function customQuestion(prompt, optionsText, numberAnswer) {
  const lines = optionsText.split("\n").map((line) => line.trim()).filter(Boolean);
  if (lines.length === 0) {
    const answer = numberAnswer.trim() === "" ? null : Number(numberAnswer);
    if (answer !== null && !Number.isFinite(answer)) throw new Error("the answer must be a number, or left empty");
    return { kind: "number", prompt, answer, tolerance: 0.01 };
  }
  if (lines.length < 2 || lines.length > MAX_CHOICES) throw new Error(`a choice needs 2 to ${MAX_CHOICES} options, one per line`);
  const marked = lines.findIndex((line) => line.startsWith("*"));
  return { kind: "choice", prompt, options: lines.map((line) => line.replace(/^\*\s*/, "")),
    answer: marked < 0 ? null : marked };
}
