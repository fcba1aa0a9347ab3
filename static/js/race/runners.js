// The optimisers in a race, its "runners": each is an optimiser as a request names it ({name,
// ...the hyperparameters that differ from the catalog's defaults}) with, when it has one, its own
// learning rate `lr`; a runner without one uses the race's. Each runner has its own rate because
// the optimisers' steps are on different scales: SGD's is η times the gradient, Adam's about η
// per weight whatever the gradient's size, so one η that suits SGD is often far too small or
// too large for Adam, and a race at one shared rate would mostly measure that mismatch.
// Pure: no DOM.

import { FIELDS } from "../core/url-state.js";
import { entryFor, optimizerProblem, withoutDefaults } from "../playground/optimizer-rules.js";

export const MIN_RUNNERS = 2;
export const MAX_RUNNERS = 4;
// SGD beside SGD with momentum beside Adam: the race issue #14 asks for first.
export const DEFAULT_RUNNERS = Object.freeze([{ name: "sgd" }, { name: "sgd", momentum: 0.9 },
  { name: "adam" }]);

// A runner as the playground's opt= field writes an optimiser ("adam,lr:0.05,betas:0.8/0.99"),
// runners separated by ";".
const OPTIMIZER = FIELDS.find((field) => field.key === "opt").codec;
export const runnersCodec = {
  write: (runners) => runners.map((runner) => OPTIMIZER.write(runner)).join(";"),
  read: (text) => text.split(";").filter((part) => part !== "").map((part) => OPTIMIZER.read(part)),
};

// The optimiser a request names for this runner (its rate goes in learning_rate).
export function optimizerOf(runner) {
  const { lr, ...optimizer } = runner;
  return optimizer;
}

export const rateOf = (runner, shared) => runner.lr ?? shared;

// A problem with one runner (null when it is fine).
export function runnerProblem(runner, catalog) {
  const most = catalog.limits.max_learning_rate;
  if (runner && runner.lr !== undefined
    && !(typeof runner.lr === "number" && runner.lr > 0 && runner.lr <= most)) {
    return `lr must be a number above 0 and at most ${most}`;
  }
  return optimizerProblem(runner && optimizerOf(runner), catalog);
}

// The runner with only what differs from the defaults (its own rate kept when it has one).
export function normalRunner(runner, catalog) {
  const optimizer = withoutDefaults(optimizerOf(runner), catalog);
  return runner.lr === undefined ? optimizer : { name: optimizer.name, lr: runner.lr, ...optimizer };
}

export const sameRunner = (a, b) => runnersCodec.write([a]) === runnersCodec.write([b]);

const written = (value) => (Array.isArray(value) ? value.join("/") : String(value));

// How a runner is named on screen: the catalog's label, each hyperparameter that differs from
// its default, and its rate: "Adam, β 0.8/0.99, η 0.1".
export function runnerLabel(runner, catalog, shared) {
  const entry = entryFor(catalog, runner.name);
  const settings = entry.hyperparameters.filter((spec) => runner[spec.name] !== undefined
    && JSON.stringify(runner[spec.name]) !== JSON.stringify(spec.default))
    .map((spec) => (spec.kind === "flag" ? spec.label : `${spec.label} ${written(runner[spec.name])}`));
  return [entry.label, ...settings, `η ${rateOf(runner, shared)}`].join(", ");
}

// The runners a link asked for, each checked: what cannot be used is left out with a sentence
// naming it; fewer than MIN_RUNNERS left (or none asked for) gives the defaults.
export function checkRunners(runners, catalog) {
  const problems = [];
  const kept = [];
  for (const runner of runners) {
    const problem = runnerProblem(runner, catalog);
    if (problem) problems.push(`opts: ${runner && runner.name} left out (${problem})`);
    else if (kept.length < MAX_RUNNERS) kept.push(normalRunner(runner, catalog));
    else problems.push(`opts: at most ${MAX_RUNNERS} optimisers race; ${runner.name} left out`);
  }
  if (kept.length >= MIN_RUNNERS) return { runners: kept, problems };
  if (runners.length) problems.push(`opts: a race needs at least ${MIN_RUNNERS} optimisers; using the default three`);
  return { runners: DEFAULT_RUNNERS.map((runner) => ({ ...runner })), problems };
}
