// The playground page: the playground component filling the page, its state in the URL hash,
// its keys heard anywhere on the page, and the page's own title in its top bar.

import "./crash-notice.js";
import { createApi } from "../core/api.js";
import { liveState } from "../live/shared-state.js";
import { teachButton } from "../live/teach-button.js";
import { createPlayground } from "../playground/playground.js";
import { hashSync } from "./hash-sync.js";

const preloaded = JSON.parse(document.getElementById("page-data").textContent);
const root = document.getElementById("playground-app");
const heading = document.querySelector(".site-title");
// /s/<id>: a saved state (too large for a link) opens as if its hash had been in the URL.
const saved = document.getElementById("saved-state");
if (saved && !window.location.hash) {
  window.history.replaceState(null, "", `#${JSON.parse(saved.textContent).hash || ""}`);
}
let current = null;
const teach = teachButton(() => liveState(current.get()), (url) => window.location.assign(url),
  (message) => current.set({ notice: message }));

createPlayground(root, {
  api: createApi("", preloaded),
  formulas: preloaded.formulas,
  sync: hashSync(window),
  keys: document,
  heading,
  actions: [teach],
}).then(({ store }) => {
  current = store;
  // The skip link goes to the diagram; presenter mode darkens the whole page.
  document.querySelector(".skip-link").href = `#${root.querySelector("[data-control='diagram']").id}`;
  store.subscribe(["present"], (state) => document.body.classList.toggle("present", Boolean(state.present)));
  document.body.classList.toggle("present", Boolean(store.get().present));
  document.body.dataset.ready = "true";
});
