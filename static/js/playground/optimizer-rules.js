// The optimisers' rules as the catalog states them: which hyperparameters each takes, of what
// kind and within what bounds, which state buffers it keeps (and when), and the one rule across
// hyperparameters (Nesterov momentum needs momentum and no dampening). The settings, links and
// model files all check an optimiser here before a request carries it. Pure: no DOM.

import { checkParams } from "./network-rules.js";

export const entryFor = (catalog, name) => catalog.optimizers.find((entry) => entry.name === name);

const bound = (spec) => `${spec.exclusive_min ? "(" : "["}${spec.min}, ${spec.max}${spec.exclusive_max ? ")" : "]"}`;

function inBounds(spec, value) {
  return typeof value === "number" && Number.isFinite(value)
    && (spec.exclusive_min ? value > spec.min : value >= spec.min)
    && (spec.exclusive_max ? value < spec.max : value <= spec.max);
}

// A problem with one hyperparameter's value (null when it is fine).
export function hyperparameterProblem(spec, value) {
  if (spec.kind === "flag") return typeof value === "boolean" ? null : `${spec.name} must be true or false`;
  if (spec.kind === "pair") {
    return Array.isArray(value) && value.length === 2 && value.every((v) => inBounds(spec, v)) ? null
      : `${spec.name} must be two numbers in ${bound(spec)}`;
  }
  return inBounds(spec, value) ? null : `${spec.name} must be a number in ${bound(spec)}`;
}

// Every hyperparameter with its value: the optimiser's own, or the catalog's default.
export function settingsOf(optimizer, catalog) {
  const entry = entryFor(catalog, optimizer.name);
  return Object.fromEntries(entry.hyperparameters.map((spec) => [spec.name, optimizer[spec.name] ?? spec.default]));
}

// A problem with a whole optimiser (null when it is fine).
export function optimizerProblem(optimizer, catalog) {
  if (!optimizer || typeof optimizer !== "object") return "must be an optimiser";
  const entry = entryFor(catalog, optimizer.name);
  if (!entry) return `"${optimizer.name}" is not one of ${catalog.optimizers.map((o) => o.name).join(", ")}`;
  for (const [key, value] of Object.entries(optimizer)) {
    if (key === "name") continue;
    const spec = entry.hyperparameters.find((h) => h.name === key);
    if (!spec) return `${entry.name} takes no ${key} (it takes ${entry.hyperparameters.map((h) => h.name).join(", ")})`;
    const problem = hyperparameterProblem(spec, value);
    if (problem) return problem;
  }
  const settings = settingsOf(optimizer, catalog);
  if (settings.nesterov && (!(settings.momentum > 0) || settings.dampening !== 0)) {
    return "Nesterov momentum needs momentum above 0 and no dampening";
  }
  return null;
}

// The optimiser with only the hyperparameters that differ from the defaults (links stay short).
export function withoutDefaults(optimizer, catalog) {
  const entry = entryFor(catalog, optimizer.name);
  const kept = entry.hyperparameters.filter((spec) => optimizer[spec.name] !== undefined
    && JSON.stringify(optimizer[spec.name]) !== JSON.stringify(spec.default));
  return Object.fromEntries([["name", optimizer.name], ...kept.map((spec) => [spec.name, optimizer[spec.name]])]);
}

// The buffers an optimiser with these settings keeps (a buffer's `when` names the setting that
// brings it).
export function buffersOf(optimizer, catalog) {
  const settings = settingsOf(optimizer, catalog);
  return entryFor(catalog, optimizer.name).state.filter((buffer) => !buffer.when || settings[buffer.when]);
}

// A problem with an optimiser's state for a network of `sizes` (null when it is fine).
export function stateProblem(state, optimizer, catalog, sizes) {
  if (!state || typeof state !== "object") return "must be the state an earlier update left";
  const { step, ...buffers } = state;
  const most = catalog.limits.max_optimizer_step;
  if (!Number.isInteger(step) || step < 0 || step > most) return `step must be a whole number from 0 to ${most}`;
  const wanted = buffersOf(optimizer, catalog).map((buffer) => buffer.name);
  const names = Object.keys(buffers);
  if (names.length !== wanted.length || !wanted.every((name) => names.includes(name))) {
    return `${optimizer.name} with these settings keeps ${wanted.join(", ") || "no buffers"}`;
  }
  for (const name of wanted) {
    try {
      checkParams(buffers[name], sizes);
    } catch (error) {
      return `${name}: ${error.message.replace(/^params\./, "")}`;
    }
  }
  return null;
}
