// Share and export: a link to the whole state, an embed snippet with panels hidden, the trace as
// JSON or CSV, the model as JSON (and back), the plots as PNG and the diagram as SVG.

import { el, uid } from "./fields.js";
import { download, svgText } from "./downloads.js";
import { modelFile, readModel } from "./model-file.js";
import { dataShape, fitNetwork, sameNetwork } from "./network-fit.js";
import { whenPlotly } from "./plots.js";
import { traceCsv } from "./trace-csv.js";
import { URL_KEYS, toHash } from "./url-state.js";

function linkFor(state, defaults) {
  const hash = toHash(state, defaults);
  return `${location.origin}${location.pathname}${hash ? `#${hash}` : ""}`;
}

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

function button(text, testid) {
  return el("button", { type: "button", text, "data-testid": testid });
}

export function mountExport(root, store, context) {
  const linkField = el("input", { type: "text", readonly: true, id: uid("link"), "data-testid": "share-link" });
  const copyLink = button("Copy link", "copy-link");
  const linkNote = el("span", { class: "field-note", role: "status" });

  const panels = [...document.querySelectorAll("[data-control]")].map((section) => ({
    name: section.dataset.control,
    title: section.querySelector("h2") ? section.querySelector("h2").textContent.trim() : "Top bar",
  }));
  const boxes = panels.map(({ name, title }) => {
    const box = el("input", { type: "checkbox", id: uid("hide"), value: name, "data-testid": `hide-${name}`,
      checked: store.get().hidden.includes(name) });
    box.addEventListener("change", () => render(store.get()));
    return { box, label: el("label", { class: "checkbox", for: box.id }, box, ` ${title}`) };
  });
  const snippet = el("textarea", { readonly: true, rows: 4, id: uid("embed"), "data-testid": "embed-snippet" });
  const copySnippet = button("Copy snippet", "copy-embed");
  const snippetNote = el("span", { class: "field-note", role: "status" });

  const traceJson = button("Trace (JSON)", "export-trace-json");
  const traceCsvButton = button("Trace (CSV)", "export-trace-csv");
  const model = button("Model (JSON)", "export-model");
  const plots = button("Plots (PNG)", "export-plots");
  const diagram = button("Diagram (SVG)", "export-diagram");
  const diagramNote = el("span", { class: "field-note" });
  const importInput = el("input", { type: "file", accept: ".json,application/json", id: uid("import"), "data-testid": "import-model" });
  const importNote = el("p", { class: "field-note", role: "alert", "data-testid": "import-message" });

  root.append(
    el("div", { class: "field" }, el("label", { for: linkField.id, text: "Link to this state" }), linkField,
      el("div", {}, copyLink, linkNote)),
    el("fieldset", { class: "embed" }, el("legend", { text: "Embed: panels to hide" }),
      el("div", { class: "checkbox-grid" }, ...boxes.map((b) => b.label)),
      el("label", { for: snippet.id, text: "Snippet" }), snippet, el("div", {}, copySnippet, snippetNote)),
    el("fieldset", {}, el("legend", { text: "Download" }),
      el("div", { class: "button-row" }, traceJson, traceCsvButton, model, plots, diagram), diagramNote),
    el("div", { class: "field" }, el("label", { for: importInput.id, text: "Import a model (JSON)" }),
      importInput, importNote),
  );

  const render = (state) => {
    linkField.value = linkFor(state, context.defaults);
    const hidden = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
    const url = linkFor({ ...state, hidden, present: false }, context.defaults);
    snippet.value = `<iframe src="${url.replace(/&/g, "&amp;")}" title="backprop, visualized: playground" `
      + 'width="100%" height="760" loading="lazy"></iframe>';
    const noTrace = !state.trace;
    traceJson.disabled = noTrace;
    traceCsvButton.disabled = noTrace;
    model.disabled = noTrace;
    const hasDiagram = typeof context.diagramSvg === "function";
    diagram.disabled = !hasDiagram;
    diagramNote.textContent = hasDiagram ? "" : "The diagram cannot be exported yet.";
  };

  copyLink.addEventListener("click", () => copy(linkField.value, linkField, linkNote));
  copySnippet.addEventListener("click", () => copy(snippet.value, snippet, snippetNote));
  traceJson.addEventListener("click", () => download("backprop-trace.json",
    JSON.stringify(store.get().trace, null, 2), "application/json"));
  traceCsvButton.addEventListener("click", () => download("backprop-trace.csv",
    traceCsv(store.get().trace), "text/csv"));
  model.addEventListener("click", () => download("backprop-model.json",
    JSON.stringify(modelFile(store.get()), null, 2), "application/json"));
  plots.addEventListener("click", async () => {
    const Plotly = await whenPlotly();
    const divs = [...document.querySelectorAll(".js-plotly-plot")].filter((div) => div.offsetParent);
    for (const div of divs) {
      await Plotly.downloadImage(div, { format: "png", width: div.clientWidth, height: div.clientHeight,
        filename: `backprop-${div.dataset.testid || "plot"}` });
    }
  });
  diagram.addEventListener("click", () => {
    const svg = context.diagramSvg && context.diagramSvg();
    if (!svg) {
      diagramNote.textContent = "There is no diagram on the page to export.";
      return;
    }
    download("backprop-diagram.svg", svgText(svg), "image/svg+xml");
  });

  importInput.addEventListener("change", async () => {
    const [file] = importInput.files;
    importInput.value = "";
    if (!file) return;
    try {
      const imported = readModel(await file.text());
      const { dataset } = store.get();
      if (!dataset) throw new Error("The data are still loading; try again in a moment.");
      const fitted = fitNetwork(imported.network, dataShape(dataset));
      if (!sameNetwork(fitted.network, imported.network)) {
        throw new Error(`The model does not fit the data in use (${dataset.inputs[0].length}-D inputs, `
          + `${dataset.targets[0].length} target column${dataset.targets[0].length > 1 ? "s" : ""}): `
          + `${fitted.notes.join(" ") || "its input size differs."} Choose matching data first.`);
      }
      const checked = await context.api.network({ network: imported.network, seed: imported.seed,
        init: imported.init, ...(imported.params ? { params: imported.params } : {}) });
      store.set({ network: checked.network, params: imported.params, seed: imported.seed,
        init: imported.init, preset: null });
      importNote.textContent = `Imported ${file.name}.`;
    } catch (error) {
      importNote.textContent = `${file.name} was not imported. ${error.message}`;
    }
  });

  store.subscribe([...URL_KEYS, "trace"], render);
  render(store.get());
}
