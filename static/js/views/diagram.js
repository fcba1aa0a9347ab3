// The diagram panel: a switcher between linked views of the current trace (neurons, layer graph,
// computational graph), a sample picker, and the SVG of the view in use, stepped by the store.

import { el, uid } from "../core/dom.js";
import { rowText } from "../core/format.js";
import { readPalette } from "../core/svg.js";
import { batchSize, clamp } from "../trace/model.js";
import { EDGE_MODES } from "./neuron-model.js";
import { VIEWS, viewById, viewFor } from "./registry.js";

const FOCUSABLE = "[data-neuron], [data-weight], [data-bias], [data-node-id], [data-group]";
const WATCHED = ["trace", "scalarTrace", "view", "stage", "event", "level", "sample", "selection", "busy",
  "network", "error", "edges", "pace", "present"];

// The views this panel has made so far, by id (each is made the first time it is drawn).
function viewMaker(root, limits, catalog) {
  const made = new Map();
  return (entry) => {
    if (!made.has(entry.id)) {
      made.set(entry.id, entry.create({ palette: readPalette(root), limits, catalog,
        onMotion: (running) => root.classList.toggle("moving", running) }));
    }
    return made.get(entry.id);
  };
}

// The keys on a focused element of the diagram: Enter or Space selects it, Escape clears the
// selection, Shift and the arrows walk the network where the view can (the neuron view); the
// arrows alone step the iteration, as everywhere else (playground/keys.js).
function onCanvasKey(event, shown, activate, store) {
  const target = event.target.closest(FOCUSABLE);
  if (!target) return;
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    activate(target);
  } else if (event.key === "Escape") {
    store.set({ selection: null });
  } else if (event.shiftKey && event.key.startsWith("Arrow") && shown.view && shown.view.neighbour) {
    const next = shown.view.neighbour(target, event.key);
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }
}

// The neuron view lays itself out for the canvas's size: call `render` again when it changes.
function watchSize(canvas, render) {
  let last = "";
  new ResizeObserver(() => {
    const size = `${canvas.clientWidth}x${canvas.clientHeight}`;
    if (size === last) return;
    last = size;
    render();
  }).observe(canvas);
}

export function mountDiagram(root, store, services) {
  const { limits } = services.catalog;
  const viewOf = viewMaker(root, limits, services.catalog);
  const ui = buildPanel(root);
  const shown = { svg: null, view: null };

  function render() {
    const state = store.get();
    const entry = viewFor(state, limits);
    const view = viewOf(entry);
    updateToolbar(ui, state, entry, view, services);
    const trace = state[entry.trace];
    if (!trace) {
      show(null, [state.error ? "No trace to draw: see the message above."
        : entry.trace === "scalarTrace" ? "Computing the computational graph…" : "Computing the iteration…"]);
      return;
    }
    const inputs = state.dataset ? services.batch(state).inputs : [];
    const size = { width: ui.canvas.clientWidth, height: ui.canvas.clientHeight };
    const { svg, caption } = view.render({ state, trace, inputs, size });
    shown.view = view;
    show(svg, caption);
  }

  function show(svg, lines) {
    if (svg !== shown.svg) {
      if (shown.svg) shown.svg.remove();
      if (svg) ui.canvas.prepend(svg);
      shown.svg = svg;
    }
    ui.caption.replaceChildren(...lines.map((line) => el("p", {}, line)));
  }

  function activate(target) {
    if (target.dataset.group !== undefined) {
      shown.view.setCollapsed(false);
      render();
      return;
    }
    const selection = shown.view.selectionFor(target, store.get().selection);
    if (selection) store.set({ selection });
  }

  // What the pointer is on: an element, or what the view picks there (the nearest thin edge).
  function under(event) {
    const target = event.target.closest(FOCUSABLE);
    if (target || !shown.view || !shown.svg) return target;
    return shown.view.pick(event.clientX, event.clientY);
  }

  ui.canvas.addEventListener("click", (event) => {
    const target = under(event);
    if (target) activate(target);
  });
  ui.canvas.addEventListener("keydown", (event) => onCanvasKey(event, shown, activate, store));
  ui.switcher.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-view]");
    if (!button || button.getAttribute("aria-disabled") === "true") return;
    store.set({ view: button.dataset.view });
  });
  ui.collapse.addEventListener("click", () => {
    if (!shown.view || !shown.view.setCollapsed) return;
    shown.view.setCollapsed(!shown.view.collapsed);
    render();
  });
  ui.sample.addEventListener("change", () => store.set({ sample: Number(ui.sample.value) }));
  ui.edges.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-edges]");
    if (button) store.set({ edges: button.dataset.edges });
  });
  attachTooltip(ui.canvas, ui.tooltip, under, (target) => {
    if (shown.view && shown.view.hover) shown.view.hover(target);
  });
  store.subscribe(WATCHED, render);
  watchSize(ui.canvas, render);
  render();
  return { svg: () => shown.svg, strip: ui.strip };
}

