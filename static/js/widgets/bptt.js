// Lesson widget: backprop through time in a small RNN, a shared weight's gradient step by step.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { createChain } from "./bptt-chain.js";
import { plotContributions, plotNorms } from "./bptt-plots.js";
import { isAbort } from "../core/api.js";
import { createStepControls } from "./step-controls.js";

const SHARED = { W_hh: "used to compute h{t} from h{p}", W_xh: "used to bring x{t} into h{t}", b_h: "added into h{t}" };
const DEBOUNCE_MS = 200;

// null is how the API sends a number that overflowed; a sum of huge numbers can overflow here too.
const show = (value) => (value === null || !Number.isFinite(value) ? "overflow" : formatNumber(value));
const entryOf = (array, index) => index.reduce((item, i) => item[i], array);
const entryName = (param, index) => `${param}[${index.map((i) => i + 1).join(",")}]`;

function settingsFrom(options) {
  return {
    task: options.task || "mean",
    steps: Number(options.steps || 8),
    long: Number(options.long || 50),
    n_hidden: Number(options.n_hidden || 4),
    scale: Number(options.scale || 1),
    seed: Number(options.seed || 0),
    loss_at: options.loss_at || "last",
  };
}

function request(settings, steps) {
  const { task, n_hidden, scale, seed, loss_at } = settings;
  return { task, steps, n_hidden, scale, seed, loss_at };
}

// Every entry of the shared weights, as [param, index] pairs.
function entries(grads) {
  return Object.keys(SHARED).flatMap((param) => grads[param].flatMap((row, i) => (Array.isArray(row)
    ? row.map((_, j) => [param, [i, j]]) : [[param, [i]]])));
}

// The entry of W_hh whose total gradient is largest in size: the clearest to watch.
function largestEntry(grads) {
  const candidates = entries(grads).filter(([param]) => param === "W_hh");
  return candidates.reduce((best, entry) => (Math.abs(entryOf(grads.W_hh, entry[1]) ?? 0)
    > Math.abs(entryOf(grads.W_hh, best[1]) ?? 0) ? entry : best));
}

// Sums from the last step back to each reached step; null where not reached or past an overflow.
function runningSums(contributions, position) {
  const steps = contributions.length;
  const sums = new Array(steps).fill(null);
  let sum = 0;
  for (let t = steps; t > steps - position; t -= 1) {
    const value = contributions[t - 1];
    sum = sum === null || value === null ? null : sum + value;
    sums[t - 1] = sum;
  }
  return sums;
}

function valueCell(tag, value, attributes = {}) {
  return el(tag, { ...attributes, class: `num${value !== null && value < 0 ? " negative" : ""}`,
    "data-value": String(value), text: show(value) });
}

function stepTable(view) {
  const { contributions, running, total, position, name } = view;
  const steps = contributions.length;
  const rows = [];
  for (let t = steps; t >= 1; t -= 1) {
    const reached = t > steps - position;
    rows.push(el("tr", { "data-step": t, class: `${reached ? "reached" : ""}${t === steps - position + 1 ? " current" : ""}` },
      el("th", { scope: "row", text: String(t) }),
      valueCell("td", contributions[t - 1], { "data-role": "contribution" }),
      reached ? valueCell("td", running[t - 1], { "data-role": "running" }) : el("td", { class: "num muted", text: "·" })));
  }
  const sum = running[0];
  return el("table", { class: "step-table", "data-testid": "step-table" },
    el("caption", { text: `Contributions to ∂C/∂${name}, from the last step back` }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "step t" }), el("th", { scope: "col", text: "this step" }),
      el("th", { scope: "col", text: "sum T…t" }))),
    el("tbody", {}, ...rows),
    el("tfoot", {},
      el("tr", {}, el("th", { scope: "row", colspan: 2, text: `sum of all ${steps} steps` }),
        position === steps ? valueCell("td", sum, { "data-testid": "steps-sum" }) : el("td", { class: "num muted", text: "·" })),
      el("tr", {}, el("th", { scope: "row", colspan: 2, text: `∂C/∂${name} from the API` }),
        valueCell("td", total, { "data-testid": "api-total" }))));
}

