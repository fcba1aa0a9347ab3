// A network's parameters one entry at a time, as the engine names them (w2_13 is W²[0, 2], b2_1
// is b²[0]: indices 1-based, with commas once one passes 9) and in its order, W¹, b¹, W², ...
// The race follows two of them over the loss surface. Pure: no DOM.

import { biasSymbol, indexLabel, weightSymbol } from "../trace/notation.js";

// {layer, kind, index, name, symbol} for an entry; index is 0-based as in the arrays.
function entry(layer, kind, index) {
  const letter = kind === "weight" ? "w" : "b";
  return { layer, kind, index, name: `${letter}${layer}_${indexLabel(...index)}`,
    symbol: kind === "weight" ? weightSymbol(layer, ...index) : biasSymbol(layer, ...index) };
}

// Every entry of a network of these layer sizes, W¹ row by row, then b¹, then W², ...
export function parameterList(sizes) {
  const entries = [];
  for (let l = 1; l < sizes.length; l += 1) {
    for (let j = 0; j < sizes[l]; j += 1) {
      for (let k = 0; k < sizes[l - 1]; k += 1) entries.push(entry(l, "weight", [j, k]));
    }
    for (let j = 0; j < sizes[l]; j += 1) entries.push(entry(l, "bias", [j]));
  }
  return entries;
}

// The entry called `name` in a network of these sizes (undefined when it has none).
export function parameterNamed(sizes, name) {
  return parameterList(sizes).find((p) => p.name === name);
}

// The two entries a race follows unless told otherwise: the first two, so a network with
// exactly two parameters (w and b of one neuron) shows them all.
export function defaultPair(sizes) {
  return parameterList(sizes).slice(0, 2).map((p) => p.name);
}

// The entry's value in a set of parameters ({weights, biases}); null when it is not finite.
export function valueOf(params, p) {
  const array = (p.kind === "weight" ? params.weights : params.biases)[p.layer - 1];
  return p.kind === "weight" ? array[p.index[0]][p.index[1]] : array[p.index[0]];
}

// The entry as POST /api/v1/loss-surface takes an axis, over low..high.
export function surfaceAxis(p, [low, high]) {
  return { layer: p.layer, kind: p.kind, index: p.index, low, high };
}
