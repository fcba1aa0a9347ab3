// The training panel: Train runs mini-batch SGD continuously in chunks of POST /api/v1/train
// (training-run.js), keeping the plots live; Pause hands the latest parameters to the store so
// stepping continues from them.

import { el } from "../core/dom.js";
import { numberField } from "../core/fields.js";
import { formatNumber } from "../core/format.js";
import { drawData, legendList, whenPlotly } from "../views/plots.js";
import { raceLink } from "../race/playground-link.js";
import { findPreset } from "./presets.js";
import { absorb, createHistory } from "./training-history.js";
import { drawCurves } from "./training-plots.js";
import { TEST_FRACTION, chunkBody, chunkIterations, verdict } from "./training-run.js";

const CURVES_EVERY = 250; // ms between loss-curve redraws while training runs
const BOUNDARY_EVERY = 500; // ms between decision-boundary redraws while training runs
const MAX_RUN = 100000;

const percent = (value) => (value === null ? "–" : `${(100 * value).toFixed(1)}%`);

function figure(caption, testid) {
  const plot = el("div", { class: "plot", "data-testid": testid });
  const legend = legendList();
  return { element: el("figure", { class: "train-figure" }, el("figcaption", { text: caption }), plot, legend),
    plot, legend };
}

function buildUi(settings) {
  const ui = {
    play: el("button", { type: "button", class: "primary", text: "Train", "data-testid": "train-play" }),
    pause: el("button", { type: "button", text: "Pause", "data-testid": "train-pause", disabled: true }),
    reset: el("button", { type: "button", text: "Reset", "data-testid": "train-reset" }),
    length: numberField({ label: "Iterations per run", value: settings.runLength, min: 1, max: MAX_RUN,
      step: 1, integer: true, testid: "train-iterations", onCommit: (value) => settings.onLength(value) }),
    threshold: numberField({ label: "Stop when a mini-batch loss is at most", min: 0, optional: true,
      testid: "train-threshold", onCommit: (value) => { settings.stopLoss = value; } }),
    log: el("input", { type: "checkbox", "data-testid": "train-log" }),
    status: el("p", { class: "train-status", role: "status", "data-testid": "train-status",
      text: "Press Train to run gradient descent from the current weights." }),
    curves: figure("Loss, and the gradient norm ‖dC/dW, dC/db‖ of each layer", "train-curves-plot"),
    boundary: figure("The data and the network's output", "train-boundary-plot"),
    readout: Object.fromEntries(["iteration", "loss", "test-loss", "accuracy", "speed"].map((name) =>
      [name, el("span", { "data-testid": `train-${name}`, text: name === "iteration" ? "0" : "–" })])),
  };
  const item = (term, value) => el("div", {}, el("dt", { text: term }), el("dd", {}, value));
  const r = ui.readout;
  ui.element = [
    el("div", { class: "train-bar" }, ui.play, ui.pause, ui.reset, ui.length.element, ui.threshold.element,
      el("label", { class: "checkbox" }, ui.log, " log-scale loss")),
    el("dl", { class: "train-readout" }, item("Iteration", r.iteration), item("Training-set loss", r.loss),
      item("Test-set loss", r["test-loss"]), item("Accuracy (train / test)", r.accuracy), item("Speed", r.speed)),
    ui.status,
    el("div", { class: "train-plots" }, ui.curves.element, ui.boundary.element),
    el("p", { class: "field-note", text: "Training always updates after the whole backward pass; "
      + "the update-order setting applies to stepping. Generated data keep "
      + `${100 * TEST_FRACTION}% of the points aside as a test set; your own points are all used for training.` }),
  ];
  return ui;
}

function renderReadout(ui, history, pace) {
  const last = (series) => series.y[series.y.length - 1];
  const r = ui.readout;
  r.iteration.textContent = String(history.iteration);
  r.loss.textContent = history.trainLoss.y.length ? formatNumber(last(history.trainLoss)) : "–";
  r["test-loss"].textContent = history.testLoss.y.length ? formatNumber(last(history.testLoss)) : "–";
  r.accuracy.textContent = history.accuracy === null ? "–"
    : `${percent(history.accuracy)} / ${percent(history.testAccuracy)}`;
  if (pace) r.speed.textContent = pace;
}

// Redraws at most once a frame. A Plotly update costs tens of milliseconds whatever its size, so
// while training runs the curves are redrawn at most every CURVES_EVERY ms and the boundary
// every BOUNDARY_EVERY ms; when it stops, both.
function createPainter(ui, store, run) {
  let frame = null;
  const at = { curves: -Infinity, boundary: -Infinity };
  const frames = [];
  const paint = () => {
    frame = null;
    const now = performance.now();
    frames.push(now);
    while (frames.length && frames[0] < now - 1000) frames.shift();
    renderReadout(ui, run.history, run.pace(frames.length));
    const { dataset, hidden } = store.get();
    const curves = !run.active() || now - at.curves >= CURVES_EVERY;
    const boundary = dataset && (!run.active() || now - at.boundary >= BOUNDARY_EVERY);
    if (curves) at.curves = now;
    if (boundary) at.boundary = now;
    if ((!curves && !boundary) || hidden.includes("train")) return;
    whenPlotly().then((Plotly) => Promise.all([
      curves ? drawCurves(Plotly, ui.curves.plot, ui.curves.legend, run.history, ui.log.checked) : null,
      boundary ? drawData(Plotly, ui.boundary.plot, ui.boundary.legend, dataset, run.history) : null,
    ])).catch((error) => run.setStatus("error", error.message));
  };
  return () => { frame = frame || requestAnimationFrame(paint); };
}

