// The drawing pad, for image data (the digits): draw with the mouse, a pen or a finger and the
// drawing runs through the network at once, forward and backward (POST /api/v1/iterations with
// the current parameters, nothing updated): the engine's probabilities for each class, and the
// saliency ∂C/∂x beside the drawing for the digit the learner says it is. The drawing and its
// label are in the state (pad, padLabel), so a link carries them.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { selectField } from "../core/fields.js";
import { maxAbs, readPalette, signColour } from "../core/svg.js";
import { findStage, layerSizes, sampleIndex } from "../trace/model.js";
import { imageShapeOf } from "../views/image-model.js";
import { drawPixels, ink } from "../views/pixel-canvas.js";
import { blankPad, dab, fromSample, padBody, padPixels, padText, stroke } from "./pad-model.js";

function buildUi(classes, onLabel) {
  const canvas = el("canvas", { class: "pad", "data-testid": "draw-pad", role: "img",
    "aria-label": "Drawing pad: press and drag to draw, with Erase on (or the right button) to rub out" });
  const saliency = el("canvas", { class: "pad pad-saliency", "data-testid": "pad-saliency", role: "img",
    "aria-label": "∂C/∂x of the drawing" });
  const label = selectField({ label: "It is a", testid: "pad-label",
    options: Array.from({ length: classes }, (_, c) => [String(c), String(c)]), onChange: (v) => onLabel(Number(v)) });
  const ui = {
    canvas, saliency, label,
    erase: el("input", { type: "checkbox", "data-testid": "pad-erase" }),
    clear: el("button", { type: "button", text: "Clear", "data-testid": "pad-clear" }),
    copy: el("button", { type: "button", text: "Copy the sample", "data-testid": "pad-copy",
      title: "Put the diagram's current sample on the pad, to change it" }),
    bars: el("ol", { class: "pad-bars", "data-testid": "pad-probabilities", start: "0" }),
    verdict: el("p", { class: "pad-verdict", role: "status", "data-testid": "pad-verdict" }),
  };
  ui.element = [
    el("p", { class: "field-note", text: "Draw a digit: it runs through the network at once, forward and backward." }),
    el("div", { class: "pad-row" },
      el("figure", {}, canvas, el("figcaption", { text: "your drawing, x" })),
      el("figure", {}, saliency, el("figcaption", { text: "∂C/∂x for the digit it is" }))),
    el("div", { class: "pad-tools" }, label.element, el("label", { class: "checkbox" }, ui.erase, " Erase"), ui.clear, ui.copy),
    ui.verdict, ui.bars];
  return ui;
}

// The bars of the engine's outputs for the drawing, the chosen class marked.
function showResult(ui, trace, label, palette, shape) {
  const L = trace.params_before.weights.length;
  const values = findStage(trace, "forward", L).activation[0];
  const grad = findStage(trace, "backward", 1).grad_inputs[0];
  const scale = maxAbs(grad);
  drawPixels(ui.saliency, shape, grad, (value) => signColour(value, scale, palette));
  const best = values.indexOf(Math.max(...values));
  ui.bars.replaceChildren(...values.map((p, c) => {
    const bar = el("span", { class: "pad-bar" });
    bar.style.setProperty("width", `${(100 * Math.max(0, Math.min(1, p))).toFixed(1)}%`);
    return el("li", { class: `${c === best ? "best" : ""}${c === label ? " chosen" : ""}`, "data-class": c },
      el("span", { class: "pad-class", text: String(c) }), el("span", { class: "pad-track" }, bar),
      el("span", { class: "num", "data-value": String(p), text: formatNumber(p, 2) }));
  }));
  ui.verdict.textContent = `The network says ${best} (${formatNumber(values[best], 3)}). Its loss for ${label}: `
    + `${formatNumber(trace.loss)}; the saliency shows which pixels would change that loss most.`;
}

