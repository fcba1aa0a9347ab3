// A link's state checked field by field before anything uses it: a value the playground cannot
// use (an unknown loss, a size past the limits, parameters of the wrong shape) falls back to its
// default, and a sentence names the link's field, what was wrong and what is used instead, so a
// damaged or hand-edited link still opens. The lists and limits are the catalog's; `known`
// holds the page's own lists ({views, panels, edges}). Pure: no DOM.

import { checkNetwork, checkParams, checkSizes, names } from "./network-rules.js";
import { optimizerProblem, stateProblem, withoutDefaults } from "./optimizer-rules.js";
import { fitNetwork } from "./network-fit.js";
import { padProblem } from "./pad-model.js";
import { FIELDS, getPath as get, setPath as put } from "../core/url-state.js";

const isWhole = (v, low, high) => Number.isInteger(v) && v >= low && v <= high;
const oneOf = (allowed) => (v) => (allowed.includes(v) ? null : `is not one of ${allowed.join(", ")}`);
const whole = (low, high) => (v) => (isWhole(v, low, high) ? null : `must be a whole number from ${low} to ${high}`);
const within = (low, high, open = false) => (v) => (typeof v === "number" && (open ? v > low : v >= low) && v <= high
  ? null : `must be a number ${open ? "above" : "from"} ${low} ${open ? "and at most" : "to"} ${high}`);

function checkPoints(points, limits) {
  if (points === null) return null;
  const rows = points && points.inputs;
  const ok = rows && Array.isArray(rows) && Array.isArray(points.targets) && rows.length === points.targets.length
    && rows.length >= 1 && rows.length <= limits.max_samples
    && [...rows, ...points.targets].every((row) => Array.isArray(row) && row.length >= 1
      && row.every((x) => typeof x === "number" && Number.isFinite(x)));
  return ok ? null : `must be up to ${limits.max_samples} points, each with inputs and targets of finite numbers`;
}

// key → [state path, check(value) → a problem or null, and what to use instead (the default if
// not said)]. The network's fields come first: the checks of the parameters depend on them.
function rules(catalog, known) {
  const { limits } = catalog;
  return [
    ["net", ["network", "layer_sizes"], (v) => tryCheck(() => checkSizes(v, limits))],
    ["loss", ["network", "loss"], oneOf(names(catalog.losses))],
    ["init", ["init"], oneOf(names(catalog.init_schemes))],
    ["seed", ["seed"], whole(0, limits.max_seed)],
    ["data", ["data", "name"], oneOf(names(catalog.datasets))],
    ["n", ["data", "samples"], whole(limits.min_samples, limits.max_samples)],
    ["noise", ["data", "noise"], within(0, limits.max_noise)],
    ["dseed", ["data", "seed"], whole(0, limits.max_seed)],
    ["points", ["points"], (v) => checkPoints(v, limits)],
    ["lr", ["learningRate"], within(0, limits.max_learning_rate, true)],
    ["opt", ["optimizer"], (v) => (v === null ? null : optimizerProblem(v, catalog))],
    ["l2", ["l2"], within(0, limits.max_weight_decay)],
    ["batch", ["batchSize"], whole(1, limits.max_batch)],
    ["order", ["updateOrder"], oneOf(names(catalog.update_orders))],
    ["view", ["view"], oneOf(known.views)],
    ["edges", ["edges"], oneOf(known.edges)],
    ["level", ["level"], oneOf(["stage", "node"])],
    ["stage", ["stage"], whole(0, 1000)],
    ["event", ["event"], whole(0, 1e6)],
    ["sample", ["sample"], whole(0, limits.max_samples)],
    ["pad", ["pad"], (v) => (v === null ? null : padProblem(v, limits.max_inputs))],
    ["padlabel", ["padLabel"], whole(0, limits.max_neurons - 1)],
    ["hide", ["hidden"], (v) => (v.every((name) => known.panels.includes(name)) ? null
      : `names a part the playground does not have (it has ${known.panels.join(", ")})`),
    (v) => v.filter((name) => known.panels.includes(name))],
  ];
}

function tryCheck(check) {
  try {
    check();
    return null;
  } catch (error) {
    return error.message.replace(/^[^:]*: /, "");
  }
}

// How a message names a field: key=value as the link has it (unless long), the value used
// instead as a link would write it.
const asWritten = (key, value) => {
  const field = FIELDS.find((f) => f.key === key);
  const written = value === null || value === undefined ? "" : field.codec.write(value);
  return written || "none";
};
const named = (key, link) => {
  const raw = link.get(key);
  return raw !== null && raw.length <= 40 ? `${key}=${raw}` : key;
};

// The activations: one per layer, each known (the output may mix its layer, hidden ones may not).
function checkActivations(state, defaults, catalog, link) {
  const { activations, layer_sizes: sizes } = state.network;
  const problem = tryCheck(() => checkNetwork({ ...state.network, loss: catalog.losses[0].name }, catalog));
  if (!problem || !(link.has("act") || link.has("net"))) return { state, problems: [] };
  const [hidden, output] = [defaults.network.activations[0], defaults.network.activations.at(-1)];
  const fallback = sizes.slice(1).map((_, i) => (i === sizes.length - 2 ? output : hidden));
  return { state: put(state, ["network", "activations"], fallback),
    problems: [`act=${activations.join(",")}: ${problem}; using ${fallback.join(",")}`] };
}

// The parameters: they must have the network's shape, or the network starts from its seed.
function checkLinkParams(state) {
  if (!state.params) return { state, problems: [] };
  const problem = tryCheck(() => checkParams(state.params, state.network.layer_sizes));
  if (!problem) return { state, problems: [] };
  return { state: { ...state, params: null },
    problems: [`params: ${problem}; using the parameters its seed draws`] };
}

// The optimiser's state: it must be what this optimiser keeps for this network, or it starts
// afresh.
function checkLinkState(state, catalog) {
  if (!state.optimizerState) return { state, problems: [] };
  const problem = state.optimizer
    ? stateProblem(state.optimizerState, state.optimizer, catalog, state.network.layer_sizes)
    : "belongs to no optimiser (opt= is not set)";
  if (!problem) return { state, problems: [] };
  return { state: { ...state, optimizerState: null }, problems: [`ostate: ${problem}; the optimiser starts afresh`] };
}

// The state with every field the link set checked; `link` holds the link's fields (a
// URLSearchParams). Returns {state, problems}.
export function checkLink(state, defaults, catalog, known, link) {
  let checked = state;
  const problems = [];
  for (const [key, path, check, instead] of rules(catalog, known)) {
    const value = get(checked, path);
    const problem = link.has(key) && value !== undefined ? check(value) : null;
    if (!problem) continue;
    const fallback = instead ? instead(value) : get(defaults, path);
    checked = put(checked, path, fallback);
    problems.push(`${named(key, link)}: ${problem}; using ${asWritten(key, fallback)}`);
  }
  const activations = checkActivations(checked, defaults, catalog, link);
  const fitted = fitNetwork(catalog, activations.state.network, null);
  checked = { ...activations.state, network: fitted.network };
  if (checked.optimizer) checked = { ...checked, optimizer: withoutDefaults(checked.optimizer, catalog) };
  const params = checkLinkParams(checked);
  const optimizerState = checkLinkState(params.state, catalog);
  return { state: optimizerState.state,
    problems: [...problems, ...activations.problems, ...fitted.notes, ...params.problems, ...optimizerState.problems] };
}
