// The data panel: a generated dataset (name, samples, noise, seed), or points of one's own added
// and removed by clicking the plot, typed in, or loaded from a CSV file.

import { el, numberField, selectField, uid } from "./fields.js";
import { MAX_POINTS, parsePoints } from "./csv.js";
import { dataShape } from "./network-fit.js";
import { drawData, legendList, whenPlotly } from "./plots.js";

// Explicit points live in the URL: four decimals keep a link short.
const round = (value) => Number(value.toFixed(4));

// The generator's fields, bounded as GET /api/v1/datasets says.
function generatorFields(list, store) {
  const setData = (patch) => store.set({ data: { ...store.get().data, ...patch }, points: null,
    preset: null });
  const { samples, noise, seed } = list[0].parameters;
  const name = selectField({ label: "Dataset", testid: "dataset",
    options: list.map((d) => [d.name, d.name]), onChange: (value) => setData({ name: value }) });
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
      const info = list.find((d) => d.name === data.name);
      description.textContent = info ? info.description : "";
    },
  };
}

// Typed coordinates: the keyboard's way to add a point or remove the one nearest to them.
function coordinateForm(onAdd, onRemove, onProblem) {
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

export function mountDataPanel(root, store, context) {
  const generator = el("div", { class: "generator" }, el("p", { class: "field-note", text: "Loading datasets…" }));
  const source = el("p", { class: "data-source", "data-testid": "data-source" });
  const back = el("button", { type: "button", text: "Back to generated data", "data-testid": "data-generated" });
  back.addEventListener("click", () => store.set({ points: null, preset: null }));
  const plot = el("div", { class: "plot data-plot", "data-testid": "data-plot" });
  const legend = legendList();
  const help = el("p", { class: "field-note", id: uid("plot-help") });
  plot.setAttribute("aria-describedby", help.id);
  const classPicker = el("fieldset", { class: "class-picker" });
  const editNote = el("p", { class: "field-note", role: "status" });

  const csvInput = el("input", { type: "file", accept: ".csv,text/csv", id: uid("csv"), "data-testid": "csv-input" });
  const csvError = el("p", { class: "field-error", role: "alert", "data-testid": "csv-error", hidden: true });
  const csvField = el("div", { class: "field" },
    el("label", { for: csvInput.id, text: "Upload points (CSV)" }), csvInput,
    el("p", { class: "field-note", text: "Columns x1,x2,label (label 0, 1, …) or x,y; header optional." }),
    csvError);

  let addClass = 0;
  let ranges = null;
  let shape = null;

  // Points edited from what is shown: generated points become an explicit list.
  const editPoints = (edit) => {
    const { dataset } = store.get();
    if (!dataset) return;
    const next = { inputs: dataset.inputs.map((r) => r.map(round)), targets: dataset.targets.map((r) => r.map(round)) };
    const message = edit(next);
    editNote.textContent = message || "";
    if (message) return;
    store.set({ points: next, preset: null });
  };
  const addPoint = (a, b) => editPoints((points) => {
    if (points.inputs.length >= MAX_POINTS) return `At most ${MAX_POINTS} points.`;
    if (shape.kind === "regression" && shape.dim !== 1) {
      return "These targets are not class labels or a 1-D curve: edit them in a CSV file.";
    }
    if (shape.dim === 1) {
      points.inputs.push([round(a)]);
      points.targets.push([round(b)]);
    } else {
      points.inputs.push([round(a), round(b)]);
      points.targets.push(shape.kind === "binary" ? [addClass]
        : Array.from({ length: shape.classes }, (_, c) => (c === addClass ? 1 : 0)));
    }
    return "";
  });
  const removePoint = (index) => editPoints((points) => {
    if (points.inputs.length <= 1) return "The last point cannot be removed.";
    points.inputs.splice(index, 1);
    points.targets.splice(index, 1);
    return "";
  });
  const removeNearest = (a, b) => {
    const { dataset } = store.get();
    if (!dataset) return;
    const distance = (i) => (shape.dim === 1 ? (dataset.inputs[i][0] - a) ** 2 + (dataset.targets[i][0] - b) ** 2
      : (dataset.inputs[i][0] - a) ** 2 + (dataset.inputs[i][1] - b) ** 2);
    let best = 0;
    for (let i = 1; i < dataset.inputs.length; i += 1) if (distance(i) < distance(best)) best = i;
    removePoint(best);
  };
  const form = coordinateForm(addPoint, removeNearest, (text) => { editNote.textContent = text; });

  root.append(generator, source, back, plot, legend, help, classPicker, editNote, form.element, csvField);

  csvInput.addEventListener("change", async () => {
    const [file] = csvInput.files;
    if (!file) return;
    try {
      const points = parsePoints(await file.text());
      csvError.hidden = true;
      csvError.textContent = "";
      editNote.textContent = `Loaded ${points.inputs.length} points from ${file.name}.`;
      store.set({ points, preset: null });
    } catch (error) {
      csvError.textContent = `${file.name} was not loaded. ${error.message}`;
      csvError.hidden = false;
    }
    csvInput.value = "";
  });

  let fields = null;
  context.api.datasets().then((list) => {
    fields = generatorFields(list, store);
    generator.replaceChildren(fields.element);
    fields.set(store.get().data);
  }).catch((error) => {
    generator.replaceChildren(el("p", { class: "field-error", text: `Datasets could not be loaded: ${error.message}` }));
  });

  const renderClassPicker = () => {
    const classes = shape && shape.classes;
    classPicker.hidden = !classes;
    if (!classes) return;
    if (addClass >= classes) addClass = 0;
    const name = uid("add-class");
    classPicker.replaceChildren(el("legend", { text: "A click adds" }), ...Array.from({ length: classes }, (_, c) => {
      const radio = el("input", { type: "radio", name, id: `${name}-${c}`, value: c,
        "data-testid": `add-class-${c}`, checked: c === addClass });
      radio.addEventListener("change", () => { addClass = c; });
      return el("label", { class: "radio", for: radio.id }, radio, ` class ${c}`);
    }));
  };

  let plotted = false;
  const draw = async (state) => {
    // A hidden panel (an embedded view) draws nothing, so it never loads plotly.js for nothing.
    if (!state.dataset || state.hidden.includes("data")) return;
    const Plotly = await whenPlotly();
    ranges = await drawData(Plotly, plot, legend, state.dataset, state.training,
      { margin: { l: 40, r: 8, t: 8, b: 36 }, hoverdistance: 8 });
    if (!plotted) {
      plotted = true;
      plot.on("plotly_click", onPlotClick);
    }
  };
  const redraw = (state) => draw(state).catch((error) => { editNote.textContent = error.message; });

  // A click on a point removes it (Plotly reports it before the click event); a click on empty
  // space adds one where it landed.
  let removedPoint = false;
  const onPlotClick = (event) => {
    const point = event.points.find((p) => p.data.type === "scatter" && p.data.name !== "network");
    if (!point) return;
    removedPoint = true;
    removePoint(point.customdata);
  };
  plot.addEventListener("click", (event) => {
    if (removedPoint) { removedPoint = false; return; }
    const area = plot.querySelector(".nsewdrag");
    if (!area || !ranges || !shape) return;
    const box = area.getBoundingClientRect();
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    addPoint(ranges.x[0] + fx * (ranges.x[1] - ranges.x[0]), ranges.y[1] - fy * (ranges.y[1] - ranges.y[0]));
  });

  const render = (state) => {
    if (fields) fields.set(state.data);
    const count = state.dataset ? state.dataset.inputs.length : 0;
    const points = `${count} point${count === 1 ? "" : "s"}`;
    source.textContent = state.points ? `Using ${points} of your own.`
      : `Using ${points} generated from ${state.data.name}.`;
    back.hidden = !state.points;
    shape = dataShape(state.dataset);
    if (shape) {
      form.label(shape.dim);
      help.textContent = shape.kind === "regression" && shape.dim !== 1
        ? "Hover a point to see its targets."
        : "Click empty space to add a point; click a point to remove it.";
    }
    renderClassPicker();
    redraw(state);
  };
  store.subscribe(["data", "points", "dataset"], render);
  store.subscribe(["training", "present", "hidden"], redraw);
  render(store.get());
}