function stepSentence(view) {
  const { position, steps, param, name, contributions, running, loss } = view;
  if (position === 0) {
    return `Forward pass done: C = ${show(loss)}. Press Next (or →) to go back in time, starting at step ${steps}.`;
  }
  const t = steps - position + 1;
  const use = SHARED[param].replace(/\{t\}/g, String(t)).replace("{p}", String(t - 1));
  const end = position === steps ? ` All ${steps} steps are in: this is the whole gradient.` : "";
  return `Step ${t}: ${param} was ${use}; that use sends back ${show(contributions[t - 1])} to ∂C/∂${name}. `
    + `Sum of steps ${steps} back to ${t}: ${show(running[t - 1])}.${end}`;
}

// The widget's parts, laid out in `element`.
function buildUi(element, settings, context, onMove) {
  const ui = {
    slider: el("input", { type: "range", min: "0.5", max: "2", step: "0.05", value: String(settings.scale),
      "data-testid": "scale", "aria-label": "scale of W_hh" }),
    scaleText: el("output", { class: "scale-value", "data-testid": "scale-value", text: settings.scale.toFixed(2) }),
    status: el("p", { class: "widget-status", role: "status", "data-testid": "bptt-status" }),
    error: el("p", { class: "widget-error", role: "alert", "data-testid": "widget-error", hidden: true }),
    diverged: el("p", { class: "widget-error", role: "alert", "data-testid": "diverged", hidden: true }),
    chainHeading: el("h3", { class: "widget-heading", text: "The network unrolled" }),
    chainBox: el("div", { class: "graph-canvas" }),
    picker: el("select", { "data-testid": "entry", "aria-label": "weight entry to follow" }),
    sentence: el("p", { class: "step-title", "aria-live": "polite", "data-testid": "step-title" }),
    contributionPlot: el("div", { class: "bptt-plot", "data-testid": "contribution-plot", role: "img",
      "aria-label": "Each time step's contribution to the chosen weight's gradient, and the sum so far" }),
    table: el("div", { class: "step-table-box" }),
    normPlot: el("div", { class: "bptt-plot", "data-testid": "norm-plot", role: "img",
      "aria-label": "Gradient norm by steps back from the end, for a short and a long sequence" }),
    normSummary: el("p", { class: "widget-note", "data-testid": "norm-summary" }),
    stepper: createStepControls(element, { label: "Step back through time", testid: "step", onMove }),
  };
  element.classList.add("bptt-widget");
  element.classList.toggle("present", Boolean(context.present));
  element.replaceChildren(
    el("div", { class: "scale-row" },
      el("label", {}, "W_hh = scale × a random rotation; scale ", ui.slider), ui.scaleText,
      el("span", { class: "muted", text: "below 1 gradients fade going back, above 1 they can grow" })),
    ui.status, ui.error, ui.diverged, ui.chainHeading, ui.chainBox,
    el("p", { class: "widget-note", text: "Every W_hh arrow is the same matrix, and every W_xh arrow too. "
      + "In each hₜ box: the size of the gradient that reached it, ‖∂C/∂hₜ‖ (darker is larger)." }),
    el("h3", { class: "widget-heading", text: "One shared weight's gradient, step by step" }),
    el("label", { class: "entry-pick" }, "Follow the entry ", ui.picker),
    ui.stepper.element, ui.sentence,
    el("div", { class: "bptt-steps" }, ui.contributionPlot, ui.table),
    el("h3", { class: "widget-heading", text: "Gradient size going back in time" }),
    ui.normPlot, ui.normSummary);
  return ui;
}

// The short run's numbers for the chosen entry at the stepper's position.
function view(run, stepper) {
  const [param, index] = run.chosen;
  const { short } = run;
  const contributions = short.step_contributions[param].map((step) => entryOf(step, index));
  const position = stepper.position;
  return { param, name: entryName(param, index), contributions, running: runningSums(contributions, position),
    total: entryOf(short.grads[param], index), position, steps: short.steps, loss: short.loss };
}

