// Share and export: a link to the whole state, an embed snippet with panels hidden, the trace as
// JSON or CSV, the model as JSON (and back), the plots as PNG and the diagram as SVG (as PNG when
// it is drawn on a canvas).

import { el, uid } from "../core/dom.js";
import { download, svgText } from "../core/downloads.js";
import { URL_KEYS, toHash } from "../core/url-state.js";
import { traceCsv } from "../trace/csv.js";
import { whenPlotly } from "../views/plots.js";
import { viewFor } from "../views/registry.js";
import { mountCodeExport } from "./code-export.js";
import { modelFile, readModel } from "./model-file.js";
import { dataShape } from "../core/data-shape.js";
import { fitNetwork, sameNetwork } from "./network-fit.js";

const linkFor = (base, state, defaults) => {
  const hash = toHash(state, defaults);
  return `${base}${hash ? `#${hash}` : ""}`;
};

// Copy text, or select it in `field` for a manual copy where the clipboard is not allowed.
async function copy(text, field, note) {
  try {
    await navigator.clipboard.writeText(text);
    note.textContent = "Copied.";
  } catch {
    field.focus();
    field.select();
    note.textContent = "Press Ctrl+C (or ⌘C) to copy the selected text.";
  }
}

const button = (text, testid) => el("button", { type: "button", text, "data-testid": testid });

function buildUi(store, panels) {
  const ui = {
    link: el("input", { type: "text", readonly: true, id: uid("link"), "data-testid": "share-link" }),
    copyLink: button("Copy link", "copy-link"),
    shortLink: button("Short link", "short-link"),
    linkNote: el("span", { class: "field-note", role: "status" }),
    boxes: panels.map(({ name, title }) => el("input", { type: "checkbox", id: uid("hide"), value: name,
      "data-testid": `hide-${name}`, checked: store.get().hidden.includes(name), "data-title": title })),
    snippet: el("textarea", { readonly: true, rows: 4, id: uid("embed"), "data-testid": "embed-snippet" }),
    copySnippet: button("Copy snippet", "copy-embed"),
    snippetNote: el("span", { class: "field-note", role: "status" }),
    traceJson: button("Trace (JSON)", "export-trace-json"),
    traceCsv: button("Trace (CSV)", "export-trace-csv"),
    model: button("Model (JSON)", "export-model"),
    plots: button("Plots (PNG)", "export-plots"),
    diagram: button("Diagram (SVG)", "export-diagram"),
    diagramNote: el("span", { class: "field-note" }),
    importInput: el("input", { type: "file", accept: ".json,application/json", id: uid("import"), "data-testid": "import-model" }),
    importNote: el("p", { class: "field-note", role: "alert", "data-testid": "import-message" }),
  };
  ui.element = [
    el("div", { class: "field" }, el("label", { for: ui.link.id, text: "Link to this state" }), ui.link,
      el("div", {}, ui.copyLink, ui.shortLink, ui.linkNote)),
    el("fieldset", { class: "embed" }, el("legend", { text: "Embed: panels to hide" }),
      el("div", { class: "checkbox-grid" }, ...ui.boxes.map((box) => el("label", { class: "checkbox", for: box.id },
        box, ` ${box.dataset.title}`))),
      el("label", { for: ui.snippet.id, text: "Snippet" }), ui.snippet, el("div", {}, ui.copySnippet, ui.snippetNote)),
    el("fieldset", {}, el("legend", { text: "Download" }), el("div", { class: "button-row" }, ui.traceJson,
      ui.traceCsv, ui.model, ui.plots, ui.diagram), ui.diagramNote),
    el("div", { class: "field" }, el("label", { for: ui.importInput.id, text: "Import a model (JSON)" }),
      ui.importInput, ui.importNote),
  ];
  return ui;
}

// A model file made valid for the data in use and checked by the API, then put in the store.
async function importModel(store, services, text) {
  const imported = readModel(text, services.catalog);
  const { dataset } = store.get();
  if (!dataset) throw new Error("The data are still loading; try again in a moment.");
  const fitted = fitNetwork(services.catalog, imported.network, dataShape(dataset));
  if (!sameNetwork(fitted.network, imported.network)) {
    throw new Error(`The model does not fit the data in use (${dataset.inputs[0].length}-D inputs, `
      + `${dataset.targets[0].length} target column${dataset.targets[0].length > 1 ? "s" : ""}): `
      + `${fitted.notes.join(" ") || "its input size differs."} Choose matching data first.`);
  }
  const checked = await services.api.network({ network: imported.network, seed: imported.seed,
    init: imported.init, ...(imported.params ? { params: imported.params } : {}) });
  store.set({ network: checked.network, params: imported.params, seed: imported.seed,
    init: imported.init, optimizer: imported.optimizer, optimizerState: imported.optimizerState,
    l2: imported.l2, preset: null });
}

