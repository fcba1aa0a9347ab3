// The update's settings in the drawer: the optimiser (plain gradient descent unless another is
// chosen), its hyperparameters as the catalog lists them (kind, default, bounds), the L2
// penalty's λ, and the optimiser's state (how many steps it has taken, with a button that starts
// it afresh). Only hyperparameters that differ from their defaults are kept, so links stay short.

import { el } from "../core/dom.js";
import { numberField, selectField } from "../core/fields.js";
import { entryFor, optimizerProblem, settingsOf, withoutDefaults } from "./optimizer-rules.js";

// The store's optimiser for a name and settings: null for gradient descent at its defaults.
function chosen(catalog, name, settings) {
  const optimizer = withoutDefaults({ name, ...settings }, catalog);
  return name === "sgd" && Object.keys(optimizer).length === 1 ? null : optimizer;
}

function numberInput(spec, value, onValue, label = spec.label) {
  const field = numberField({ label, value, min: spec.exclusive_min ? undefined : spec.min,
    above: spec.exclusive_min ? spec.min : undefined, max: spec.exclusive_max ? undefined : spec.max,
    below: spec.exclusive_max ? spec.max : undefined, testid: `opt-${spec.name}`, onCommit: onValue });
  return field.element;
}

// One field per hyperparameter; `change(name, value)` on a valid edit, `current(name)` the value
// in the store now (a pair's other half).
function hyperparameterFields(spec, value, change, current) {
  if (spec.kind === "flag") {
    const box = el("input", { type: "checkbox", "data-testid": `opt-${spec.name}` });
    box.checked = Boolean(value);
    box.addEventListener("change", () => change(spec.name, box.checked));
    return el("label", { class: "field check" }, box, ` ${spec.label}`);
  }
  if (spec.kind === "pair") {
    const half = (i) => (v) => change(spec.name, current(spec.name).map((old, at) => (at === i ? v : old)));
    const labels = spec.label.split(", ").length === 2 ? spec.label.split(", ")
      : [`${spec.label} (first)`, `${spec.label} (second)`];
    return el("div", { class: "pair" },
      numberInput({ ...spec, name: `${spec.name}-1` }, value[0], half(0), labels[0]),
      numberInput({ ...spec, name: `${spec.name}-2` }, value[1], half(1), labels[1]));
  }
  return numberInput(spec, value, (v) => change(spec.name, v));
}

function stateLine(state, catalog) {
  if (!state.optimizer) return "Plain gradient descent keeps no state between steps.";
  const entry = entryFor(catalog, state.optimizer.name);
  const step = state.optimizerState ? state.optimizerState.step : 0;
  return `${entry.label} has taken ${step} step${step === 1 ? "" : "s"} from this state`
    + (step ? "; its buffers carry on from one iteration to the next." : ": it starts afresh.");
}

export function mountOptimizerFields(root, store, services) {
  const { catalog } = services;
  const settings = el("div", { class: "control-grid optimizer-settings" });
  const message = el("p", { class: "field-error", role: "alert", hidden: true });
  const status = el("p", { class: "field-note", "data-testid": "optimizer-state" });
  const reset = el("button", { type: "button", text: "Start the optimiser afresh", "data-testid": "optimizer-reset" });
  reset.addEventListener("click", () => store.set({ optimizerState: null }));
  const set = (name, values) => {
    const optimizer = chosen(catalog, name, values);
    const problem = optimizer && optimizerProblem(optimizer, catalog);
    message.textContent = problem || "";
    message.hidden = !problem;
    if (!problem) store.set({ optimizer, optimizerState: null });
  };
  const picker = selectField({ label: "Optimiser", testid: "optimizer",
    options: catalog.optimizers.map((entry) => [entry.name, entry.label]),
    onChange: (name) => set(name, {}) });
  const l2 = numberField({ label: "L2 penalty λ (in the cost)", min: 0, max: catalog.limits.max_weight_decay,
    testid: "l2", onCommit: (value) => store.set({ l2: value }) });
  let shown = "";
  const render = (state) => {
    const optimizer = state.optimizer || { name: "sgd" };
    const values = settingsOf(optimizer, catalog);
    picker.set(optimizer.name);
    l2.set(state.l2);
    status.textContent = stateLine(state, catalog);
    reset.disabled = !state.optimizerState;
    const key = JSON.stringify(optimizer);
    if (key === shown || settings.contains(document.activeElement)) return;
    shown = key;
    const now = () => store.get().optimizer || { name: "sgd" };
    const current = (name) => settingsOf(now(), catalog)[name];
    const change = (name, value) => set(now().name, { ...settingsOf(now(), catalog), [name]: value });
    settings.replaceChildren(...entryFor(catalog, optimizer.name).hyperparameters
      .map((spec) => hyperparameterFields(spec, values[spec.name], change, current)));
  };
  root.append(el("fieldset", { class: "optimizer", "data-testid": "optimizer-fields" },
    el("legend", { text: "Update" }), picker.element, settings, message, l2.element, status, reset));
  store.subscribe(["optimizer", "optimizerState", "l2"], render);
  render(store.get());
}
