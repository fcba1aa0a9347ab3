// Editing the selected weight or bias in the inspector: a field with its value before this
// iteration's update; a new value runs the iteration again from parameters that differ in it.

import { el, uid } from "../core/dom.js";
import { layerSizes } from "../trace/model.js";
import { indexLabel } from "../trace/notation.js";
import { selectionFits } from "../trace/selection.js";
import { symbol } from "./symbols.js";

// The selected weight or bias as something to edit: its name, value and how to write it.
export function editable(trace, selection) {
  if (!trace || !selectionFits(selection, layerSizes(trace)) || selection.kind === "neuron") return null;
  const { layer: l, j, k } = selection;
  if (selection.kind === "weight") {
    return { name: `w${l}_${indexLabel(j, k)}`, symbol: symbol("w", String(l), indexLabel(j, k)),
      value: trace.params_before.weights[l - 1][j][k],
      write: (params, v) => { params.weights[l - 1][j][k] = v; } };
  }
  return { name: `b${l}_${indexLabel(j)}`, symbol: symbol("b", String(l), indexLabel(j)),
    value: trace.params_before.biases[l - 1][j],
    write: (params, v) => { params.biases[l - 1][j] = v; } };
}

function buildForm() {
  const input = el("input", { type: "text", id: uid("inspector-value"), inputmode: "decimal",
    autocomplete: "off", spellcheck: "false", "data-testid": "inspector-value" });
  const message = el("p", { class: "edit-message", id: uid("inspector-value-message"), role: "status" });
  input.setAttribute("aria-describedby", message.id);
  const label = el("label", { class: "edit-label", for: input.id });
  const form = el("form", { class: "inspector-edit" }, label,
    el("div", { class: "edit-row" }, input, el("button", { type: "submit", text: "Set" })), message);
  return { form, input, label, message };
}

export function mountEditForm(root, store) {
  const ui = buildForm();
  root.append(ui.form);
  let pending = null; // an edit whose iteration has not come back yet
  const commit = () => {
    const { trace, selection } = store.get();
    const target = editable(trace, selection);
    if (!target) return;
    const text = ui.input.value.trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) {
      ui.input.setAttribute("aria-invalid", "true");
      ui.message.className = "edit-message invalid";
      ui.message.textContent = `"${text}" is not a finite number. Enter one like 0.25, -1.5 or 2e-3.`;
      return;
    }
    ui.input.removeAttribute("aria-invalid");
    ui.message.className = "edit-message";
    if (value === target.value || (pending && pending.value === value)) return;
    const params = structuredClone(trace.params_before);
    target.write(params, value);
    pending = { name: target.name, value };
    ui.message.textContent = `Set ${target.name} to ${value}; running the iteration again…`;
    store.set({ params });
  };
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    commit();
  });
  ui.input.addEventListener("change", commit);
  store.subscribe(["trace", "selection"], (state, changed) => {
    if (changed.includes("selection")) ui.message.textContent = "";
    if (changed.includes("trace") && pending) {
      ui.message.textContent = `${pending.name} = ${pending.value}: every number here is from the `
        + "iteration run with it.";
      pending = null;
    }
  });
  return (state) => {
    const target = editable(state.trace, state.selection);
    ui.form.hidden = !target;
    if (!target) return;
    ui.label.replaceChildren("Edit ", target.symbol, " (its value before this iteration's update)");
    if (document.activeElement !== ui.input) {
      ui.input.value = target.value === null ? "" : String(target.value);
      ui.input.removeAttribute("aria-invalid");
    }
  };
}
