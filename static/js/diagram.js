// The diagram panel: a switcher between linked views of the current trace (neurons, layer graph,
// computational graph), a sample picker, and the SVG of the view in use, stepped by the store.

import { formatNumber } from "./format.js";
import { SCALAR_WEIGHT_LIMIT, batchSize, clamp, countWeights } from "./diagram-model.js";
import { createGraphView } from "./graph-view.js";
import { createNeuronView } from "./neuron-view.js";
import { readPalette } from "./svg.js";

const VIEWS = [
  { view: "neurons", label: "Neurons" },
  { view: "layers", label: "Layer graph" },
  { view: "scalar", label: "Computational graph" },
];
const FOCUSABLE = "[data-neuron], [data-weight], [data-bias], [data-node-id], [data-group]";
const WATCHED = ["trace", "scalarTrace", "view", "stage", "event", "level", "sample", "selection", "busy",
  "network", "error"];

function html(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

export function mountDiagram(root, store, context) {
  const views = {
    neurons: createNeuronView(readPalette()),
    layers: createGraphView("layer"),
    scalar: createGraphView("scalar"),
  };
  const ui = buildPanel(root);
  let shownSvg = null;
  let shownView = null;

  function scalarAllowed(state) {
    return countWeights(state.network.layer_sizes) <= SCALAR_WEIGHT_LIMIT;
  }

  // The view actually drawn: the computational graph falls back to the layer graph when the
  // network is too large for it.
  function effectiveView(state) {
    const known = VIEWS.some((v) => v.view === state.view) ? state.view : "neurons";
    return known === "scalar" && !scalarAllowed(state) ? "layers" : known;
  }

  function render() {
    const state = store.get();
    const view = effectiveView(state);
    updateToolbar(ui, state, view, views, scalarAllowed(state), context);
    const trace = view === "scalar" ? state.scalarTrace : state.trace;
    if (!trace) {
      show(null, [state.error ? "No trace to draw: see the message above."
        : view === "scalar" ? "Computing the computational graph…" : "Computing the iteration…"]);
      return;
    }
    const inputs = state.dataset ? context.steppingBatch(state).inputs : [];
    const { svg, caption } = view === "neurons" ? views.neurons.render(state, inputs) : views[view].render(state, trace);
    shownView = view;
    show(svg, caption);
  }

  function show(svg, lines) {
    if (svg !== shownSvg) {
      if (shownSvg) shownSvg.remove();
      if (svg) ui.canvas.prepend(svg);
      shownSvg = svg;
    }
    ui.caption.replaceChildren(...lines.map((line) => html("p", {}, line)));
  }

  function activate(target) {
    const current = store.get().selection;
    if (target.dataset.group !== undefined) {
      views[shownView].setCollapsed(false);
      render();
      return;
    }
    let selection = null;
    if (target.dataset.neuron) {
      const [layer, j] = target.dataset.neuron.split("-").map(Number);
      selection = { kind: "neuron", layer, j };
    } else if (target.dataset.weight) {
      const [layer, j, k] = target.dataset.weight.split("-").map(Number);
      selection = { kind: "weight", layer, j, k };
    } else if (target.dataset.bias) {
      const [layer, j] = target.dataset.bias.split("-").map(Number);
      selection = { kind: "bias", layer, j };
    } else if (target.dataset.nodeId !== undefined) {
      selection = views[shownView].selectionFor(Number(target.dataset.nodeId), current);
    }
    if (selection) store.set({ selection });
  }

  // What the pointer is on: an element, or in the neuron view the nearest thin edge.
  function under(event) {
    const target = event.target.closest(FOCUSABLE);
    if (target || shownView !== "neurons" || !shownSvg) return target;
    return views.neurons.pick(event.clientX, event.clientY);
  }

  ui.canvas.addEventListener("click", (event) => {
    const target = under(event);
    if (target) activate(target);
  });
  ui.canvas.addEventListener("keydown", (event) => {
    const target = event.target.closest(FOCUSABLE);
    if (!target) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      activate(target);
    } else if (event.key === "Escape") {
      store.set({ selection: null });
    } else if (event.key.startsWith("Arrow") && shownView === "neurons") {
      const next = views.neurons.neighbour(target, event.key);
      if (next) {
        event.preventDefault();
        next.focus();
      }
    }
  });
  ui.switcher.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-view]");
    if (!button || button.getAttribute("aria-disabled") === "true") return;
    store.set({ view: button.dataset.view });
  });
  ui.collapse.addEventListener("click", () => {
    const view = views[shownView];
    if (!view || !view.setCollapsed) return;
    view.setCollapsed(!view.collapsed);
    render();
  });
  ui.sample.addEventListener("change", () => store.set({ sample: Number(ui.sample.value) }));
  attachTooltip(ui.canvas, ui.tooltip, under, (target) => {
    if (shownView === "neurons") views.neurons.hover(target);
  });

  context.diagramSvg = () => shownSvg;
  store.subscribe(WATCHED, render);
  render();
}

