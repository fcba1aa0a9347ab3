// Lesson widget: the playground in an iframe, its state given by the lesson's options (the
// playground's own hash keys: preset, view, stage, batch, hide, ...). view="neurons,scalar"
// puts one frame per view side by side. Its link opens what the learner sees now in full.

import { el } from "../fields.js";
import { FIELDS } from "../url-state.js";

const HASH_KEYS = new Set(FIELDS.map((field) => field.key));
const VIEW_NAMES = {
  neurons: "neuron diagram", layers: "layer graph", scalar: "computational graph",
};
const MAX_HEIGHT = 2400; // px: a frame never grows past this, whatever its content does

const hashOf = (params) => params.toString().replace(/%2C/g, ",");

// The state of an embedded playground as a hash for the full one: no hidden panels.
export function fullHash(frame) {
  const params = new URLSearchParams(frame.contentWindow.location.hash.slice(1));
  params.delete("hide");
  params.delete("present");
  return hashOf(params);
}

// An iframe of the playground at `params`, as tall as its content. Resolves with the frame once
// the playground shows its first iteration (or says why it cannot).
export function embedPlayground(container, params, title) {
  const src = `/playground#${hashOf(params)}`;
  const frame = el("iframe", { class: "playground-frame", title, src });
  container.append(frame);
  return new Promise((resolve) => {
    frame.addEventListener("load", () => {
      const doc = frame.contentDocument;
      // The body's own height: the document's would never be less than the frame's.
      const fit = () => {
        const height = Math.ceil(doc.body.getBoundingClientRect().height);
        frame.style.height = `${Math.min(height, MAX_HEIGHT)}px`;
      };
      new ResizeObserver(fit).observe(doc.body);
      fit();
      const label = () => doc.querySelector('[data-testid="stage-label"]').textContent;
      const shown = () => doc.body.dataset.ready === "true"
        && (label() !== "" || !doc.getElementById("error").hidden);
      if (shown()) {
        resolve(frame);
        return;
      }
      const watcher = new MutationObserver(() => {
        if (!shown()) return;
        watcher.disconnect();
        resolve(frame);
      });
      watcher.observe(doc.body, { attributes: true, childList: true, subtree: true,
        characterData: true });
    }, { once: true });
  });
}

// The playground's hash parameters among a widget's options; view is left to the caller.
export function playgroundParams(options, present) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (HASH_KEYS.has(key) && key !== "view") params.set(key, value);
  }
  if (present) params.set("present", "1");
  return params;
}

// One frame per view, side by side; resolves with the frames once all have started.
export function embedViews(container, options, present) {
  const views = (options.view || "").split(",").filter(Boolean);
  const row = el("div", { class: "playground-frames" });
  container.append(row);
  return Promise.all((views.length ? views : [null]).map((view) => {
    const params = playgroundParams(options, present);
    if (view) params.set("view", view);
    const title = `The playground${view ? `: ${VIEW_NAMES[view] || view}` : ""}`;
    return embedPlayground(row, params, title);
  }));
}

export async function mount(element, options, context) {
  const [first] = await embedViews(element, options, context.present);
  context.linkToPlayground(() => fullHash(first));
}
