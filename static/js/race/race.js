// The optimiser race as a component: createRace(root, options) builds it inside `root` and
// touches nothing outside it but the URL its host hands it, so the race page and the lesson
// widget both mount it. The same network, starting weights and data are trained side by side by
// two to four optimisers (run.js), the costs drawn on one plot and the paths of two parameters
// over the loss surface (surface-sync.js), live; the setup is a link (link.js).

import { createApi } from "../core/api.js";
import { el } from "../core/dom.js";
import { setOptions } from "../core/fields.js";
import { createStore } from "../core/store.js";
import { toHash } from "../core/url-state.js";
import { targetsFor } from "../playground/network-fit.js";
import { DEFAULTS } from "../playground/state.js";
import { whenPlotly } from "../views/plots.js";
import { buildRaceLayout } from "./layout.js";
import { raceHash, readRaceLink, SHARED_STATE } from "./link.js";
import { parameterList, parameterNamed } from "./parameters.js";
import { drawCurves, drawSurface, runnerColour } from "./plots.js";
import { renderRunnerCards } from "./runner-cards.js";
import { runnerLabel } from "./runners.js";
import { createRun } from "./run.js";
import { keepSurface } from "./surface-sync.js";
import { createTrack } from "./tracks.js";
import { resultText, statusText, surfaceCaption } from "./words.js";

// Changing any of these sets the race up again; "iterations" only changes how far a run goes.
const SETUP = [...SHARED_STATE, "runners", "pair"];
const RUNTIME = Object.freeze({
  race: null, // {network, start, dataset, seed, learningRate, l2}: what every runner shares
  pairEntries: [], // the two followed parameters (parameters.js entries)
  tracks: [], // one per runner (tracks.js)
  goal: 0, // the iteration the current run goes to
  status: "idle",
  detail: "", // the error that stopped a run
  progress: 0, // counts chunks absorbed, so painters hear of them
  start: null, // the followed parameters' starting values
  window: null, // the part of their plane the surface covers
  surface: null, // POST /api/v1/loss-surface's answer
  surfaceProblem: null,
});
const CURVES_EVERY = 250; // ms between redraws of the curves while a race runs
const SURFACE_EVERY = 500; // ms between redraws of the surface while a race runs

// What every runner shares: the data in the network's shape, and the starting parameters (drawn
// from the seed by the engine when the link gives none).
async function resolveRace(state, api, catalog) {
  const { name, samples, noise, seed } = state.data;
  const data = state.points || await api.dataset(name, { samples, noise, seed });
  const start = state.params
    || (await api.network({ network: state.network, seed: state.seed, init: state.init })).params;
  return { network: state.network, start, seed: state.seed, learningRate: state.learningRate, l2: state.l2,
    dataset: { inputs: data.inputs, targets: targetsFor(catalog, state.network, data.targets) } };
}

async function setUp(store, services) {
  services.run.stop();
  const state = store.get();
  const tracks = state.runners.map(createTrack);
  const pairEntries = state.pair.map((name) => parameterNamed(state.network.layer_sizes, name));
  store.set({ race: null, tracks, pairEntries, goal: state.iterations, status: "idle", detail: "" });
  let race;
  try {
    race = await resolveRace(state, services.api, services.catalog);
  } catch (error) {
    if (store.get().tracks === tracks) store.set({ status: "error", detail: error.message });
    return;
  }
  if (store.get().tracks !== tracks) return; // set up again meanwhile
  store.set({ race });
  services.surface.reset();
}

function renderResults(ui, state, catalog) {
  const items = state.runners.map((runner, i) => {
    const track = state.tracks[i];
    const swatch = el("span", { class: "race-swatch", "aria-hidden": "true" });
    swatch.style.background = runnerColour(i);
    const cost = track && track.cost.length ? track.cost[track.cost.length - 1] : null;
    return el("li", { "data-testid": "race-result", "data-diverged": String(Boolean(track && track.diverged)),
      "data-cost": cost === null ? "" : String(cost), "data-iteration": String(track ? track.iteration : 0) },
    swatch, el("span", {}, el("strong", { text: `${runnerLabel(runner, catalog, state.learningRate)}: ` }),
      el("span", { class: "race-result", text: track ? resultText(track) : "" })));
  });
  ui.results.replaceChildren(...items);
}

function renderText(ui, state, catalog) {
  ui.status.textContent = statusText(state.status, state, state.detail);
  ui.status.dataset.state = state.status;
  ui.start.disabled = state.status === "running" || !state.race
    || (state.tracks.length > 0 && state.tracks.every((track) => track.diverged));
  ui.pause.disabled = state.status !== "running";
  renderResults(ui, state, catalog);
  const count = parameterList(state.network.layer_sizes).length;
  const labels = state.runners.map((runner) => runnerLabel(runner, catalog, state.learningRate));
  ui.caption.textContent = state.surfaceProblem ? `The loss surface could not be drawn: ${state.surfaceProblem}`
    : state.pairEntries.length ? surfaceCaption(state.pairEntries, count, state.tracks, labels) : "";
}

