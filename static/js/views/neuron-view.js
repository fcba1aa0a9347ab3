// The neuron diagram: neurons in columns per layer, an edge per weight and a bias badge per
// neuron. Built once per network shape (neuron-layout.js); each stage, sample or selection only
// restyles it (neuron-paint.js). Clicks on thin edges are matched by distance.

import { clamp, countWeights, layerSizes, recordedInputs } from "../trace/model.js";
import { TOUCH, build } from "./neuron-layout.js";
import { caption, neuronModel, scalesOf } from "./neuron-model.js";
import { createMotion, planStep } from "./neuron-motion.js";
import { paintStepCallout } from "./neuron-step-callout.js";
import { paint, paintSelection } from "./neuron-paint.js";

// A click this close to an edge (in px) hits it: half a tap target on a touch screen.
const PICK_DISTANCE = matchMedia("(pointer: coarse)").matches ? TOUCH / 2 : 6;

// The selection an element of the diagram stands for: a neuron, a weight or a bias.
export function selectionOf(target) {
  if (target.dataset.neuron) {
    const [layer, j] = target.dataset.neuron.split("-").map(Number);
    return { kind: "neuron", layer, j };
  }
  if (target.dataset.weight) {
    const [layer, j, k] = target.dataset.weight.split("-").map(Number);
    return { kind: "weight", layer, j, k };
  }
  if (target.dataset.bias) {
    const [layer, j] = target.dataset.bias.split("-").map(Number);
    return { kind: "bias", layer, j };
  }
  return null;
}

// How many times as long as at 1× the motion takes: slower at a lower speed, three times as
// long in slow motion.
const motionScale = (pace) => (pace && pace.slow ? 3 : 1) / ((pace && pace.speed) || 1);

// {palette, limits, catalog}: the colours, the catalog's limits (a network with more weights
// than the scalar graph allows keeps its weights out of the Tab order) and its losses.
export function createNeuronView({ palette, limits, catalog, onMotion = () => {} }) {
  let shapeKey = "";
  let parts = null;
  let shown = null; // the view last painted or being moved towards
  const motion = createMotion(onMotion);
  const scaleCache = new WeakMap();

  // The drawing for this network and canvas size, built again when the network changes or the
  // canvas by more than a few percent (a smaller change is taken up by scaling the drawing).
  function partsFor(trace, sizes, size) {
    const key = sizes.join("-");
    const drawn = parts && parts.g;
    const resized = !drawn || Math.abs(size.width - drawn.width) > 0.06 * drawn.width
      || Math.abs(size.height - drawn.height) > 0.06 * drawn.height;
    if (key !== shapeKey || resized) {
      motion.finish();
      parts = build(sizes, trace.stages.filter((s) => s.phase === "forward").map((s) => s.activation_name),
        countWeights(sizes) > limits.max_scalar_weights, Math.max(240, size.width), Math.max(200, size.height));
      shapeKey = key;
      shown = null;
    }
    return parts;
  }

  function render({ state, trace, inputs: batchInputs, size }) {
    const inputs = recordedInputs(trace) || batchInputs;
    const sizes = layerSizes(trace);
    partsFor(trace, sizes, size);
    if (!scaleCache.has(trace)) scaleCache.set(trace, scalesOf(trace, inputs));
    const view = neuronModel(state, inputs, sizes, scaleCache.get(trace));
    const arrived = !shown || shown.trace !== view.trace || shown.stageAt !== view.stageAt
      || shown.eventKey !== view.eventKey || shown.sample !== view.sample;
    if (arrived) {
      const plan = planStep(shown, view, parts, catalog);
      motion.finish();
      shown = view;
      motion.play(parts, plan, motionScale(state.pace), () => paint(parts, shown, palette));
    } else {
      shown = view;
      if (!motion.running) paint(parts, view, palette);
    }
    paintSelection(parts, view.selection);
    paintStepCallout(parts, view, palette);
    return { svg: parts.svg, caption: caption(view) };
  }

  return {
    render,
    neighbour: (element, key) => neighbour(parts, element, key),
    pick: (clientX, clientY) => pick(parts, clientX, clientY),
    hover(element) {
      const edge = element && element.dataset.weight ? parts.edgeOf.get(element.dataset.weight) : null;
      placeHalo(parts.hoverHalo, edge);
    },
    selectionFor: selectionOf,
  };
}


function segmentDistance(p, { x1, y1, x2, y2 }) {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const t = Math.max(0, Math.min(1, ((p.x - x1) * dx + (p.y - y1) * dy) / (dx * dx + dy * dy)));
  return (p.x - x1 - t * dx) ** 2 + (p.y - y1 - t * dy) ** 2;
}

function placeHalo(halo, edge) {
  halo.attr("visibility", edge ? "visible" : "hidden");
  if (!edge) return;
  for (const name of ["x1", "y1", "x2", "y2"]) halo.attr(name, edge[name]);
}

// Arrow keys walk the network: up and down within a layer (or through a layer's weights),
// left and right along the edges. Returns the element to focus, or null.
function neighbour(parts, element, key) {
  const { sizes } = parts;
  const L = sizes.length - 1;
  const down = key === "ArrowDown" ? 1 : -1;
  if (element.dataset.neuron) {
    const [l, j] = element.dataset.neuron.split("-").map(Number);
    if (key === "ArrowUp" || key === "ArrowDown") return parts.neurons[l][clamp(j + down, sizes[l])].node;
    if (key === "ArrowLeft" && l > 0) return parts.weights[l][j][0].line.node;
    if (key === "ArrowRight" && l < L) return parts.weights[l + 1][0][j].line.node;
  }
  if (element.dataset.weight) {
    const [l, j, k] = element.dataset.weight.split("-").map(Number);
    if (key === "ArrowLeft") return parts.neurons[l - 1][k].node;
    if (key === "ArrowRight") return parts.neurons[l][j].node;
    const flat = clamp(j * sizes[l - 1] + k + down, sizes[l] * sizes[l - 1]);
    return parts.weights[l][Math.floor(flat / sizes[l - 1])][flat % sizes[l - 1]].line.node;
  }
  return null;
}

// The weight edge nearest to a point on screen, if it is close enough to count as a hit:
// edges are thin, so clicks and hovers are matched by distance rather than by the pixel.
function pick(parts, clientX, clientY) {
  const matrix = parts.svg.getScreenCTM();
  if (!matrix) return null;
  const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
  let best = null;
  let bestDistance = PICK_DISTANCE ** 2;
  for (const edge of parts.edges) {
    if (Math.min(edge.x1, edge.x2) - PICK_DISTANCE > p.x || p.x > Math.max(edge.x1, edge.x2) + PICK_DISTANCE) continue;
    const distance = segmentDistance(p, edge);
    if (distance < bestDistance) [best, bestDistance] = [edge, distance];
  }
  return best ? best.line.node : null;
}
