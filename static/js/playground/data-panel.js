// The data panel: a generated dataset (name, samples, noise, seed), or points of one's own added
// and removed by clicking the plot, typed in, or loaded from a CSV file.

import { el, uid } from "../core/dom.js";
import { drawData, legendList, whenPlotly } from "../views/plots.js";
import { classPicker, coordinateForm, csvField, generatorFields } from "./data-fields.js";
import { dataShape } from "../core/data-shape.js";
import { addPoint, nearestPoint, removePoint } from "./point-edits.js";
import { keepProjection, plottedData } from "./projection.js";

// The plot: a click on a point removes it (Plotly reports it before the click event); a click
// on empty space adds one where it landed.
function wirePlot(plot, view, edits) {
  let removedPoint = false;
  let listening = false;
  plot.addEventListener("click", (event) => {
    if (removedPoint) { removedPoint = false; return; }
    const area = plot.querySelector(".nsewdrag");
    const { ranges } = view;
    if (!area || !ranges) return;
    const box = area.getBoundingClientRect();
    const fx = (event.clientX - box.left) / box.width;
    const fy = (event.clientY - box.top) / box.height;
    if (fx < 0 || fx > 1 || fy < 0 || fy > 1) return;
    edits.add(ranges.x[0] + fx * (ranges.x[1] - ranges.x[0]), ranges.y[1] - fy * (ranges.y[1] - ranges.y[0]));
  });
  return () => {
    if (listening) return;
    listening = true;
    plot.on("plotly_click", (event) => {
      const point = event.points.find((p) => p.data.type === "scatter" && p.data.name !== "network");
      if (!point) return;
      removedPoint = true;
      edits.remove(point.customdata);
    });
  };
}

// The point edits, each made on the points shown and set as explicit points (or a sentence
// in `note` saying why not).
function pointEdits(store, view, note, limits) {
  const commit = ({ points, problem }) => {
    note.textContent = problem || "";
    if (points) store.set({ points, preset: null });
  };
  // A point of many inputs cannot be placed on, or picked from, their projection.
  const flat = () => view.shape && view.shape.dim > 2
    && commit({ problem: "These points have more inputs than the plot's two axes: change them in a CSV file." });
  const dataset = () => store.get().dataset;
  return {
    add: (a, b) => dataset() && view.shape && !flat() && commit(addPoint(dataset(), view.shape, a, b, view.chosen, limits.max_samples)),
    remove: (index) => dataset() && !flat() && commit(removePoint(dataset(), index)),
    removeNearest: (a, b) => dataset() && view.shape && !flat()
      && commit(removePoint(dataset(), nearestPoint(dataset(), view.shape, a, b))),
  };
}

function buildUi(store, services, view) {
  const ui = {
    generator: el("div", { class: "generator" }, el("p", { class: "field-note", text: "Loading datasets…" })),
    source: el("p", { class: "data-source", "data-testid": "data-source" }),
    back: el("button", { type: "button", text: "Back to generated data", "data-testid": "data-generated" }),
    plot: el("div", { class: "plot data-plot", "data-testid": "data-plot" }),
    legend: legendList(),
    help: el("p", { class: "field-note", id: uid("plot-help") }),
    note: el("p", { class: "field-note", role: "status" }),
    picker: classPicker((c) => { view.chosen = c; }),
  };
  ui.plot.setAttribute("aria-describedby", ui.help.id);
  ui.back.addEventListener("click", () => store.set({ points: null, preset: null }));
  ui.edits = pointEdits(store, view, ui.note, services.catalog.limits);
  ui.form = coordinateForm(ui.edits.add, ui.edits.removeNearest, (text) => { ui.note.textContent = text; });
  ui.csv = csvField(services.catalog.limits, (points, name) => {
    ui.note.textContent = `Loaded ${points.inputs.length} points from ${name}.`;
    store.set({ points, preset: null });
  });
  return ui;
}

export function mountDataPanel(root, store, services) {
  const view = { shape: null, ranges: null, chosen: 0, fields: null };
  const ui = buildUi(store, services, view);
  // The plot first, beside the diagram; the ways to change the data one click away.
  root.append(ui.plot, ui.legend, ui.source, el("details", { class: "data-edit" },
    el("summary", { text: "Change the data" }), ui.generator, ui.back, ui.help, ui.picker.element, ui.note,
    ui.form.element, ui.csv));
  const listen = wirePlot(ui.plot, view, ui.edits);
  view.fields = null;
  services.api.datasets().then((list) => {
    view.fields = generatorFields(list, store);
    ui.generator.replaceChildren(view.fields.element);
    view.fields.set(store.get().data);
  }).catch((error) => {
    ui.generator.replaceChildren(el("p", { class: "field-error", text: `Datasets could not be loaded: ${error.message}` }));
  });
  // A hidden panel (an embedded view) draws nothing, so it never loads plotly.js for nothing.
  const redraw = (state) => {
    if (!state.dataset || state.hidden.includes("data")) return;
    const plotted = plottedData(state);
    if (!plotted) return;
    whenPlotly().then(async (Plotly) => {
      view.ranges = await drawData(Plotly, ui.plot, ui.legend, plotted, state.training,
        { margin: { l: 40, r: 8, t: 8, b: 36 }, hoverdistance: 8 });
      listen();
    }).catch((error) => { ui.note.textContent = error.message; });
  };
  const render = (state) => {
    if (view.fields) view.fields.set(state.data);
    const count = state.dataset ? state.dataset.inputs.length : 0;
    const points = `${count} point${count === 1 ? "" : "s"}`;
    ui.source.textContent = state.points ? `Using ${points} of your own.`
      : state.dataset && state.dataset.image ? `Using ${count} images of ${state.data.name}.`
        : `Using ${points} generated from ${state.data.name}.`;
    ui.back.hidden = !state.points;
    view.shape = dataShape(state.dataset);
    if (view.shape) {
      ui.form.label(view.shape.dim);
      ui.help.textContent = view.shape.dim > 2 ? `Each point is a row of ${view.shape.dim} inputs, placed by its first two principal components.`
        : view.shape.kind === "regression" && view.shape.dim !== 1
          ? "Hover a point to see its targets." : "Click empty space to add a point; click a point to remove it.";
      ui.form.element.hidden = view.shape.dim > 2;
    }
    if (view.shape && view.shape.classes && view.chosen >= view.shape.classes) view.chosen = 0;
    ui.picker.show(view.shape && view.shape.dim <= 2 && view.shape.classes, view.chosen);
    redraw(state);
  };
  store.subscribe(["data", "points", "dataset"], render);
  store.subscribe(["training", "present", "hidden", "projection"], redraw);
  keepProjection(store, services.api, (error) => { ui.note.textContent = `The projection could not be had: ${error.message}`; });
  render(store.get());
}
