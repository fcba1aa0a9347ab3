// The training panel: Train runs mini-batch SGD continuously in chunks of POST /api/v1/train
// (recording off), carrying the parameters from chunk to chunk and keeping the plots live;
// Pause hands the latest parameters to the store so stepping continues from them.

import { el, numberField } from "./fields.js";
import { formatNumber } from "./format.js";
import { targetsFor } from "./network-fit.js";
import { drawData, legendList, whenPlotly } from "./plots.js";
import { loadPresets } from "./presets.js";
import { absorb, createHistory } from "./training-history.js";
import { drawCurves } from "./training-plots.js";

const CURVES_EVERY = 250; // ms between loss-curve redraws while training runs
const BOUNDARY_EVERY = 500; // ms between decision-boundary redraws while training runs

const MAX_SEED = 2 ** 32 - 1;
const MAX_RUN = 100000;
const TEST_FRACTION = 0.2;
// Iterations per request: as many as fit in about CHUNK_UNITS of app/workload.py's work units
// (roughly 30 ms on the server), 10 to 50, and fewer in the first chunks (10, 20, ...), where
// the loss falls fastest: each chunk ends with one snapshot of the whole-set losses and the
// boundary. It depends only on the network, batch size and chunk number, so a shared link trains
// the same way on every machine.
const CHUNK_UNITS = 3e7;
const LAYER_UNITS = 150000;
const ROW_UNITS = 400;
const NEURON_UNITS = 20;

function chunkSize(network, batchSize, chunk) {
  const sizes = network.layer_sizes;
  let parameters = 0;
  for (let l = 1; l < sizes.length; l += 1) parameters += sizes[l] * (sizes[l - 1] + 1);
  const neurons = sizes.slice(1).reduce((a, b) => a + b, 0);
  const perIteration = (sizes.length - 1) * LAYER_UNITS
    + batchSize * (parameters + NEURON_UNITS * neurons + ROW_UNITS);
  return Math.max(10, Math.min(50, 10 * (chunk + 1), Math.floor(CHUNK_UNITS / perIteration)));
}

// The body of one chunk's request. The seed changes per chunk so mini-batch shuffles differ;
// the first chunk uses the store's seed, which also draws the parameters when there are none.
function chunkBody(state, history, iterations, stopLoss) {
  const body = {
    network: state.network,
    seed: (state.seed + history.chunks) % (MAX_SEED + 1),
    init: state.init,
    learning_rate: state.learningRate,
    batch_size: state.batchSize,
    iterations,
    snapshot_every: iterations,
    include_data: false, // the page already has the data; chunks stay small
  };
  const params = history.params || state.params;
  if (params) body.params = params;
  if (state.points) {
    body.inputs = state.points.inputs;
    body.targets = targetsFor(state.network, state.points.targets);
  } else {
    body.dataset = state.data;
    body.test_fraction = TEST_FRACTION;
  }
  if (stopLoss !== null) body.stop_loss = stopLoss;
  return body;
}

const percent = (value) => (value === null ? "–" : `${(100 * value).toFixed(1)}%`);

function figure(caption, testid) {
  const plot = el("div", { class: "plot", "data-testid": testid });
  const legend = legendList();
  return { element: el("figure", { class: "train-figure" }, el("figcaption", { text: caption }), plot, legend),
    plot, legend };
}