export function mountTraining(root, store, services) {
  const settings = { runLength: 2000, stopLoss: null, onLength: (value) => run.setLength(value) };
  const ui = buildUi(settings);
  root.append(...ui.element, raceLink(store, services));
  const run = createRun(store, services, ui, settings);
  ui.play.addEventListener("click", run.train);
  ui.pause.addEventListener("click", run.pause);
  ui.reset.addEventListener("click", () => {
    run.clear("Reset: the weights are back to the ones drawn from the seed.");
    store.set({ params: null, optimizerState: null });
  });
  ui.log.addEventListener("change", run.repaint);
  store.subscribe(["network", "dataset", "init", "seed", "params", "optimizer", "l2"], (state, changed) => {
    if (changed.every((key) => key === "params" || key === "optimizerState") && state.params === run.written()) return;
    if (run.history.chunks || run.active()) run.clear("The network, data or weights changed: training starts again from them.");
    else run.repaint();
  });
  store.subscribe(["present"], run.repaint);
  store.subscribe(["preset"], async ({ preset }) => {
    const found = preset ? await findPreset(services.api, preset) : null;
    if (!found) return;
    settings.runLength = found.iterations;
    ui.length.set(found.iterations);
  });
  run.setStatus("idle", ui.status.textContent);
  run.repaint();
}

// One chunk: its request, what it did, and why the run stops after it ({state, text}), if it
// does; null when a newer run took over meanwhile.
async function requestChunk(run, { store, services, settings, goal, latencies, mine, current, sized }) {
  const iterations = chunkIterations(run.history, services.catalog.limits);
  sized(iterations);
  const started = performance.now();
  const body = chunkBody(store.get(), services.catalog, run.history, Math.min(iterations, goal.to - run.history.iteration),
    settings.stopLoss);
  const response = await services.api.train(body, run.signal());
  if (current() !== mine) return null;
  latencies.push(performance.now() - started);
  if (latencies.length > 20) latencies.shift();
  absorb(run.history, response);
  run.repaint();
  return verdict(run.history, goal, { ...settings, learningRate: store.get().learningRate });
}

// The run's state and its chunk loop, with the few operations the panel needs.
function createRun(store, services, ui, settings) {
  const self = { history: createHistory() };
  let current = null; // {pause} while a run is going
  let controller = null;
  let goal = null; // {from, to}: iterations of the current run
  let written = null; // the params this panel last put in the store
  const latencies = [];
  let chunk = 0;
  self.active = () => Boolean(current);
  self.signal = () => controller.signal;
  self.written = () => written;
  self.pace = (frames) => (latencies.length && current ? `${Math.round(latencies.reduce((a, b) => a + b, 0)
    / latencies.length)} ms per request of up to ${chunk} iterations, ${frames} updates/s` : "");
  self.setLength = (value) => { settings.runLength = value; if (goal) goal.to = goal.from + value; };
  self.setStatus = (state, text) => {
    ui.status.textContent = text;
    ui.status.dataset.state = state;
    ui.play.disabled = state === "running" || state === "diverged";
    ui.pause.disabled = state !== "running";
    const h = self.history;
    store.set({ training: { status: state, iteration: h.iteration, boundary: h.boundary, curve: h.curve } });
  };
  self.repaint = createPainter(ui, store, self);
  const finish = (state, text) => {
    current = null;
    if (state !== "diverged" && self.history.params) {
      written = self.history.params;
      store.set({ params: self.history.params, optimizerState: self.history.optimizerState });
    }
    self.setStatus(state, text);
    self.repaint();
  };
  const step = (mine) => requestChunk(self, { store, services, settings, goal, latencies, mine,
    current: () => current, sized: (n) => { chunk = n; } });
  self.train = async () => {
    const h = self.history;
    if (current || h.diverged || !store.get().dataset) return;
    if (!goal || h.iteration >= goal.to) goal = { from: h.iteration, to: h.iteration + settings.runLength };
    const mine = { pause: false };
    current = mine;
    controller = new AbortController();
    latencies.length = 0;
    self.setStatus("running", `Training: iterations ${goal.from + 1} to ${goal.to}.`);
    while (!mine.pause) {
      let end;
      try {
        end = await step(mine);
      } catch (error) {
        if (current === mine) finish("error", `Training stopped: ${error.message}`);
        return;
      }
      if (current !== mine) return;
      if (end) { finish(end.state, end.text); return; }
    }
    finish("paused", `Paused at iteration ${self.history.iteration}. Stepping now starts from these weights.`);
  };
  self.pause = () => { if (current) current.pause = true; };
  // Forget the run: what it trained no longer matches the network, data or weights on screen.
  self.clear = (text) => {
    if (controller) controller.abort();
    current = null;
    self.history = createHistory();
    goal = null;
    written = null;
    latencies.length = 0;
    ui.readout.speed.textContent = "–";
    self.setStatus("idle", text);
    self.repaint();
  };
  return self;
}
