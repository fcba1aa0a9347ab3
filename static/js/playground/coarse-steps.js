// The coarser steps under the stepper: "Apply update" starts the next iteration from the new
// weights (the stepper's "apply" action), "Run an epoch" runs one pass of mini-batch steps over
// the whole dataset through POST /api/v1/train. A line says what each did to the loss.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";

function button(text, label) {
  return el("button", { type: "button", "aria-label": label, text });
}

// One epoch from the trace's weights; resolves to the sentence that reports it.
async function runEpoch(store, services) {
  const state = store.get();
  const { inputs, targets } = state.dataset;
  const batch = services.batch(state).inputs.length;
  const iterations = Math.ceil(inputs.length / batch);
  const result = await services.api.train({
    network: state.network, seed: state.seed, init: state.init, params: state.trace.params_before,
    inputs, targets, learning_rate: state.learningRate, batch_size: batch, iterations,
    snapshot_every: iterations,
  });
  if (result.diverged) {
    return `The epoch diverged at step ${result.diverged_at}: the learning rate is too large. `
      + "The weights were left as they were.";
  }
  const first = result.snapshots[0];
  const last = result.snapshots[result.snapshots.length - 1];
  store.set({ params: result.params_after, stage: 0, event: 0 });
  return `Ran one epoch: ${result.iterations_run} steps of ${result.batch_size} samples. The loss `
    + `over all ${inputs.length} points went from ${formatNumber(first.train_loss)} to `
    + `${formatNumber(last.train_loss)}.`;
}

export function mountCoarseSteps(root, store, services) {
  const apply = button("Apply update", "Apply update: start the next iteration from the new weights");
  const epoch = button("Run an epoch", "Run an epoch: one pass of mini-batch steps over the whole dataset");
  root.append(el("div", { class: "player-coarse" }, apply, epoch));
  let training = false;
  const say = (notice) => store.set({ notice });
  const render = (state) => {
    apply.disabled = !state.trace || state.trace.diverged;
    apply.title = state.trace && state.trace.diverged ? "This iteration diverged: its new weights are not finite." : "";
    epoch.disabled = !state.trace || !state.dataset || training;
  };
  apply.addEventListener("click", () => services.dispatch({ type: "apply" }));
  epoch.addEventListener("click", async () => {
    const state = store.get();
    if (!state.trace || !state.dataset) return;
    services.dispatch({ type: "pause" });
    training = true;
    render(state);
    const batch = services.batch(state).inputs.length;
    say(`Running an epoch: ${Math.ceil(state.dataset.inputs.length / batch)} steps of ${batch} samples…`);
    say(await runEpoch(store, services).catch((error) => `The epoch could not run: ${error.message}`));
    training = false;
    render(store.get());
  });
  store.subscribe(["trace", "dataset", "appliedFrom"], (state, changed) => {
    if (changed.includes("appliedFrom") && state.appliedFrom !== null) {
      say("Applied the update; running the next iteration from the new weights…");
    } else if (changed.includes("trace") && state.trace && state.appliedFrom !== null) {
      say(`Iteration ${state.iteration + 1}: the update took the loss on this batch from `
        + `${formatNumber(state.appliedFrom)} to ${formatNumber(state.trace.loss)}.`);
      store.set({ appliedFrom: null });
    }
    render(store.get());
  });
  render(store.get());
}