export function mountTraining(root, store, context) {
  let history = createHistory();
  let run = null; // {pause} while a run is going
  let controller = null;
  let goal = null; // {from, to}: iterations of the current run
  let written = null; // the params this panel last put in the store
  let stopLoss = null;
  let runLength = 2000;
  let logScale = false;
  const latencies = [];
  let chunkIterations = 0;
  const frames = [];

  const play = el("button", { type: "button", class: "primary", text: "Train", "data-testid": "train-play" });
  const pause = el("button", { type: "button", text: "Pause", "data-testid": "train-pause", disabled: true });
  const reset = el("button", { type: "button", text: "Reset", "data-testid": "train-reset" });
  const length = numberField({ label: "Iterations per run", value: runLength, min: 1, max: MAX_RUN,
    step: 1, integer: true, testid: "train-iterations", onCommit: (value) => {
      runLength = value;
      if (goal) goal.to = goal.from + value;
    } });
  const threshold = numberField({ label: "Stop when a mini-batch loss is at most", min: 0, optional: true,
    testid: "train-threshold", onCommit: (value) => { stopLoss = value; } });
  const logBox = el("input", { type: "checkbox", id: "train-log-scale", "data-testid": "train-log" });
  const logField = el("label", { class: "checkbox", for: logBox.id }, logBox, " log-scale loss");

  const readout = {
    iteration: el("span", { "data-testid": "train-iteration", text: "0" }),
    loss: el("span", { "data-testid": "train-loss", text: "–" }),
    testLoss: el("span", { "data-testid": "train-test-loss", text: "–" }),
    accuracy: el("span", { "data-testid": "train-accuracy", text: "–" }),
    speed: el("span", { "data-testid": "train-speed", text: "–" }),
  };
  const item = (term, value) => el("div", {}, el("dt", { text: term }), el("dd", {}, value));
  const status = el("p", { class: "train-status", role: "status", "data-testid": "train-status",
    text: "Press Train to run gradient descent from the current weights." });
  const curves = figure("Loss, and the gradient norm ‖dC/dW, dC/db‖ of each layer", "train-curves-plot");
  const boundary = figure("The data and the network's output", "train-boundary-plot");

  root.append(
    el("div", { class: "train-bar" }, play, pause, reset, length.element, threshold.element, logField),
    el("dl", { class: "train-readout" }, item("Iteration", readout.iteration),
      item("Training-set loss", readout.loss), item("Test-set loss", readout.testLoss),
      item("Accuracy (train / test)", readout.accuracy), item("Speed", readout.speed)),
    status,
    el("div", { class: "train-plots" }, curves.element, boundary.element),
    el("p", { class: "field-note", text: "Training always updates after the whole backward pass; "
      + "the update-order setting applies to stepping. Generated data keep "
      + `${100 * TEST_FRACTION}% of the points aside as a test set; your own points are all used for training.` }),
  );

  const setStatus = (state, text) => {
    status.textContent = text;
    status.dataset.state = state;
    play.disabled = state === "running" || state === "diverged";
    pause.disabled = state !== "running";
    store.set({ training: { status: state, iteration: history.iteration, boundary: history.boundary,
      curve: history.curve } });
  };

  // Readouts are drawn at most once per frame, whatever the pace of the chunks. A Plotly update
  // costs tens of milliseconds whatever its size, so while training runs the curves are redrawn
  // at most every CURVES_EVERY ms and the boundary every BOUNDARY_EVERY ms; when it stops, both.
  let frame = null;
  let curvesAt = -Infinity;
  let boundaryAt = -Infinity;
  const render = () => {
    frame = null;
    const now = performance.now();
    frames.push(now);
    while (frames.length && frames[0] < now - 1000) frames.shift();
    const last = (series) => (series.y.length ? series.y[series.y.length - 1] : undefined);
    readout.iteration.textContent = String(history.iteration);
    readout.loss.textContent = history.trainLoss.y.length ? formatNumber(last(history.trainLoss)) : "–";
    readout.testLoss.textContent = history.testLoss.y.length ? formatNumber(last(history.testLoss)) : "–";
    readout.accuracy.textContent = history.accuracy === null ? "–"
      : `${percent(history.accuracy)} / ${percent(history.testAccuracy)}`;
    if (latencies.length && run) {
      const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
      readout.speed.textContent = `${Math.round(mean)} ms per request of up to ${chunkIterations} `
        + `iterations, ${frames.length} updates/s`;
    }
    const { dataset } = store.get();
    const withCurves = !run || now - curvesAt >= CURVES_EVERY;
    const withBoundary = dataset && (!run || now - boundaryAt >= BOUNDARY_EVERY);
    if (withCurves) curvesAt = now;
    if (withBoundary) boundaryAt = now;
    if ((!withCurves && !withBoundary) || store.get().hidden.includes("train")) return;
    whenPlotly().then((Plotly) => Promise.all([
      withCurves ? drawCurves(Plotly, curves.plot, curves.legend, history, logScale) : null,
      withBoundary ? drawData(Plotly, boundary.plot, boundary.legend, dataset, history) : null,
    ])).catch((error) => setStatus("error", error.message));
  };
  const scheduleRender = () => { frame = frame || requestAnimationFrame(render); };

  const finish = (state, text) => {
    run = null;
    if (state !== "diverged" && history.params) {
      written = history.params;
      store.set({ params: history.params });
    }
    setStatus(state, text);
    scheduleRender();
  };

  const train = async () => {
    const state = store.get();
    if (run || history.diverged || !state.dataset) return;
    if (!goal || history.iteration >= goal.to) goal = { from: history.iteration, to: history.iteration + runLength };
    const current = { pause: false };
    run = current;
    controller = new AbortController();
    latencies.length = 0;
    setStatus("running", `Training: iterations ${goal.from + 1} to ${goal.to}.`);
    while (!current.pause) {
      const { network, batchSize } = store.get();
      chunkIterations = chunkSize(network, batchSize, history.chunks);
      const iterations = Math.min(chunkIterations, goal.to - history.iteration);
      const started = performance.now();
      let response;
      try {
        response = await context.api.train(chunkBody(store.get(), history, iterations, stopLoss), controller.signal);
      } catch (error) {
        if (run !== current) return;
        finish("error", `Training stopped: ${error.message}`);
        return;
      }
      if (run !== current) return;
      latencies.push(performance.now() - started);
      if (latencies.length > 20) latencies.shift();
      absorb(history, response);
      scheduleRender();
      if (history.diverged) {
        finish("diverged", `Diverged at iteration ${history.divergedAt}: the loss or a weight stopped `
          + `being a finite number. Learning rate ${store.get().learningRate} overshoots; lower it and `
          + "press Reset.");
        return;
      }
      if (history.stoppedEarly) {
        finish("stopped", `Stopped at iteration ${history.iteration}: a mini-batch loss reached ${stopLoss}.`);
        return;
      }
      if (history.iteration >= goal.to) {
        finish("done", `Done: ${history.iteration} iterations. Train again for ${runLength} more, or Reset.`);
        return;
      }
    }
    finish("paused", `Paused at iteration ${history.iteration}. Stepping now starts from these weights.`);
  };

  // Forget the run: what it trained no longer matches the network, data or weights on screen.
  const clear = (text) => {
    if (controller) controller.abort();
    run = null;
    history = createHistory();
    goal = null;
    written = null;
    latencies.length = 0;
    readout.speed.textContent = "–";
    setStatus("idle", text);
    scheduleRender();
  };

  play.addEventListener("click", train);
  pause.addEventListener("click", () => { if (run) run.pause = true; });
  reset.addEventListener("click", () => {
    clear("Reset: the weights are back to the ones drawn from the seed.");
    store.set({ params: null });
  });
  logBox.addEventListener("change", () => { logScale = logBox.checked; scheduleRender(); });

  store.subscribe(["network", "dataset", "init", "seed", "params"], (state, changed) => {
    if (changed.length === 1 && changed[0] === "params" && state.params === written) return;
    if (history.chunks || run) clear("The network, data or weights changed: training starts again from them.");
    else scheduleRender();
  });
  store.subscribe(["present"], scheduleRender);
  store.subscribe(["preset"], ({ preset }) => {
    if (!preset) return;
    loadPresets(context.api).then((list) => {
      const found = list.find((p) => p.name === preset);
      if (!found) return;
      runLength = found.iterations;
      length.set(runLength);
    }).catch(() => {}); // the preset picker already says when presets cannot be loaded
  });
  setStatus("idle", status.textContent);
  scheduleRender();
}
