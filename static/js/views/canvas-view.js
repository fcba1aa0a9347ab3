// The neuron diagram drawn on a canvas, for networks with more edges than an SVG element each
// animates smoothly (registry.js picks it above a size): the SVG view's geometry, picture, maps,
// packets, picking and keys. The picture is painted only when what it shows changes; the packets
// move on a second canvas over it. What the pointer is on, or the keys have reached, is a small
// stand-in element with the same data attributes and label as the SVG view's element, so the
// diagram panel selects, describes and focuses it alike; Export saves the picture as PNG.

import { el } from "../core/dom.js";
import { countWeights, layerSizes, recordedInputs } from "../trace/model.js";
import { biasSymbol, weightSymbol } from "../trace/notation.js";
import { canvasParts } from "./canvas-layout.js";
import { createCanvasMaps } from "./canvas-maps.js";
import { createCanvasMotion } from "./canvas-motion.js";
import { paintDiagram } from "./canvas-paint.js";
import { caption, neuronLabel, neuronModel, neuronQuantity, paramLabel, paramQuantity, scalesOf } from "./neuron-model.js";
import { planStep } from "./neuron-motion.js";
import { countMaps } from "./neuron-maps.js";
import { itemOf, nearestEdge, neighbourOf, pointOnMap, selectionOf } from "./neuron-pick.js";
import { activationNames, motionScale, withMaps } from "./neuron-view.js";

const within = (p, x, y, w, h) => p.x >= x && p.x <= x + w && p.y >= y && p.y <= y + h;
const idOf = (item) => (item.kind === "weight" ? `${item.l}-${item.j}-${item.k}` : `${item.l}-${item.j}`);

// The part of the diagram at point p: a bias badge, a neuron (its pill or its map), or the
// nearest edge; null for none.
function itemAt(parts, p) {
  const { g, sizes } = parts;
  for (let l = 0; l < sizes.length; l += 1) {
    for (let j = 0; j < sizes[l]; j += 1) {
      const bias = l > 0 && g.bias(l, j);
      if (bias && within(p, bias.x - bias.hit / 2, bias.y - bias.hit / 2, bias.hit, bias.hit)) return { kind: "bias", l, j };
      const { x, y } = g.at(l, j);
      const map = g.mapBox(l, j);
      if (within(p, x - g.pill.width / 2, y - g.pill.height / 2, g.pill.width, g.pill.height)
        || (map && within(p, map.x, map.y, map.size, map.size))) return { kind: "neuron", l, j };
    }
  }
  const edge = nearestEdge(parts.edges, p);
  return edge && { kind: "weight", l: edge.l, j: edge.j, k: edge.k };
}

// Where an item is on the canvas, as a box for the focus ring: a pill, a badge, or a small
// square at an edge's middle.
function boxOf(parts, item) {
  const { g } = parts;
  if (item.kind === "bias") {
    const { x, y, size } = g.bias(item.l, item.j);
    return { x: x - size / 2, y: y - size / 2, w: size, h: size };
  }
  if (item.kind === "neuron") {
    const { x, y } = g.at(item.l, item.j);
    return { x: x - g.pill.width / 2, y: y - g.pill.height / 2, w: g.pill.width, h: g.pill.height };
  }
  const edge = parts.edgeOf.get(idOf(item));
  return { x: (edge.x1 + edge.x2) / 2 - 8, y: (edge.y1 + edge.y2) / 2 - 8, w: 16, h: 16 };
}

// An item's label, as the SVG view's aria-label says it for this stage.
function labelOf(view, item) {
  if (item.kind === "neuron") return neuronLabel(item.l, item.j, neuronQuantity(view, item.l, item.j), view.sample);
  const q = paramQuantity(view, item.kind, item.l, item.j, item.k);
  return paramLabel(item.kind, item.kind === "weight" ? weightSymbol(item.l, item.j, item.k) : biasSymbol(item.l, item.j), q);
}

// Writes an item onto an element: the data attribute the SVG view's element has, and its label.
function describe(element, item, view) {
  for (const name of ["neuron", "weight", "bias"]) delete element.dataset[name];
  element.dataset[item.kind] = idOf(item);
  element.setAttribute("aria-label", labelOf(view, item));
  return element;
}

