// The data panel's fields: the generator (dataset, samples, noise, seed, bounded as the catalog
// says), typed coordinates, the class a new point gets, and a CSV upload.

import { el, uid } from "../core/dom.js";
import { numberField, selectField } from "../core/fields.js";
import { parsePoints } from "../core/csv.js";

// The generator's fields, bounded as the catalog's datasets say.
export function generatorFields(list, store) {
  const setData = (patch) => store.set({ data: { ...store.get().data, ...patch }, points: null,
    preset: null });
  const { samples, noise, seed } = list[0].parameters;
  const infoOf = (dataName) => list.find((d) => d.name === dataName);
  // Real data (the digits) come whole by default and show as images; the toys take their samples.
  const choose = (value) => {
    const [before, after] = [infoOf(store.get().data.name), infoOf(value)];
    const patch = { name: value };
    if (before && after.parameters.samples.default !== before.parameters.samples.default) {
      patch.samples = after.parameters.samples.default;
    }
    if (after.image) store.set({ view: "image" });
    setData(patch);
  };
  const name = selectField({ label: "Dataset", testid: "dataset",
    options: list.map((d) => [d.name, d.name]), onChange: choose });
  const description = el("p", { class: "field-note" });
  name.element.append(description);
  const fields = {
    name,
    samples: numberField({ label: "Samples", min: samples.min, max: samples.max, step: 1,
      integer: true, testid: "samples", onCommit: (value) => setData({ samples: value }) }),
    noise: numberField({ label: "Noise", min: noise.min, max: noise.max, step: 0.05,
      testid: "noise", onCommit: (value) => setData({ noise: value }) }),
    seed: numberField({ label: "Data seed", min: seed.min, max: seed.max, step: 1, integer: true,
      testid: "data-seed", onCommit: (value) => setData({ seed: value }) }),
  };
  return {
    element: el("div", { class: "control-grid" }, ...Object.values(fields).map((f) => f.element)),
    set(data) {
      for (const key of ["name", "samples", "noise", "seed"]) fields[key].set(data[key]);
      const info = infoOf(data.name);
      description.textContent = info ? `${info.description}${info.source ? ` Source: ${info.source}.` : ""}` : "";
      fields.noise.element.hidden = Boolean(info && !info.parameters.noise);
      if (info) fields.samples.input.max = info.parameters.samples.max;
    },
  };
}

// Typed coordinates: the keyboard's way to add a point or remove the one nearest to them.
export function coordinateForm(onAdd, onRemove, onProblem) {
  const first = numberField({ label: "x1", testid: "point-x1" });
  const second = numberField({ label: "x2", testid: "point-x2" });
  const add = el("button", { type: "button", text: "Add point", "data-testid": "point-add" });
  const remove = el("button", { type: "button", text: "Remove nearest point" });
  const withPoint = (action) => () => {
    const values = [first.input.value, second.input.value].map((t) => (t.trim() === "" ? NaN : Number(t)));
    if (values.every(Number.isFinite)) action(...values);
    else onProblem("Type two numbers first.");
  };
  add.addEventListener("click", withPoint(onAdd));
  remove.addEventListener("click", withPoint(onRemove));
  const element = el("fieldset", { class: "point-form" }, el("legend", { text: "Add or remove by coordinates" }),
    el("div", { class: "control-grid" }, first.element, second.element), add, remove);
  return {
    element,
    // Name the fields for the data: x1, x2 (2-D inputs) or x, y (a 1-D input and its target).
    label(dim) {
      first.element.querySelector("label").textContent = dim === 1 ? "x" : "x1";
      second.element.querySelector("label").textContent = dim === 1 ? "y (target)" : "x2";
    },
  };
}

// The classes a click or the coordinate form adds, as radio buttons; onChoose(class).
export function classPicker(onChoose) {
  const element = el("fieldset", { class: "class-picker" });
  let shown = 0;
  return {
    element,
    show(classes, chosen) {
      element.hidden = !classes;
      if (!classes || classes === shown) return;
      shown = classes;
      const name = uid("add-class");
      element.replaceChildren(el("legend", { text: "A click adds" }), ...Array.from({ length: classes }, (_, c) => {
        const radio = el("input", { type: "radio", name, id: `${name}-${c}`, value: c,
          "data-testid": `add-class-${c}`, checked: c === chosen });
        radio.addEventListener("change", () => onChoose(c));
        return el("label", { class: "radio", for: radio.id }, radio, ` class ${c}`);
      }));
    },
  };
}

// A CSV file input; onPoints(points, fileName) for a good file, the problem shown for a bad one.
export function csvField(limits, onPoints) {
  const input = el("input", { type: "file", accept: ".csv,text/csv", id: uid("csv"), "data-testid": "csv-input" });
  const error = el("p", { class: "field-error", role: "alert", "data-testid": "csv-error", hidden: true });
  input.addEventListener("change", async () => {
    const [file] = input.files;
    if (!file) return;
    try {
      const points = parsePoints(await file.text(), { maxPoints: limits.max_samples, maxClasses: limits.max_neurons,
        maxFeatures: limits.max_inputs });
      error.hidden = true;
      error.textContent = "";
      onPoints(points, file.name);
    } catch (problem) {
      error.textContent = `${file.name} was not loaded. ${problem.message}`;
      error.hidden = false;
    }
    input.value = "";
  });
  return el("div", { class: "field" }, el("label", { for: input.id, text: "Upload points (CSV)" }), input,
    el("p", { class: "field-note", text: `Columns: up to ${limits.max_inputs} features, then a label (a class 0, 1, …) `
      + "or a target (a number to fit), e.g. x1,x2,label or x,y. A header is optional; with one, name the last "
      + "column label or target." }),
    error);
}
