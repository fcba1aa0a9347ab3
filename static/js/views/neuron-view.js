// The neuron diagram: neurons in columns per layer, an edge per weight and a bias badge per
// neuron. Built once per network shape (neuron-layout.js); each stage, sample or selection only
// restyles it (neuron-paint.js). Clicks on thin edges are matched by distance.

import { clamp, countWeights, layerSizes, recordedInputs } from "../trace/model.js";
import { build } from "./neuron-layout.js";
import { caption, neuronModel, scalesOf } from "./neuron-model.js";
import { createPulses } from "./neuron-motion.js";
import { paint } from "./neuron-paint.js";

const PICK_DISTANCE = 6; // a click this close to an edge (in SVG units) hits it

// The selection an element of the diagram stands for: a neuron, a weight or a bias.
function selectionOf(target) {
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

// {palette, limits}: the colours, and the catalog's limits (a network with more weights than
// the scalar graph allows keeps its weights out of the Tab order).
export function createNeuronView({ palette, limits }) {
  let shapeKey = "";
  let parts = null;
  const pulses = createPulses();
  const scaleCache = new WeakMap();

  function render({ state, trace, inputs: batchInputs }) {
    const inputs = recordedInputs(trace) || batchInputs;
    const sizes = layerSizes(trace);
    const key = sizes.join("-");
    if (key !== shapeKey) {
      parts = build(sizes, trace.stages.filter((s) => s.phase === "forward").map((s) => s.activation_name),
        countWeights(sizes) > limits.max_scalar_weights);
      shapeKey = key;
      pulses.reset();
    }
    if (!scaleCache.has(trace)) scaleCache.set(trace, scalesOf(trace, inputs));
    const view = neuronModel(state, inputs, sizes, scaleCache.get(trace));
    paint(parts, view, palette);
    pulses.play(parts, view);
    return { svg: parts.svg, caption: caption(view) };
  }

  // Arrow keys walk the network: up and down within a layer (or through a layer's weights),
  // left and right along the edges. Returns the element to focus, or null.
  function neighbour(element, key) {
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
  function pick(clientX, clientY) {
    const matrix = parts.svg.getScreenCTM();
    if (!matrix) return null;
    const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    let best = null;
    let bestDistance = PICK_DISTANCE ** 2;
    for (const edge of parts.edges) {
      if (p.x < edge.x1 || p.x > edge.x2) continue;
      const distance = segmentDistance(p, edge);
      if (distance < bestDistance) [best, bestDistance] = [edge, distance];
    }
    return best ? best.line.node : null;
  }

  function hover(element) {
    const edge = element && element.dataset.weight ? parts.edgeOf.get(element.dataset.weight) : null;
    placeHalo(parts.hoverHalo, edge);
  }

  return { render, neighbour, pick, hover, selectionFor: selectionOf };
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
