// The playground as a component: createPlayground(root, options) builds every panel inside
// `root`, keeps the data and the iteration trace in step with the state through the API, and
// touches nothing outside `root` but what the host hands it (a URL to keep in sync, an element
// whose keys step). It can be mounted more than once on a page: the playground page, a lesson
// and a notebook all mount it.

import { createApi } from "../core/api.js";
import { createStore } from "../core/store.js";
import { fromHash } from "../core/url-state.js";
import { mountCaptionStrip } from "../explain/caption-strip.js";
import { mountStagePanel } from "../explain/stage-panel.js";
import { mountInspector } from "../explain/inspector.js";
import { follow, step } from "../trace/stepper.js";
import { mountDiagram } from "../views/diagram.js";
import { MAP_MODES } from "../views/map-model.js";
import { EDGE_MODES } from "../views/neuron-model.js";
import { VIEWS } from "../views/registry.js";
import { mountCoarseSteps } from "./coarse-steps.js";
import { mountControls } from "./controls.js";
import { mountDataPanel } from "./data-panel.js";
import { mountDrawPad } from "./draw-pad.js";
import { mountExport } from "./export.js";
import { mountGradcheck } from "./gradcheck-panel.js";
import { bindKeys } from "./keys.js";
import { buildLayout, PARTS, showLayout } from "./layout.js";
import { checkLink } from "./link-check.js";
import { batchWindow, choosePoint } from "./stepping-batch.js";
import { createPlayback } from "./playback.js";
import { mountPlayer } from "./player.js";
import { mountPresentToggle } from "./present.js";
import { findPreset, mountPresets, presetPatch } from "./presets.js";
import { DEFAULTS, RUNTIME, iterationBody, steppingBatch } from "./state.js";
import { keepMapsCurrent } from "./maps-sync.js";
import { keepInSync } from "./sync.js";
import { keepTraceCurrent, resolveData } from "./trace-sync.js";
import { mountTraining } from "./training.js";

// The starting state from a hash (or an embed's options in the same form). A preset named
// without a network takes the place of the defaults; the other fields apply on top, each
// checked: what cannot be used falls back, with a sentence naming the field.
export async function startingState(hash, api, catalog) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  let base = DEFAULTS;
  const problems = [];
  if (params.has("preset") && !params.has("net")) {
    const preset = await findPreset(api, params.get("preset"));
    if (preset) base = { ...DEFAULTS, ...presetPatch(preset, DEFAULTS, catalog.limits) };
    else problems.push(`preset=${params.get("preset").slice(0, 40)}: there is no such preset; using the defaults`);
  }
  return readLink(hash, base, catalog, problems);
}

// The page's own lists a link's fields must come from.
const KNOWN = () => ({ views: VIEWS.map((view) => view.id), panels: PARTS, edges: EDGE_MODES.map(([mode]) => mode),
  maps: MAP_MODES.map(([mode]) => mode) });