function paint(ui, run) {
  const v = view(run, ui.stepper);
  run.chain.paint(v.position === 0 ? 0 : v.steps - v.position + 1);
  ui.sentence.textContent = stepSentence(v);
  ui.table.replaceChildren(stepTable(v));
  plotContributions(ui.contributionPlot, { ...v, current: v.position, label: `∂C/∂${v.name}` });
}

function fillPicker(ui, run) {
  const all = entries(run.short.grads);
  const { chosen } = run;
  const keep = chosen && all.some(([p, i]) => p === chosen[0] && i.join() === chosen[1].join());
  if (!keep) run.chosen = largestEntry(run.short.grads);
  ui.picker.replaceChildren(...all.map(([param, index]) => el("option", { value: `${param}:${index.join(",")}`,
    text: entryName(param, index), selected: param === run.chosen[0] && index.join() === run.chosen[1].join() })));
}

function summarise(ui, { short, long }) {
  const line = (data, label) => `${label} (T = ${data.steps}): ‖∂C/∂h${data.steps}‖ = ${show(data.grad_norm_by_step.at(-1))}`
    + `, ‖∂C/∂h1‖ = ${show(data.grad_norm_by_step[0])}`;
  ui.normSummary.textContent = `${line(short, "Short")}. ${line(long, "Long")}.`;
  const over = [short, long].filter((d) => d.diverged).map((d) => `T = ${d.steps}`);
  ui.diverged.hidden = over.length === 0;
  ui.diverged.textContent = over.length ? `Diverged (${over.join(", ")}): some numbers overflowed and are shown as "overflow".` : "";
}

// Both sequences through POST /api/v1/rnn/bptt, then everything redrawn; a newer run wins.
async function rerun(ui, run, settings, context) {
  if (run.controller) run.controller.abort();
  const mine = new AbortController();
  run.controller = mine;
  ui.status.textContent = "Running backprop through time…";
  try {
    [run.short, run.long] = await Promise.all([
      context.api.post("/api/v1/rnn/bptt", request(settings, settings.steps), mine.signal),
      context.api.post("/api/v1/rnn/bptt", request(settings, settings.long), mine.signal)]);
    ui.error.hidden = true;
    run.chain = createChain(run.short);
    ui.chainHeading.textContent = `The network unrolled over ${run.short.steps} steps`;
    ui.chainBox.replaceChildren(run.chain.svg);
    fillPicker(ui, run);
    ui.stepper.reset(run.short.steps + 1, ui.stepper.position);
    paint(ui, run);
    summarise(ui, run);
    await plotNorms(ui.normPlot, run.short, run.long);
    ui.status.textContent = "";
  } catch (problem) {
    if (isAbort(problem)) return;
    ui.status.textContent = "";
    ui.error.textContent = problem.message;
    ui.error.hidden = false;
  }
}

// Options (strings): task ("mean" or "echo"), steps (the short sequence, stepped through), long
// (the long sequence, for the gradient norms), n_hidden, scale (W_hh = scale × a random rotation),
// seed, loss_at. The slider changes scale; both sequences are run again.
export function mount(element, options, context) {
  const settings = settingsFrom(options);
  const run = { short: null, long: null, chain: null, chosen: null, controller: null };
  const ui = buildUi(element, settings, context, () => paint(ui, run));
  let timer = null;
  ui.slider.addEventListener("input", () => {
    settings.scale = Number(ui.slider.value);
    ui.scaleText.textContent = settings.scale.toFixed(2);
    clearTimeout(timer);
    timer = setTimeout(() => rerun(ui, run, settings, context), DEBOUNCE_MS);
  });
  ui.picker.addEventListener("change", () => {
    const [param, index] = ui.picker.value.split(":");
    run.chosen = [param, index.split(",").map(Number)];
    paint(ui, run);
  });
  rerun(ui, run, settings, context);
}