function buildPanel(root) {
  const toolbar = el("div", { class: "diagram-toolbar" });
  const switcher = el("div", { class: "view-switch", role: "group", "aria-label": "Diagram view" });
  for (const { id, label } of VIEWS) {
    switcher.append(el("button", { type: "button", "data-view": id, "aria-pressed": "false" }, label));
  }
  const collapse = el("button", { type: "button", class: "collapse-toggle", "aria-pressed": "false" },
    "Collapse layers");
  const edges = el("div", { class: "view-switch edge-switch", role: "group", "aria-label": "What the edges show",
    "data-testid": "edge-mode" }, el("span", { class: "switch-label", text: "Edges" }),
  ...EDGE_MODES.map(([mode, label, title]) => el("button", { type: "button", "data-edges": mode,
    "aria-pressed": "false", title }, label)));
  const sampleLabel = el("label", { class: "sample-pick" }, "Sample ");
  const sample = el("select", { "data-diagram": "sample" });
  const sampleInfo = el("span", { class: "sample-info" });
  sampleLabel.append(sample);
  toolbar.append(switcher, collapse, edges, sampleLabel, sampleInfo);
  const note = el("p", { class: "diagram-note", id: uid("diagram-note") });
  const canvas = el("div", { class: "diagram-canvas" });
  const tooltip = el("div", { class: "diagram-tooltip", "aria-hidden": "true", hidden: "" });
  canvas.append(tooltip);
  const strip = el("div", { class: "caption-strip", "data-control": "caption" });
  const caption = el("div", { class: "diagram-caption" });
  const legend = el("p", { class: "diagram-legend" });
  legend.innerHTML = '<span class="swatch positive"></span> positive <span class="swatch negative"></span> negative'
    + ' (paler = smaller, thicker = larger) · <span class="ring ring-stage"></span> this stage'
    + ' · <span class="ring ring-selection"></span> selected · <span class="ring ring-gradient"></span> a gradient';
  const keys = el("p", { class: "diagram-keys" },
    "Click or press Enter on any neuron, weight, bias or node to inspect it; Escape clears. "
    + "→ and ← step; in the neuron view Shift with the arrows walks the network: ↑ ↓ within a "
    + "layer, ← → along the edges.");
  const help = el("details", { class: "diagram-help" }, el("summary", { text: "What the diagram shows, and its keys" }),
    caption, legend, keys);
  root.append(toolbar, note, canvas, strip, help);
  return { switcher, collapse, edges, sample, sampleInfo, note, canvas, tooltip, caption, strip };
}

// The switcher (a view that cannot draw this network says why), the collapse toggle of a graph
// view, and the sample picker with the sample's numbers.
function updateToolbar(ui, state, entry, view, services) {
  const { limits } = services.catalog;
  const reasons = [];
  for (const button of ui.switcher.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === entry.id));
    const offered = viewById(button.dataset.view).offered;
    button.hidden = Boolean(offered && !offered(state));
    if (button.hidden) continue;
    const why = viewById(button.dataset.view).needs(state, limits);
    button.setAttribute("aria-disabled", String(Boolean(why)));
    if (why) button.setAttribute("aria-describedby", ui.note.id);
    else button.removeAttribute("aria-describedby");
    if (why) reasons.push(why);
  }
  const wanted = viewById(state.view);
  if (state.view !== entry.id && wanted && (!wanted.offered || wanted.offered(state))) reasons.push(`Showing the ${entry.label.toLowerCase()} instead.`);
  ui.note.hidden = !reasons.length;
  ui.note.textContent = reasons.join(" ");
  ui.collapse.hidden = !view.setCollapsed;
  ui.edges.hidden = Boolean(view.setCollapsed);
  for (const button of ui.edges.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.edges === (state.edges || "auto")));
  }
  if (view.setCollapsed) ui.collapse.setAttribute("aria-pressed", String(view.collapsed));
  updateSample(ui, state, services);
}

function updateSample(ui, state, services) {
  const { trace } = state;
  const size = trace ? batchSize(trace) : 0;
  if (ui.sample.options.length !== size) {
    ui.sample.replaceChildren(...Array.from({ length: size }, (_, i) => el("option", { value: i }, `${i + 1} of ${size}`)));
  }
  const sample = size ? clamp(state.sample, size) : 0;
  ui.sample.value = String(sample);
  ui.sample.disabled = size < 2;
  const batch = trace && state.dataset ? services.batch(state) : null;
  ui.sampleInfo.textContent = batch && batch.inputs[sample]
    ? `x = ${rowText(batch.inputs[sample])}, y = ${rowText(batch.targets[sample])}`
    : "";
}

// One tooltip for the whole canvas, showing the aria-label of what is under the pointer (found
// by `under`, at most once a frame) or focused; `onHover` hears of each change of target.
function attachTooltip(canvas, tooltip, under, onHover) {
  let current = null;
  let pending = null;
  const place = (target, x, y) => {
    if (target !== current) onHover(target);
    current = target;
    tooltip.hidden = !target;
    if (!target) return;
    const box = canvas.getBoundingClientRect();
    tooltip.textContent = target.getAttribute("aria-label");
    tooltip.style.left = `${Math.max(0, Math.min(x - box.left + 12, box.width - 240))}px`;
    tooltip.style.top = `${y - box.top + canvas.scrollTop + 14}px`;
  };
  canvas.addEventListener("pointermove", (event) => {
    if (pending) return;
    pending = requestAnimationFrame(() => {
      pending = null;
      place(under(event), event.clientX, event.clientY);
    });
  });
  canvas.addEventListener("pointerleave", () => place(null));
  canvas.addEventListener("focusin", (event) => {
    const target = event.target.closest(FOCUSABLE);
    if (!target) return;
    const box = target.getBoundingClientRect();
    place(target, box.right, box.top);
  });
  canvas.addEventListener("focusout", () => place(null));
}