// A hash read onto `base` and checked: {state, problems}.
export function readLink(hash, base, catalog, problems = []) {
  const read = fromHash(hash, base);
  const checked = checkLink(read.state, base, catalog, KNOWN(), new URLSearchParams(hash.replace(/^#/, "")));
  return { state: checked.state, problems: [...problems, ...read.problems, ...checked.problems] };
}

function createServices(store, options, catalog, formulas) {
  return Object.freeze({
    api: options.api,
    catalog,
    formulas,
    defaults: DEFAULTS,
    // Where a shared link opens: the playground page, wherever this one is mounted.
    linkBase: options.linkBase || new URL("/playground", document.baseURI).href,
    batch: (state) => steppingBatch(catalog, state),
    batchWindow: (state) => batchWindow(state, state.dataset ? state.dataset.inputs.length : 0),
    // Show point `index` of the data: its sample, in the batch that holds it.
    choosePoint(index) {
      const state = store.get();
      if (state.dataset) store.set(choosePoint(state, state.dataset.inputs.length, index));
    },
    iterationBody: (state, granularity) => iterationBody(catalog, state, granularity),
    dispatch(action) {
      const patch = step(store.get(), action);
      if (patch) store.set(patch);
    },
  });
}

function mountPanels(layout, store, services) {
  const playback = createPlayback(store, services.dispatch);
  mountPresets(layout.tools, store, services);
  const presentButton = mountPresentToggle(layout.tools, store);
  layout.settings.addEventListener("click", () => store.set({ settingsOpen: !store.get().settingsOpen }));
  mountControls(layout.panels.network, store, services);
  mountDataPanel(layout.panels.data, store, services);
  const diagram = mountDiagram(layout.panels.diagram, store, services);
  mountCaptionStrip(diagram.strip, store, services);
  mountStagePanel(layout.panels.stepping, store, services);
  const player = mountPlayer(layout.player, store, { ...services, setTiming: layout.setTiming }, playback);
  mountCoarseSteps(player, store, services);
  mountInspector(layout.panels.inspector, store, services);
  mountDrawPad(layout.panels.draw, store, services);
  mountTraining(layout.panels.train, store, services);
  mountGradcheck(layout.panels.gradcheck, store, services);
  mountExport(layout.panels.export, store, { ...services, diagramSvg: diagram.svg, diagramView: diagram.view,
    panels: layout.panelTitles, root: layout.root });
  return presentButton;
}

// Stepping follows the trace: the stage stays inside a new trace, and at the node level the
// stage follows the node event. A link that asks for node-by-node stepping at a stage but
// names no event starts at that stage's first node event.
function keepStepping(store, hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  let startAtStage = params.get("level") === "node" && !params.has("event");
  store.subscribe(["trace", "scalarTrace", "event", "level", "view"], (state, changed) => {
    if (changed.includes("trace") && state.trace && state.stage >= state.trace.stages.length) {
      store.set({ stage: state.trace.stages.length - 1 });
    }
    if (startAtStage && store.get().trace) {
      startAtStage = false;
      store.set(step(store.get(), { type: "level", level: "node" }));
      return;
    }
    const patch = follow(store.get());
    if (patch) store.set(patch);
  });
}

const linkNotice = (problems) => `Some of this link could not be used. ${problems.join(". ")}.`;

// options: {api, initial (a state hash, as a link carries it), sync (see sync.js), keys (the
// element whose key presses step; root by default), heading (a node for the top bar),
// formulas (preloaded), linkBase (where shared links open), actions (the host's own buttons for
// the top bar)}. Resolves once the first data are
// in, with {store, dispatch, services}.
export async function createPlayground(root, options = {}) {
  const api = options.api || createApi();
  const [catalog, formulas] = await Promise.all([api.catalog(), options.formulas || api.formulas()]);
  const hash = options.sync ? options.sync.read() : options.initial || "";
  const { state, problems } = await startingState(hash, api, catalog);
  const store = createStore({ ...state, ...RUNTIME });
  if (problems.length) store.set({ notice: linkNotice(problems) });
  const services = createServices(store, { ...options, api }, catalog, formulas);
  const layout = buildLayout(root, options.heading, !options.sync);
  const presentButton = mountPanels(layout, store, services);
  if (options.actions) layout.tools.append(...options.actions);
  store.subscribe(["hidden", "present", "error", "notice", "settingsOpen", "selection"],
    (current) => showLayout(layout, current));
  showLayout(layout, store.get());
  keepTraceCurrent(store, services);
  keepMapsCurrent(store, services);
  keepStepping(store, hash);
  if (options.sync) keepInSync(store, options.sync, (text) => readLink(text, DEFAULTS, catalog), linkNotice);
  if (options.keys !== false) bindKeys(options.keys || root, store, services.dispatch, presentButton);
  const stopWatching = store.subscribe(["trace"], (current) => {
    if (!current.trace) return;
    stopWatching();
    requestAnimationFrame(() => { root.dataset.drawn = "true"; });
  });
  await resolveData(store, api).catch((e) => store.set({ error: e.message }));
  root.dataset.ready = "true";
  return { store, dispatch: services.dispatch, services };
}