// Redraws at most once a frame; while a race runs, each plot at most every so often (a Plotly
// update costs tens of milliseconds, a contour plot more).
function createPainter(ui, store, catalog) {
  let frame = null;
  const at = { curves: -Infinity, surface: -Infinity };
  const paint = () => {
    frame = null;
    const state = store.get();
    renderText(ui, state, catalog);
    const now = performance.now();
    const running = state.status === "running";
    const curves = !running || now - at.curves >= CURVES_EVERY;
    const surface = state.window && (!running || now - at.surface >= SURFACE_EVERY);
    if (curves) at.curves = now;
    if (surface) at.surface = now;
    const labels = state.runners.map((runner) => runnerLabel(runner, catalog, state.learningRate));
    whenPlotly().then((Plotly) => Promise.all([
      curves ? drawCurves(Plotly, ui.curves.plot, state.tracks, labels) : null,
      surface ? drawSurface(Plotly, ui.surface.plot, state.tracks, labels, { surface: state.surface,
        window: state.window, start: state.start, symbols: state.pairEntries.map((p) => p.symbol) }) : null,
    ])).catch((error) => store.set({ status: "error", detail: error.message }));
  };
  return () => { frame = frame || requestAnimationFrame(paint); };
}

// The two selects of the followed parameters; choosing the other one's swaps them.
function bindPair(ui, store) {
  const show = (state) => {
    const choices = parameterList(state.network.layer_sizes).map((p) => [p.name, `${p.symbol} (${p.name})`]);
    setOptions(ui.pair.x, choices, state.pair[0]);
    setOptions(ui.pair.y, choices, state.pair[1]);
  };
  const choose = (axis, name) => {
    const pair = [...store.get().pair];
    const other = 1 - axis;
    if (pair[other] === name) pair[other] = pair[axis];
    pair[axis] = name;
    store.set({ pair });
  };
  ui.pair.x.addEventListener("change", () => choose(0, ui.pair.x.value));
  ui.pair.y.addEventListener("change", () => choose(1, ui.pair.y.value));
  store.subscribe(["network", "pair"], show);
  show(store.get());
}

function renderLinks(ui, state, options) {
  const playground = toHash(Object.fromEntries(SHARED_STATE.map((key) => [key, state[key]])), DEFAULTS);
  // In a lesson both links open a new tab, so the lesson stays where it is.
  const links = [el("a", { href: `/playground#${playground}`, "data-testid": "race-playground-link",
    target: options.sync ? null : "_blank", text: "Change the network or the data in the playground" })];
  if (!options.sync) {
    links.push(" · ", el("a", { href: `/race#${raceHash(state)}`, target: "_blank", "data-testid": "race-page-link",
      text: "Open this race on its own page" }));
  }
  ui.links.replaceChildren(...links);
}

function bindControls(ui, store, services, repaint) {
  ui.start.addEventListener("click", services.run.start);
  ui.pause.addEventListener("click", services.run.pause);
  ui.reset.addEventListener("click", () => setUp(store, services));
  const cards = (state) => renderRunnerCards(ui.cards, { catalog: services.catalog, shared: state.learningRate,
    runners: state.runners, onChange: (runners) => store.set({ runners }) });
  store.subscribe(["runners", "learningRate"], cards);
  cards(store.get());
  store.subscribe(SETUP, () => setUp(store, services));
  store.subscribe(["iterations"], (state) => {
    if (state.tracks.every((track) => track.chunks === 0)) store.set({ goal: state.iterations });
    repaint();
  });
  store.subscribe(["race", "tracks", "progress", "status", "surface", "window", "surfaceProblem", "goal"], repaint);
}

// Keep the host's URL (the race page's hash) and the setup in step, both ways; `say(problems)`
// names what an edited link could not use.
function keepLink(store, sync, read, say) {
  let pending = null;
  store.subscribe([...SETUP, "iterations"], (state) => {
    clearTimeout(pending);
    pending = setTimeout(() => sync.write(raceHash(state)), 100);
  });
  sync.listen((hash) => {
    if (hash === null) return;
    const { state, problems } = read(hash);
    say(problems);
    const current = store.get();
    store.set(Object.fromEntries(Object.entries(state)
      .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key]))));
  });
}

// options: {api, initial (a race link's hash, as a widget's options give it), sync (the page's
// URL: {read, write, listen}, see pages/hash-sync.js)}. Resolves once the race is set up, with
// {store, run}.
export async function createRace(root, options = {}) {
  const api = options.api || createApi();
  const [catalog, presets] = await Promise.all([api.catalog(), api.presets()]);
  const read = (hash) => readRaceLink(hash, catalog, presets);
  const { state, problems } = read(options.sync ? options.sync.read() : options.initial || "");
  const store = createStore({ ...state, ...RUNTIME });
  const ui = buildRaceLayout(root, { value: state.iterations, max: catalog.limits.max_iterations,
    onCommit: (iterations) => store.set({ iterations }) });
  const say = (found) => {
    ui.notice.textContent = found.length ? `Some of this link could not be used. ${found.join(". ")}.` : "";
    ui.notice.hidden = !found.length;
  };
  say(problems);
  const repaint = createPainter(ui, store, catalog);
  const surface = keepSurface(store, api);
  const report = (status, detail = "") => { store.set({ status, detail }); surface.check(); };
  const run = createRun({ api, catalog, store, report,
    progress: () => { store.set({ progress: store.get().progress + 1 }); surface.check(); } });
  const services = { api, catalog, run, surface };
  bindControls(ui, store, services, repaint);
  bindPair(ui, store);
  store.subscribe([...SETUP, "iterations"], (current) => renderLinks(ui, current, options));
  renderLinks(ui, store.get(), options);
  if (options.sync) keepLink(store, options.sync, read, say);
  await setUp(store, services);
  root.dataset.ready = "true";
  return { store, run };
}
