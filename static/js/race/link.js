// The race's link. What a race shares with the playground (the network, its seed and starting
// parameters, the data, the learning rate, the L2 penalty, a preset) is in the playground's own
// fields, read and checked by the playground's table and rules; three fields are the race's:
//   opts=sgd;sgd,momentum:0.9;adam,lr:0.05   the runners (see runners.js), separated by ";"
//   pair=w1_11;b1_1                          the two parameters whose paths are drawn
//   its=200                                  the iterations a run goes to
// A link with neither net= nor preset= opens the "line" preset: a network with exactly two
// parameters, whose loss surface is its whole cost. Pure: no DOM.

import { FIELDS, fromHash, getPath, toHash } from "../core/url-state.js";
import { checkLink } from "../playground/link-check.js";
import { presetPatch } from "../playground/presets.js";
import { DEFAULTS } from "../playground/state.js";
import { defaultPair, parameterNamed } from "./parameters.js";
import { checkRunners, DEFAULT_RUNNERS, normalRunner, runnersCodec, sameRunner } from "./runners.js";

export const DEFAULT_PRESET = "line";
export const DEFAULT_ITERATIONS = 200;
const SHARED_KEYS = ["net", "act", "loss", "init", "seed", "params", "data", "n", "noise", "dseed",
  "points", "lr", "l2", "preset"];
// The state keys those fields set: network, init, seed, params, data, points, learningRate, ...
export const SHARED_STATE = [...new Set(FIELDS.filter((f) => SHARED_KEYS.includes(f.key))
  .map((f) => f.path[0]))];
// What a race link leaves out when it is so: the rest is always written, so that a link says
// which network it means whatever a page's defaults are.
const LEFT_OUT = { init: "auto", l2: 0 };

const shared = (state) => Object.fromEntries(SHARED_STATE.map((key) => [key, state[key]]));

// The pair a link names, checked against the network (the first two entries if not usable).
function readPair(text, sizes) {
  const fallback = defaultPair(sizes);
  if (text === null) return { pair: fallback, problems: [] };
  const names = text.split(";");
  const known = names.every((name) => parameterNamed(sizes, name));
  if (names.length === 2 && known && names[0] !== names[1]) return { pair: names, problems: [] };
  return { pair: fallback, problems: [`pair=${text.slice(0, 40)}: must name two different `
    + `parameters of this network (such as ${fallback.join(";")}); using ${fallback.join(";")}`] };
}

function readIterations(text, most) {
  if (text === null) return { iterations: DEFAULT_ITERATIONS, problems: [] };
  const value = Number(text);
  if (Number.isInteger(value) && value >= 1 && value <= most) return { iterations: value, problems: [] };
  return { iterations: DEFAULT_ITERATIONS, problems: [`its=${text.slice(0, 40)}: must be a whole `
    + `number from 1 to ${most}; using ${DEFAULT_ITERATIONS}`] };
}

function readRunners(text, catalog) {
  if (text === null) return checkRunners([], catalog);
  try {
    return checkRunners(runnersCodec.read(text), catalog);
  } catch (error) {
    const checked = checkRunners([], catalog);
    return { ...checked, problems: [`opts: cannot be read (${error.message}); using the default three`] };
  }
}

// The base a link's shared fields apply on: a preset's when it names one without a network.
function baseFor(link, catalog, presets) {
  const name = link.get("preset") ?? (link.has("net") ? null : DEFAULT_PRESET);
  if (!name || link.has("net")) return { base: DEFAULTS, problems: [] };
  const preset = presets.find((p) => p.name === name);
  if (preset) return { base: { ...DEFAULTS, ...presetPatch(preset, DEFAULTS, catalog.limits) }, problems: [] };
  return { base: DEFAULTS, problems: [`preset=${name.slice(0, 40)}: there is no such preset; using the defaults`] };
}

// A race link (a URL hash) as {state, problems}: the shared fields, opts, pair and its, each
// checked; what cannot be used falls back with a sentence naming the field.
export function readRaceLink(hash, catalog, presets) {
  const all = new URLSearchParams(hash.replace(/^#/, ""));
  const link = new URLSearchParams([...all].filter(([key]) => SHARED_KEYS.includes(key)));
  const { base, problems } = baseFor(link, catalog, presets);
  const read = fromHash(link.toString(), base);
  const none = { views: [], panels: [], edges: [] }; // the race has no views, panels or edges
  const checked = checkLink(read.state, base, catalog, none, link);
  const runners = readRunners(all.get("opts"), catalog);
  const pair = readPair(all.get("pair"), checked.state.network.layer_sizes);
  const iterations = readIterations(all.get("its"), catalog.limits.max_iterations);
  return {
    state: { ...shared(checked.state), runners: runners.runners, pair: pair.pair, iterations: iterations.iterations },
    problems: [...problems, ...read.problems, ...checked.problems, ...runners.problems, ...pair.problems,
      ...iterations.problems],
  };
}

// The hash of a race's state: the shared fields, then the race's own where they differ from
// their defaults.
export function raceHash(state) {
  const params = new URLSearchParams(toHash(shared(state), LEFT_OUT));
  const sameAsDefault = state.runners.length === DEFAULT_RUNNERS.length
    && state.runners.every((runner, i) => sameRunner(runner, DEFAULT_RUNNERS[i]));
  if (!sameAsDefault) params.set("opts", runnersCodec.write(state.runners));
  const sizes = getPath(state, ["network", "layer_sizes"]);
  if (state.pair && state.pair.join(";") !== defaultPair(sizes).join(";")) params.set("pair", state.pair.join(";"));
  if (state.iterations !== DEFAULT_ITERATIONS) params.set("its", String(state.iterations));
  return params.toString();
}

// The race a playground's state leads to: its network, starting parameters, data, learning rate
// and L2 penalty; its optimiser (plain SGD when it has none) first, then the default runners
// that differ from it, three in all.
export function raceHashFrom(state, catalog) {
  const own = state.optimizer ? normalRunner(state.optimizer, catalog) : { name: "sgd" };
  const runners = [own, ...DEFAULT_RUNNERS.filter((runner) => !sameRunner(runner, own))].slice(0, 3);
  return raceHash({ ...state, runners, pair: null, iterations: DEFAULT_ITERATIONS });
}