// Requests one at a time: while one is out, only the newest drawing waits for its turn.
function createRunner(services, onTrace, onError) {
  let busy = false;
  let waiting = null;
  const send = async (body) => {
    busy = true;
    try {
      onTrace(await services.api.iteration(body));
    } catch (error) {
      onError(error);
    }
    busy = false;
    if (waiting) {
      const next = waiting;
      waiting = null;
      send(next);
    }
  };
  return (body) => { if (busy) waiting = body; else send(body); };
}

// Pointer strokes on the canvas: ink while pressed (erasing with Erase on or the right button).
function bindDrawing(ui, pad, changed, finished) {
  const at = (event) => {
    const box = ui.canvas.getBoundingClientRect();
    return { x: ((event.clientX - box.left) / box.width) * pad.shape[1], y: ((event.clientY - box.top) / box.height) * pad.shape[0] };
  };
  let last = null;
  let erase = false;
  ui.canvas.addEventListener("contextmenu", (event) => event.preventDefault());
  ui.canvas.addEventListener("pointerdown", (event) => {
    if (!pad.shape) return;
    event.preventDefault();
    ui.canvas.setPointerCapture(event.pointerId);
    erase = ui.erase.checked || event.button === 2;
    last = at(event);
    changed(dab(pad.pixels, pad.shape, last.x, last.y, erase));
  });
  ui.canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const next = at(event);
    changed(stroke(pad.pixels, pad.shape, last, next, erase));
    last = next;
  });
  const end = () => { if (last) { last = null; finished(); } };
  ui.canvas.addEventListener("pointerup", end);
  ui.canvas.addEventListener("pointercancel", end);
}

export function mountDrawPad(root, store, services) {
  const pad = { shape: null, pixels: [], palette: readPalette(root) };
  const classes = () => store.get().network.layer_sizes.at(-1);
  const ui = buildUi(10, (label) => store.set({ padLabel: label }));
  root.append(...ui.element);
  const run = createRunner(services, (trace) => showResult(ui, trace, store.get().padLabel, pad.palette, pad.shape),
    (error) => { ui.verdict.textContent = `The drawing could not be run: ${error.message}`; });
  // Each drawing, label and trace runs once.
  const send = () => {
    const state = store.get();
    const key = `${padText(pad.pixels)}:${state.padLabel}`;
    if (!pad.shape || !state.trace || (state.trace === pad.trace && key === pad.key)) return;
    // Just after the network changed, the trace may still be the old network's.
    if (layerSizes(state.trace).join() !== state.network.layer_sizes.join()) return;
    Object.assign(pad, { trace: state.trace, key });
    run(padBody(state, state.trace.params_before, pad.pixels, state.padLabel));
  };
  const changed = (pixels) => {
    pad.pixels = pixels;
    drawPixels(ui.canvas, pad.shape, pixels, ink);
    send();
  };
  const keep = () => store.set({ pad: padText(pad.pixels) });
  bindDrawing(ui, pad, changed, keep);
  ui.clear.addEventListener("click", () => { changed(blankPad(pad.shape)); keep(); });
  ui.copy.addEventListener("click", () => {
    const state = store.get();
    const row = state.trace && services.batch(state).inputs[sampleIndex(state, state.trace)];
    if (row) { changed(fromSample(row)); keep(); }
  });
  const render = (state) => {
    const shape = imageShapeOf(state);
    root.classList.toggle("unavailable", !shape || classes() < 2);
    if (!shape) return;
    const fresh = !pad.shape || pad.shape.join() !== shape.join();
    pad.shape = shape;
    const stored = padPixels(state.pad, shape);
    if (stored || fresh) pad.pixels = stored || blankPad(shape);
    ui.label.set(String(Math.min(state.padLabel, classes() - 1)));
    drawPixels(ui.canvas, shape, pad.pixels, ink);
    send();
  };
  store.subscribe(["dataset", "network", "trace", "pad", "padLabel"], render);
  render(store.get());
}
