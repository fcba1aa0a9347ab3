// A card per runner: its optimiser, its own learning rate and the catalog's hyperparameters for
// that optimiser (numbers, pairs such as Adam's betas, and flags), a Remove button, and a button
// to add a runner. A change that the optimiser's rules accept replaces the runner; one they
// refuse is named on the card and changes nothing.

import { options } from "../core/catalog.js";
import { el } from "../core/dom.js";
import { numberField, selectField } from "../core/fields.js";
import { entryFor, settingsOf } from "../playground/optimizer-rules.js";
import { runnerColour } from "./plots.js";
import { DEFAULT_RUNNERS, MAX_RUNNERS, MIN_RUNNERS, normalRunner, rateOf, runnerProblem } from "./runners.js";

// The field for one hyperparameter; `set(value)` proposes the runner's new value.
function hyperparameterField(spec, value, set) {
  if (spec.kind === "flag") {
    const box = el("input", { type: "checkbox", checked: value || null, "data-hyperparameter": spec.name });
    box.addEventListener("change", () => set(box.checked));
    return el("label", { class: "checkbox" }, box, ` ${spec.label}`);
  }
  const bounds = { min: spec.min, max: spec.max };
  if (spec.kind === "pair") {
    const pair = [...value];
    const parts = [0, 1].map((i) => numberField({ label: `${spec.label} (${i ? "second" : "first"})`,
      value: value[i], ...bounds, testid: `${spec.name}-${i}`, onCommit: (v) => { pair[i] = v; set([...pair]); } }));
    return el("div", { class: "race-pair" }, ...parts.map((part) => part.element));
  }
  return numberField({ label: spec.label, value, ...bounds, testid: spec.name, onCommit: set }).element;
}

function card(runner, i, context) {
  const { catalog, shared, runners, onChange } = context;
  const problem = el("p", { class: "field-error", role: "alert", hidden: true });
  const propose = (next) => {
    const found = runnerProblem(next, catalog);
    problem.textContent = found ? `Not changed: ${found}.` : "";
    problem.hidden = !found;
    if (!found) onChange(runners.map((r, n) => (n === i ? normalRunner(next, catalog) : r)));
  };
  const settings = settingsOf(runner, catalog);
  const kind = selectField({ label: "Optimiser", options: options(catalog, "optimizers"), value: runner.name,
    testid: "race-optimizer", onChange: (name) => propose({ name, ...(runner.lr === undefined ? {} : { lr: runner.lr }) }) });
  const rate = numberField({ label: "Learning rate η", value: rateOf(runner, shared), above: 0,
    max: catalog.limits.max_learning_rate, testid: "race-lr", onCommit: (lr) => propose({ ...runner, lr }) });
  const fields = entryFor(catalog, runner.name).hyperparameters.map((spec) => hyperparameterField(spec,
    settings[spec.name], (value) => propose({ ...runner, [spec.name]: value })));
  const remove = el("button", { type: "button", class: "race-remove", text: "Remove",
    disabled: runners.length <= MIN_RUNNERS || null, "aria-label": `Remove optimiser ${i + 1}` });
  remove.addEventListener("click", () => onChange(runners.filter((_, n) => n !== i)));
  const swatch = el("span", { class: "race-swatch", "aria-hidden": "true" });
  swatch.style.background = runnerColour(i);
  return el("section", { class: "race-card", "data-testid": "race-card", "aria-label": `Optimiser ${i + 1}` },
    el("header", {}, swatch, el("h3", { text: `Optimiser ${i + 1}` }), remove),
    el("div", { class: "race-card-fields" }, kind.element, rate.element, ...fields), problem);
}

// The cards for `context.runners` and an "Add an optimiser" button, in `container`.
export function renderRunnerCards(container, context) {
  const { runners, onChange } = context;
  const add = el("button", { type: "button", class: "race-add", text: "Add an optimiser",
    "data-testid": "race-add", disabled: runners.length >= MAX_RUNNERS || null });
  add.addEventListener("click", () => {
    const unused = DEFAULT_RUNNERS.find((d) => !runners.some((r) => JSON.stringify(r) === JSON.stringify(d)));
    onChange([...runners, { ...(unused || { name: "rmsprop" }) }]);
  });
  container.replaceChildren(...runners.map((runner, i) => card(runner, i, context)), add);
}
