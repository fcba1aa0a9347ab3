// What each runner of a race has done so far, chunk by chunk of POST /api/v1/train: the cost C
// over the whole data after every iteration, the path of the two followed parameters, and what
// the next chunk carries on from (its parameters and optimiser state). Every runner trains on
// the whole data at once (full batch), so its curve is the cost C itself, the same C as the
// loss surface's, and a path's point t lies on the surface at height C after t updates.
// Pure: no DOM.

import { chunkIterations } from "../playground/training-run.js";
import { optimizerOf, rateOf } from "./runners.js";
import { valueOf } from "./parameters.js";

export function createTrack() {
  return {
    iteration: 0, // updates made
    chunks: 0,
    iterations: [], // 0, 1, 2, ...: after how many updates each point was taken
    cost: [], // C over the whole data then (null where it is not finite)
    path: { x: [], y: [], cost: [] }, // the two followed parameters then, and C there
    params: null, // where the next chunk starts (null: the race's starting parameters)
    state: null, // the optimiser's state after the last chunk
    workPerIteration: null, // the server's estimate, which sizes the next chunk
    diverged: false,
    divergedAt: null,
  };
}

// The body of one chunk's request for `runner`: `race` holds the shared setup ({network, start,
// dataset, learningRate, l2, seed}). A snapshot after every iteration gives the path; without
// the network's predictions each is a few numbers.
export function chunkBody(race, runner, track, iterations) {
  const body = {
    network: race.network,
    params: track.params || race.start,
    inputs: race.dataset.inputs,
    targets: race.dataset.targets,
    seed: race.seed,
    learning_rate: rateOf(runner, race.learningRate),
    optimizer: optimizerOf(runner),
    iterations,
    snapshot_every: 1,
    include_data: false,
    include_predictions: false,
  };
  if (track.state) body.optimizer_state = track.state;
  if (race.l2) body.l2 = race.l2;
  return body;
}

// How many iterations the runner's next chunk takes: as the playground's training sizes its
// chunks (a small share of the work budget, 10 to 50), and no further than `goal`.
export function nextChunk(track, limits, goal) {
  return Math.min(chunkIterations(track, limits), goal - track.iteration);
}

// Add one response, whose iterations continue from track.iteration. A chunk's first snapshot
// repeats the previous chunk's last, so only the first chunk's is kept.
export function absorb(track, response, pair) {
  const offset = track.iteration;
  const snapshots = track.chunks === 0 ? response.snapshots : response.snapshots.slice(1);
  for (const snapshot of snapshots) {
    track.iterations.push(offset + snapshot.iteration);
    track.cost.push(snapshot.train_loss);
    const [x, y] = pair.map((p) => valueOf(snapshot.params, p));
    if (x !== null && y !== null) {
      track.path.x.push(x);
      track.path.y.push(y);
      track.path.cost.push(snapshot.train_loss);
    }
  }
  track.iteration = offset + response.iterations_run;
  track.params = response.params_after;
  track.state = response.optimizer_state_after;
  track.workPerIteration = response.work.per_iteration;
  track.diverged = response.diverged;
  track.divergedAt = response.diverged ? offset + response.diverged_at : null;
  track.chunks += 1;
}

export const lastOf = (values) => (values.length ? values[values.length - 1] : null);

// Whether the runner has more to run towards `goal`.
export const running = (track, goal) => !track.diverged && track.iteration < goal;
