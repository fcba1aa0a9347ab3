// Export as runnable code: the current iteration (network, parameters, batch, settings) as a
// NumPy script, a PyTorch script or a notebook, written by the server (POST /api/v1/exports/*).

import { el } from "../core/dom.js";
import { download } from "../core/downloads.js";

const KINDS = [
  { kind: "numpy", text: "NumPy script (.py)" },
  { kind: "pytorch", text: "PyTorch script (.py)" },
  { kind: "notebook", text: "Notebook (.ipynb)" },
];

// A fieldset of download buttons in `root`, enabled once there is a trace to reproduce.
export function mountCodeExport(root, store, services) {
  const note = el("p", { class: "field-note", role: "status", "data-testid": "export-code-note" });
  const buttons = KINDS.map(({ kind, text }) => {
    const button = el("button", { type: "button", text, "data-testid": `export-${kind}` });
    button.addEventListener("click", async () => {
      note.textContent = "";
      try {
        const file = await services.api.post(`/api/v1/exports/${kind}`, services.iterationBody(store.get()));
        download(file.filename, file.content, file.media_type);
      } catch (error) {
        note.textContent = `No ${text} for this state: ${error.message}`;
      }
    });
    return button;
  });
  root.append(el("fieldset", {}, el("legend", { text: "Run it elsewhere: this iteration as code" }),
    el("div", { class: "button-row" }, ...buttons), note));
  const render = (state) => {
    for (const button of buttons) button.disabled = !state.trace;
  };
  store.subscribe(["trace"], render);
  render(store.get());
}
