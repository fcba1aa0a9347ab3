// A model file, {network, params, seed, init} and, when the update is not plain gradient
// descent, {optimizer, optimizer_state, l2} (the API's names), checked before it reaches the
// store: each problem is named by its field, the way the API names them, against the catalog's
// lists and limits. Files without an optimiser (all files written before there were any) open
// as plain gradient descent.

import { RuleError as ModelError, checkNetwork, checkParams, fail, isFiniteNumber, names } from "./network-rules.js";
import { optimizerProblem, stateProblem, withoutDefaults } from "./optimizer-rules.js";

// The model in `text`, checked against the catalog; throws an Error whose message names the
// problem.
export function readModel(text, catalog) {
  let model;
  try {
    model = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`The file is not JSON (${error.message}).`);
  }
  if (!model || typeof model !== "object" || Array.isArray(model)) {
    throw new ModelError("The file holds no model: expected {network, params, seed, init}.");
  }
  checkNetwork(model.network, catalog);
  const params = checkParams(model.params, model.network.layer_sizes);
  const seed = model.seed ?? 0;
  const { max_seed: maxSeed } = catalog.limits;
  if (!Number.isInteger(seed) || seed < 0 || seed > maxSeed) fail("seed", `must be a whole number from 0 to ${maxSeed}`);
  const init = model.init ?? "auto";
  const schemes = names(catalog.init_schemes);
  if (!schemes.includes(init)) fail("init", `"${init}" is not a scheme; known: ${schemes.join(", ")}`);
  const { layer_sizes, activations, loss } = model.network;
  return { network: { layer_sizes, activations, loss }, params, seed, init, ...readUpdate(model, catalog) };
}

// The update's part of a model file: {optimizer, optimizerState, l2} as the store keeps them.
function readUpdate(model, catalog) {
  const optimizer = model.optimizer ?? null;
  if (optimizer !== null) {
    const problem = optimizerProblem(optimizer, catalog);
    if (problem) fail("optimizer", problem);
  }
  const state = model.optimizer_state ?? null;
  if (state !== null) {
    if (!optimizer) fail("optimizer_state", "belongs to no optimiser (the file names none)");
    const problem = stateProblem(state, optimizer, catalog, model.network.layer_sizes);
    if (problem) fail("optimizer_state", problem);
  }
  const l2 = model.l2 ?? 0;
  const most = catalog.limits.max_weight_decay;
  if (!isFiniteNumber(l2) || l2 < 0 || l2 > most) fail("l2", `must be a number from 0 to ${most}`);
  return { optimizer: optimizer && withoutDefaults(optimizer, catalog), optimizerState: state, l2 };
}

export function modelFile(state) {
  const update = {};
  if (state.optimizer) {
    update.optimizer = state.optimizer;
    update.optimizer_state = state.optimizerState;
  }
  if (state.l2) update.l2 = state.l2;
  return { network: state.network, params: state.trace.params_before, seed: state.seed, init: state.init,
    ...update };
}