function halo(ctx, parts, item, alpha) {
  if (!item || item.kind !== "weight") return;
  const edge = parts.edgeOf.get(idOf(item));
  if (!edge) return;
  ctx.strokeStyle = `rgba(0,0,0,${alpha})`;
  ctx.lineWidth = Math.max(5, Math.min(14, parts.g.rowSpace * 0.2));
  ctx.lineCap = "round";
  ctx.beginPath();
  ctx.moveTo(edge.x1, edge.y1);
  ctx.lineTo(edge.x2, edge.y2);
  ctx.stroke();
}

function buildElements() {
  const root = el("div", { class: "canvas-diagram", role: "group", "data-motion": "idle",
    "aria-label": "Neuron diagram, drawn on a canvas: Tab to it, then Shift with the arrows walks the network" });
  const base = el("canvas", { class: "canvas-base", "aria-hidden": "true" });
  const overlay = el("canvas", { class: "canvas-overlay", "aria-hidden": "true" });
  const focus = el("div", { class: "canvas-focus", role: "button", tabindex: "0" });
  root.append(base, overlay, focus);
  return { root, base, overlay, focus };
}

// Both canvases sized for the layout, in device pixels, drawn in CSS pixels.
function sizeCanvases(dom, g) {
  const scale = Math.min(2, globalThis.devicePixelRatio || 1);
  for (const canvas of [dom.base, dom.overlay]) {
    canvas.width = Math.round(g.width * scale);
    canvas.height = Math.round(g.height * scale);
    canvas.style.width = `${g.width}px`;
    canvas.style.height = `${g.height}px`;
    canvas.getContext("2d").setTransform(scale, 0, 0, scale, 0, 0);
  }
  dom.root.dataset.numberPx = g.withText ? g.font.toFixed(1) : "0";
}

// The picture for the view of this stage (or `view`), painted only when something it shows has
// changed.
function paintBase(self, view = self.shown) {
  cancelAnimationFrame(self.paintLater);
  const { parts } = self;
  const key = [view.stageAt, view.sample, view.eventKey, view.edges, JSON.stringify(view.selection),
    view.mapMode].join("|");
  if (key === self.paintedKey && view.trace === self.paintedTrace && view.neuronMaps === self.paintedMaps) return;
  Object.assign(self, { paintedKey: key, paintedTrace: view.trace, paintedMaps: view.neuronMaps });
  paintDiagram(self.ctx, parts, view, self.palette, countWeights(parts.sizes) > self.limits.max_scalar_weights);
  self.paintMaps(self.ctx, parts, view);
  countMaps(self.dom.root, parts.g.map ? view.neuronMaps : null, self.drawnMaps);
  describe(self.dom.focus, self.focused, view);
}

// The focus ring's stand-in over the item the keys have reached.
function placeFocus(self) {
  const box = boxOf(self.parts, self.focused);
  Object.assign(self.dom.focus.style, { left: `${box.x}px`, top: `${box.y}px`, width: `${box.w}px`, height: `${box.h}px` });
  if (self.shown) describe(self.dom.focus, self.focused, self.shown);
  else self.dom.focus.dataset.neuron = idOf(self.focused);
}

// The layout for this network, maps and canvas size, made again when any of them changes.
function layoutFor(self, trace, sizes, size, maps) {
  const width = Math.max(240, Math.round(size.width));
  const height = Math.max(200, Math.round(size.height));
  const key = `${sizes.join("-")}:${maps}:${width}x${height}`;
  if (key === self.layoutKey) return;
  self.motion.finish();
  Object.assign(self, { parts: canvasParts(sizes, activationNames(trace), width, height, maps), layoutKey: key,
    shown: null, paintedKey: "" });
  sizeCanvases(self.dom, self.parts.g);
  const { l, j } = self.focused;
  if (l >= sizes.length || j >= sizes[l]) self.focused = { kind: "neuron", l: 0, j: 0 };
  placeFocus(self);
}

function deferredPaint(self, view) {
  cancelAnimationFrame(self.paintLater);
  return requestAnimationFrame(() => {
    self.paintLater = requestAnimationFrame(() => paintBase(self, view));
  });
}