function wireDownloads(ui, store, services) {
  ui.traceJson.addEventListener("click", () => download("backprop-trace.json",
    JSON.stringify(store.get().trace, null, 2), "application/json"));
  ui.traceCsv.addEventListener("click", () => download("backprop-trace.csv", traceCsv(store.get().trace), "text/csv"));
  ui.model.addEventListener("click", () => download("backprop-model.json",
    JSON.stringify(modelFile(store.get()), null, 2), "application/json"));
  ui.plots.addEventListener("click", async () => {
    const Plotly = await whenPlotly();
    const divs = [...services.root.querySelectorAll(".js-plotly-plot")].filter((div) => div.offsetParent);
    for (const div of divs) {
      await Plotly.downloadImage(div, { format: "png", width: div.clientWidth, height: div.clientHeight,
        filename: `backprop-${div.dataset.testid || "plot"}` });
    }
  });
  // The diagram as SVG, or as PNG from a view drawn on a canvas.
  ui.diagram.addEventListener("click", async () => {
    const svg = services.diagramSvg();
    const view = services.diagramView();
    if (!svg) {
      ui.diagramNote.textContent = "There is no diagram to export yet.";
      return;
    }
    if (view && view.exportImage) download("backprop-diagram.png", await view.exportImage(), "image/png");
    else download("backprop-diagram.svg", svgText(svg), "image/svg+xml");
  });
}

// A link too long to share (custom data, edited weights) kept on the server: /s/<id>.
async function shortLink(ui, store, services) {
  try {
    const saved = await services.api.post("/api/v1/states",
      { state: { hash: toHash(store.get(), services.defaults), selection: store.get().selection } });
    ui.link.value = new URL(saved.url, services.linkBase).href;
    ui.linkNote.textContent = "A short link to this state.";
  } catch (error) {
    ui.linkNote.textContent = error.message;
  }
}

// services: the playground's, plus {panels: [{name, title}], diagramSvg(), diagramView(), root, linkBase}.
export function mountExport(root, store, services) {
  const ui = buildUi(store, services.panels);
  root.append(...ui.element);
  mountCodeExport(root, store, services);
  const render = (state) => {
    ui.link.value = linkFor(services.linkBase, state, services.defaults);
    const hidden = ui.boxes.filter((box) => box.checked).map((box) => box.value);
    const url = linkFor(services.linkBase, { ...state, hidden, present: false }, services.defaults);
    ui.snippet.value = `<iframe src="${url.replace(/&/g, "&amp;")}" title="backprop, visualized: playground" `
      + 'width="100%" height="760" loading="lazy"></iframe>';
    for (const part of [ui.traceJson, ui.traceCsv, ui.model]) part.disabled = !state.trace;
    ui.diagram.textContent = viewFor(state, services.catalog.limits).id === "canvas" ? "Diagram (PNG)" : "Diagram (SVG)";
  };
  for (const box of ui.boxes) box.addEventListener("change", () => render(store.get()));
  ui.copyLink.addEventListener("click", () => copy(ui.link.value, ui.link, ui.linkNote));
  ui.shortLink.addEventListener("click", () => shortLink(ui, store, services));
  ui.copySnippet.addEventListener("click", () => copy(ui.snippet.value, ui.snippet, ui.snippetNote));
  wireDownloads(ui, store, services);
  ui.importInput.addEventListener("change", async () => {
    const [file] = ui.importInput.files;
    ui.importInput.value = "";
    if (!file) return;
    try {
      await importModel(store, services, await file.text());
      ui.importNote.textContent = `Imported ${file.name}.`;
    } catch (error) {
      ui.importNote.textContent = `${file.name} was not imported. ${error.message}`;
    }
  });
  store.subscribe([...URL_KEYS, "trace", "network"], render);
  render(store.get());
}
