// What continuous training has produced so far, chunk by chunk: per-iteration mini-batch losses
// and gradient norms, whole-set losses and accuracy at each chunk's end, the latest boundary.

export function createHistory() {
  return {
    iteration: 0, // updates made since the last reset
    chunks: 0,
    batchLoss: [], // the mini-batch loss of iteration i + 1
    gradNorms: [], // gradNorms[l][i]: ||dC/dW^(l+1), dC/db^(l+1)|| at iteration i + 1
    trainLoss: { x: [], y: [] }, // C over the whole training set, at chunk ends
    testLoss: { x: [], y: [] },
    accuracy: null,
    testAccuracy: null,
    boundary: null,
    curve: null,
    evaluation: null, // the confusion matrix and misclassified rows after the latest chunk, if asked

    params: null, // params_after of the latest chunk
    optimizerState: null, // and the optimiser's state after it
    workPerIteration: null, // the server's estimate of one iteration's work, from the latest chunk
    diverged: false,
    divergedAt: null,
    stoppedEarly: false,
  };
}

// Add one POST /api/v1/train response, whose iterations continue from history.iteration.
// The first snapshot of a chunk repeats the previous chunk's last one, so only the first
// chunk's is kept.
export function absorb(history, response) {
  const offset = history.iteration;
  history.batchLoss.push(...response.loss_curve);
  for (const norms of response.grad_norms) {
    norms.forEach((norm, layer) => {
      history.gradNorms[layer] = history.gradNorms[layer] || [];
      history.gradNorms[layer].push(norm);
    });
  }
  const snapshots = history.chunks === 0 ? response.snapshots : response.snapshots.slice(1);
  for (const snapshot of snapshots) {
    const at = offset + snapshot.iteration;
    history.trainLoss.x.push(at);
    history.trainLoss.y.push(snapshot.train_loss);
    if (snapshot.test_loss !== null) {
      history.testLoss.x.push(at);
      history.testLoss.y.push(snapshot.test_loss);
    }
    history.accuracy = snapshot.accuracy;
    history.testAccuracy = snapshot.test_accuracy;
  }
  history.boundary = response.decision_boundary || history.boundary;
  history.curve = response.prediction_curve || history.curve;
  history.evaluation = response.evaluation || history.evaluation;
  history.iteration = offset + response.iterations_run;
  history.params = response.params_after;
  history.optimizerState = response.optimizer_state_after ?? null;
  history.workPerIteration = response.work.per_iteration;
  history.diverged = response.diverged;
  history.divergedAt = response.diverged ? offset + response.diverged_at : null;
  history.stoppedEarly = response.stopped_early;
  history.chunks += 1;
}

// At most `limit` points of a per-iteration series: means over equal runs of iterations
// (non-finite values, sent as null, are left out of a mean).
export function thin(values, limit = 1500) {
  if (values.length <= limit) return { x: values.map((_, i) => i + 1), y: values };
  const size = Math.ceil(values.length / limit);
  const x = [];
  const y = [];
  for (let start = 0; start < values.length; start += size) {
    const run = values.slice(start, start + size).filter((v) => v !== null);
    x.push(start + (Math.min(size, values.length - start) + 1) / 2);
    y.push(run.length ? run.reduce((a, b) => a + b, 0) / run.length : null);
  }
  return { x, y };
}