function render(self, { state, trace, inputs: batchInputs, size }) {
  const inputs = recordedInputs(trace) || batchInputs;
  const sizes = layerSizes(trace);
  layoutFor(self, trace, sizes, size, withMaps(state));
  if (!self.scales.has(trace)) self.scales.set(trace, scalesOf(trace, inputs));
  const view = neuronModel(state, inputs, sizes, self.scales.get(trace));
  const { shown } = self;
  const arrived = !shown || shown.trace !== view.trace || shown.stageAt !== view.stageAt
    || shown.eventKey !== view.eventKey || shown.sample !== view.sample;
  if (arrived) {
    const plan = planStep(shown, view, self.parts, self.catalog);
    // A step while the last one still moves: its end picture is painted two frames on, so the
    // step's own work and that paint fall in different frames (each under a frame's time on
    // the largest network, where together they were not).
    const moving = self.motion.running;
    self.motion.finish(moving ? () => { self.paintLater = deferredPaint(self, shown); } : undefined);
    self.shown = view;
    self.motion.play({ ctx: self.overlayCtx, parts: self.parts, root: self.dom.root }, plan, motionScale(state.pace),
      () => paintBase(self));
  } else {
    self.shown = view;
    if (!self.motion.running) paintBase(self);
  }
  return { svg: self.dom.root, caption: caption(view) };
}

// What the diagram panel asks of a view beyond drawing: what is under the pointer (as a stand-in
// element), the data point on a map there, where Shift with an arrow walks, the hover halo, and
// the picture as a PNG.
function finding(self) {
  const standIns = new Map();
  const pointAt = (clientX, clientY) => {
    const box = self.dom.base.getBoundingClientRect();
    return { x: clientX - box.left, y: clientY - box.top };
  };
  const still = () => self.motion.still(self.overlayCtx, self.parts);
  return {
    pick(clientX, clientY) {
      const item = self.parts && self.shown ? itemAt(self.parts, pointAt(clientX, clientY)) : null;
      if (!item) return null;
      const id = `${item.kind}:${idOf(item)}`;
      if (!standIns.has(id)) standIns.set(id, el("div"));
      return describe(standIns.get(id), item, self.shown);
    },
    sampleAt(clientX, clientY) {
      const { parts, shown } = self;
      return parts && shown ? pointOnMap(parts.g, parts.sizes, pointAt(clientX, clientY), shown.neuronMaps, shown.dataset)
        : null;
    },
    neighbour(element, key) {
      const item = itemOf(element);
      const next = item && neighbourOf(self.parts.sizes, item, key);
      if (!next) return null;
      self.focused = next;
      placeFocus(self);
      self.dom.focus.blur(); // focused again by the panel: the tooltip follows
      still();
      return self.dom.focus;
    },
    hover(element) {
      self.hovered = element && element !== self.dom.focus ? itemOf(element) : null;
      still();
    },
    exportImage: () => new Promise((resolve) => { self.dom.base.toBlob(resolve, "image/png"); }),
  };
}

export function createCanvasView({ palette, limits, catalog, onMotion = () => {} }) {
  const dom = buildElements();
  const self = {
    dom, palette, limits, catalog, ctx: dom.base.getContext("2d"), overlayCtx: dom.overlay.getContext("2d"),
    paintMaps: createCanvasMaps(palette, catalog), scales: new WeakMap(), drawnMaps: { maps: null },
    parts: null, layoutKey: "", shown: null, paintedKey: "", hovered: null, focused: { kind: "neuron", l: 0, j: 0 },
  };
  self.motion = createCanvasMotion(onMotion, (context) => {
    if (!self.parts) return;
    halo(context, self.parts, self.hovered, 0.15);
    if (dom.focus.matches(":focus")) halo(context, self.parts, self.focused, 0.3);
  });
  for (const name of ["focus", "blur"]) {
    dom.focus.addEventListener(name, () => self.parts && self.motion.still(self.overlayCtx, self.parts));
  }
  return { render: (input) => render(self, input), ...finding(self), selectionFor: selectionOf };
}