function buildPanel(root) {
  const toolbar = html("div", { class: "diagram-toolbar" });
  const switcher = html("div", { class: "view-switch", role: "group", "aria-label": "Diagram view" });
  for (const { view, label } of VIEWS) {
    switcher.append(html("button", { type: "button", "data-view": view, "aria-pressed": "false" }, label));
  }
  const collapse = html("button", { type: "button", class: "collapse-toggle", "aria-pressed": "false" },
    "Collapse layers");
  const sampleLabel = html("label", { class: "sample-pick" }, "Sample ");
  const sample = html("select", { "data-diagram": "sample" });
  const sampleInfo = html("span", { class: "sample-info" });
  sampleLabel.append(sample);
  toolbar.append(switcher, collapse, sampleLabel, sampleInfo);
  const note = html("p", { class: "diagram-note", id: "diagram-scalar-note" });
  const canvas = html("div", { class: "diagram-canvas" });
  const tooltip = html("div", { class: "diagram-tooltip", "aria-hidden": "true", hidden: "" });
  canvas.append(tooltip);
  const caption = html("div", { class: "diagram-caption" });
  const legend = html("p", { class: "diagram-legend" });
  legend.innerHTML = '<span class="swatch positive"></span> positive <span class="swatch negative"></span> negative'
    + ' (paler = smaller, thicker = larger) · <span class="ring ring-stage"></span> this stage'
    + ' · <span class="ring ring-selection"></span> selected · <span class="ring ring-gradient"></span> a gradient';
  const keys = html("p", { class: "diagram-keys" },
    "Click or press Enter on any neuron, weight, bias or node to inspect it; Escape clears. "
    + "In the neuron view the arrow keys walk the network: ↑ ↓ within a layer, ← → along the edges.");
  root.append(toolbar, note, canvas, caption, legend, keys);
  return { switcher, collapse, sample, sampleInfo, note, canvas, tooltip, caption };
}

function updateToolbar(ui, state, view, views, scalarAllowed, context) {
  for (const button of ui.switcher.querySelectorAll("button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === view));
    if (button.dataset.view === "scalar") {
      button.setAttribute("aria-disabled", String(!scalarAllowed));
      if (scalarAllowed) button.removeAttribute("aria-describedby");
      else button.setAttribute("aria-describedby", ui.note.id);
    }
  }
  const weights = countWeights(state.network.layer_sizes);
  ui.note.hidden = scalarAllowed;
  ui.note.textContent = scalarAllowed ? "" : `The computational graph has a node per weight and is drawn up to `
    + `${SCALAR_WEIGHT_LIMIT} weights; this network has ${weights}.`
    + (state.view === "scalar" ? " Showing the layer graph instead." : "");
  const graphView = views[view].setCollapsed ? views[view] : null;
  ui.collapse.hidden = !graphView;
  if (graphView) ui.collapse.setAttribute("aria-pressed", String(graphView.collapsed));

  const { trace } = state;
  const size = trace ? batchSize(trace) : 0;
  if (ui.sample.options.length !== size) {
    ui.sample.replaceChildren(...Array.from({ length: size }, (_, i) => html("option", { value: i }, `${i + 1} of ${size}`)));
  }
  const sample = size ? clamp(state.sample, size) : 0;
  ui.sample.value = String(sample);
  ui.sample.disabled = size < 2;
  const batch = trace && state.dataset ? context.steppingBatch(state) : null;
  ui.sampleInfo.textContent = batch && batch.inputs[sample]
    ? `x = [${batch.inputs[sample].map((v) => formatNumber(v, 3)).join(", ")}], `
      + `y = [${batch.targets[sample].map((v) => formatNumber(v, 3)).join(", ")}]`
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
