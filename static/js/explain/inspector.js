// The inspector: what the selected weight, bias or neuron is (type, shape, layer), its value and
// gradient, the chain rule for it with this iteration's numbers, and a field to edit it.

import { el } from "../core/dom.js";
import { rowText } from "../core/format.js";
import { batchSize, sampleIndex } from "../trace/model.js";
import { mountEditForm } from "./inspector-edit.js";
import { describe } from "./inspector-views.js";

// The sample picker: one option per row of the stepped batch, with its x and y.
function samplePicker(store, services) {
  const select = el("select", { "data-testid": "inspector-sample" });
  const label = el("label", { class: "inspector-sample", hidden: true }, "Sample shown ", select);
  select.addEventListener("change", () => store.set({ sample: Number(select.value) }));
  let shown = null; // the dataset and batch size the options were made for
  const render = (state) => {
    const N = batchSize(state.trace);
    label.hidden = N <= 1;
    if (N <= 1) return;
    if (!shown || shown.dataset !== state.dataset || shown.N !== N) {
      shown = { dataset: state.dataset, N };
      const { inputs, targets } = services.batch(state);
      select.replaceChildren(...inputs.slice(0, N).map((x, i) => new Option(
        `${i + 1}: x = ${rowText(x, ["(", ")"])}, y = ${rowText(targets[i], ["", ""])}`, String(i))));
    }
    select.value = String(sampleIndex(state, state.trace));
  };
  return { element: label, render };
}

export function mountInspector(root, store, services) {
  const picker = samplePicker(store, services);
  const details = el("div", { class: "inspector-details" });
  root.append(picker.element, details);
  const renderEdit = mountEditForm(root, store);
  const render = () => {
    const state = store.get();
    if (state.dataset && state.trace) picker.render(state);
    renderEdit(state);
    details.replaceChildren(...describe(state, services, (sample) => store.set({ sample }),
      () => store.set({ reveal: true })));
  };
  store.subscribe(["selection"], () => store.set({ reveal: false }));
  store.subscribe(["trace", "selection", "sample", "dataset", "busy", "stage", "event", "reveal"], render);
  render();
}
