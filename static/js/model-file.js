// A model file, {network, params, seed, init}, checked before it reaches the store: each problem
// is named by its field, the way the API names them.

import { HIDDEN_ACTIVATIONS, LOSSES, MAX_NEURONS } from "./network-fit.js";

const MAX_LAYERS = 6; // engine/spec.py MAX_LAYERS
const MAX_SEED = 2 ** 32 - 1;
const INITS = ["auto", "xavier", "he"];

class ModelError extends Error {}

const fail = (field, message) => { throw new ModelError(`${field}: ${message}`); };
const isFiniteNumber = (v) => typeof v === "number" && Number.isFinite(v);

function checkNetwork(network) {
  if (!network || typeof network !== "object") fail("network", "missing; expected {layer_sizes, activations, loss}");
  const { layer_sizes: sizes, activations, loss } = network;
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.length > MAX_LAYERS + 1) {
    fail("network.layer_sizes", `needs 2 to ${MAX_LAYERS + 1} sizes (the input and up to ${MAX_LAYERS} layers)`);
  }
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > MAX_NEURONS) {
      fail(`network.layer_sizes[${i}]`, `must be a whole number from 1 to ${MAX_NEURONS}, got ${JSON.stringify(n)}`);
    }
  });
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) {
    fail("network.activations", `needs one activation per layer after the input: ${sizes.length - 1}`);
  }
  activations.forEach((name, i) => {
    const last = i === activations.length - 1;
    if (!HIDDEN_ACTIVATIONS.includes(name) && !(last && name === "softmax")) {
      fail(`network.activations[${i}]`, `"${name}" is not an activation here; known: `
        + `${HIDDEN_ACTIVATIONS.join(", ")}${last ? ", softmax" : ""}`);
    }
  });
  if (!LOSSES[loss]) fail("network.loss", `"${loss}" is not a loss; known: ${Object.keys(LOSSES).join(", ")}`);
  const required = LOSSES[loss].output;
  if (required && activations.at(-1) !== required) {
    fail("network.activations", `the loss ${loss} needs a ${required} output layer`);
  }
}

function checkParams(params, sizes) {
  if (params === null || params === undefined) return null;
  const { weights, biases } = params;
  const depth = sizes.length - 1;
  if (!Array.isArray(weights) || weights.length !== depth) fail("params.weights", `needs ${depth} matrices`);
  if (!Array.isArray(biases) || biases.length !== depth) fail("params.biases", `needs ${depth} vectors`);
  for (let l = 1; l <= depth; l += 1) {
    const w = weights[l - 1];
    const shape = `${sizes[l]}x${sizes[l - 1]}`;
    if (!Array.isArray(w) || w.length !== sizes[l]
      || !w.every((row) => Array.isArray(row) && row.length === sizes[l - 1] && row.every(isFiniteNumber))) {
      fail(`params.weights[${l - 1}]`, `W^${l} must be a ${shape} matrix of finite numbers`);
    }
    const b = biases[l - 1];
    if (!Array.isArray(b) || b.length !== sizes[l] || !b.every(isFiniteNumber)) {
      fail(`params.biases[${l - 1}]`, `b^${l} must be ${sizes[l]} finite numbers`);
    }
  }
  return { weights, biases };
}

// The model in `text`, checked; throws an Error whose message names the problem.
export function readModel(text) {
  let model;
  try {
    model = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`The file is not JSON (${error.message}).`);
  }
  if (!model || typeof model !== "object" || Array.isArray(model)) {
    throw new ModelError("The file holds no model: expected {network, params, seed, init}.");
  }
  checkNetwork(model.network);
  const params = checkParams(model.params, model.network.layer_sizes);
  const seed = model.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) fail("seed", `must be a whole number from 0 to ${MAX_SEED}`);
  const init = model.init ?? "auto";
  if (!INITS.includes(init)) fail("init", `"${init}" is not a scheme; known: ${INITS.join(", ")}`);
  const { layer_sizes, activations, loss } = model.network;
  return { network: { layer_sizes, activations, loss }, params, seed, init };
}

export function modelFile(state) {
  return { network: state.network, params: state.trace.params_before, seed: state.seed, init: state.init };
}
