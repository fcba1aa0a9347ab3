// The worksheet page: the iteration a playground link describes (its hash), at most
// MAX_ROWS samples of its batch, laid out to work out by hand and printed from the browser.

import "./crash-notice.js";
import { createApi } from "../core/api.js";
import { el } from "../core/dom.js";
import { createStore } from "../core/store.js";
import { buildWorksheet } from "../explain/worksheet.js";
import { startingState } from "../playground/playground.js";
import { iterationBody } from "../playground/state.js";
import { resolveData } from "../playground/trace-sync.js";

const MAX_ROWS = 4; // more samples than this are more arithmetic than a worksheet should ask

const preloaded = JSON.parse(document.getElementById("page-data").textContent);
const main = document.querySelector(".worksheet");

function describe(state, rows) {
  const { layer_sizes: sizes, activations, loss } = state.network;
  return `Network ${sizes.join("-")} (${activations.join(", ")}), ${loss.replace(/_/g, " ")}; `
    + `${rows} sample${rows === 1 ? "" : "s"} of ${state.points ? "your data" : state.data.name}.`;
}

async function show() {
  const api = createApi("", preloaded);
  const { state } = await startingState(window.location.hash, api, preloaded.catalog);
  const store = createStore({ ...state, batchSize: Math.min(state.batchSize || MAX_ROWS, MAX_ROWS) });
  await resolveData(store, api);
  const body = iterationBody(preloaded.catalog, store.get());
  const trace = await api.iteration(body);
  const print = el("button", { type: "button", class: "no-print primary", text: "Print" });
  print.addEventListener("click", () => window.print());
  const back = el("a", { class: "no-print", href: `/playground${window.location.hash}`, text: "Back to the playground" });
  main.replaceChildren(el("p", { class: "no-print" }, print, " ", back),
    ...buildWorksheet(trace, body, describe(store.get(), body.inputs.length)));
  document.body.dataset.ready = "true";
}

show().catch((error) => {
  main.replaceChildren(el("p", { class: "error", role: "alert", text: `The worksheet could not be made: ${error.message}` }));
});
