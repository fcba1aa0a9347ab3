// The notebook widget's front end (anywidget): the playground component, the same modules as
// the page, driven by the engine inside the kernel. Its API client sends each request over the
// widget's comm and the kernel answers as the HTTP endpoint would (backprop_widget/requests.py);
// actions sent from Python ({type: "next"}, ...) step it as buttons and keys do.

import { ApiError, createApi } from "../core/api.js";
import { toHash } from "../core/url-state.js";
import { createPlayground } from "../playground/playground.js";
import { DEFAULTS } from "../playground/state.js";

// A transport (see core/api.js) over the widget's comm: a request message with an id, answered
// by a response message with the same id, its JSON in the first buffer.
export function commTransport(model) {
  let last = 0;
  const waiting = new Map();
  model.on("msg:custom", (message, buffers) => {
    if (!message || message.type !== "response" || !waiting.has(message.id)) return;
    const { resolve, reject } = waiting.get(message.id);
    waiting.delete(message.id);
    const data = buffers && buffers.length ? JSON.parse(new TextDecoder().decode(buffers[0])) : null;
    if (message.status < 400) resolve(data);
    else reject(new ApiError(message.status, data && data.detail));
  });
  return (method, path, body, signal) => new Promise((resolve, reject) => {
    last += 1;
    const id = last;
    waiting.set(id, { resolve, reject });
    if (signal) {
      signal.addEventListener("abort", () => {
        if (waiting.delete(id)) reject(new DOMException("The request was superseded.", "AbortError"));
      });
    }
    model.send({ type: "request", id, method, path, body: body === undefined ? null : body });
  });
}

// The playground's starting state (as a link's hash) from the options Python gave.
export function startingHash(options) {
  const state = { ...DEFAULTS, hidden: options.hide || [] };
  if (options.network) state.network = options.network;
  if (options.params) state.params = options.params;
  if (options.points) state.points = options.points;
  if (options.learning_rate !== undefined) state.learningRate = options.learning_rate;
  if (options.batch !== undefined) state.batchSize = options.batch;
  if (options.seed !== undefined) state.seed = options.seed;
  if (options.view) state.view = options.view;
  const hash = toHash(state, DEFAULTS);
  return options.preset ? `preset=${encodeURIComponent(options.preset)}${hash ? `&${hash}` : ""}` : hash;
}

// anywidget's render: mount the playground in `el`; report the stage and the trace shown back
// to Python.
export async function render({ model, el }) {
  const root = document.createElement("div");
  el.classList.add("bp-notebook");
  el.append(root);
  const api = createApi("", {}, commTransport(model));
  const { store, dispatch } = await createPlayground(root, {
    api, initial: startingHash(model.get("options")), linkBase: model.get("link_base") || undefined,
  });
  model.on("msg:custom", (message) => {
    if (message && message.type === "action") dispatch(message.action);
  });
  store.subscribe(["stage"], (state) => {
    model.set("stage", state.stage);
    model.save_changes();
  });
  // The trace on screen goes back to Python (widget.trace), whatever else was fetched.
  const report = (state) => {
    if (state.trace) model.send({ type: "trace", trace: state.trace });
  };
  store.subscribe(["trace"], report);
  report(store.get());
  return () => root.remove();
}
