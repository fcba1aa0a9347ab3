// Continuous training as a run of POST /api/v1/train requests ("chunks"), each carrying on from
// the parameters the last one ended with. The chunk size follows the server's own estimate of
// an iteration's work, so that a chunk costs about the same on any network.

import { targetsFor } from "./network-fit.js";
import { updateFields } from "./state.js";
import { wantsReport } from "./training-report.js";

export const TEST_FRACTION = 0.2;
// A chunk is at most this share of a request's work budget (about 30 ms on the server): 10 to
// 50 iterations, fewer in the first chunks (10, 20, ...) where the loss falls fastest, since each
// chunk ends with one snapshot of the whole-set losses and the boundary. It depends only on the
// network, batch size and chunk number, so a shared link trains the same way on every machine.
const CHUNK_SHARE = 0.01;

export function chunkIterations(history, limits) {
  const fit = history.workPerIteration
    ? Math.floor((CHUNK_SHARE * limits.train_work_budget) / history.workPerIteration) : Infinity;
  return Math.max(10, Math.min(50, 10 * (history.chunks + 1), fit));
}

// The body of one chunk's request. The seed changes per chunk so mini-batch shuffles differ;
// the first chunk uses the store's seed, which also draws the parameters when there are none.
export function chunkBody(state, catalog, history, iterations, stopLoss) {
  const body = {
    network: state.network,
    seed: (state.seed + history.chunks) % (catalog.limits.max_seed + 1),
    init: state.init,
    learning_rate: state.learningRate,
    batch_size: state.batchSize,
    iterations,
    snapshot_every: iterations,
    include_data: false, // the page already has the data; chunks stay small
  };
  const params = history.params || state.params;
  if (params) body.params = params;
  // The optimiser carries on from its own state as the weights carry on from theirs.
  Object.assign(body, updateFields({ ...state,
    optimizerState: history.params ? history.optimizerState : state.optimizerState }));
  if (state.points) {
    body.inputs = state.points.inputs;
    body.targets = targetsFor(catalog, state.network, state.points.targets);
  } else {
    body.dataset = state.data;
    body.test_fraction = TEST_FRACTION;
  }
  if (stopLoss !== null) body.stop_loss = stopLoss;
  if (wantsReport(state)) body.include_evaluation = true;
  return body;
}

// Why a run that has just absorbed a chunk stops now ({state, text}), or null to go on.
export function verdict(history, goal, settings) {
  if (history.diverged) {
    return { state: "diverged", text: `Diverged at iteration ${history.divergedAt}: the loss or a `
      + `weight stopped being a finite number. Learning rate ${settings.learningRate} overshoots; `
      + "lower it and press Reset." };
  }
  if (history.stoppedEarly) {
    return { state: "stopped", text: `Stopped at iteration ${history.iteration}: a mini-batch loss `
      + `reached ${settings.stopLoss}.` };
  }
  if (history.iteration >= goal.to) {
    return { state: "done", text: `Done: ${history.iteration} iterations. Train again for `
      + `${settings.runLength} more, or Reset.` };
  }
  return null;
}
