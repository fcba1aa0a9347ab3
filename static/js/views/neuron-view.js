// The neuron diagram: neurons in columns per layer, an edge per weight, a bias badge per neuron
// and, for data with 1 or 2 inputs, each computing neuron's map over the input plane. Built once
// per network shape (neuron-layout.js); each stage, sample or selection only restyles it
// (neuron-paint.js, neuron-maps.js). Clicks on thin edges are matched by distance.

import { countWeights, layerSizes, recordedInputs } from "../trace/model.js";
import { build } from "./neuron-layout.js";
import { mappable, knownMode } from "./map-model.js";
import { caption, neuronModel, scalesOf } from "./neuron-model.js";
import { createMotion, planStep } from "./neuron-motion.js";
import { createMapPainter } from "./neuron-maps.js";
import { itemOf, nearestEdge, neighbourOf, pointOnMap, selectionOf } from "./neuron-pick.js";
import { paintStepCallout } from "./neuron-step-callout.js";
import { paint, paintSelection } from "./neuron-paint.js";

// How many times as long as at 1× the motion takes: slower at a lower speed, three times as
// long in slow motion.
export const motionScale = (pace) => (pace && pace.slow ? 3 : 1) / ((pace && pace.speed) || 1);

// Whether the diagram makes room for maps: they are on and the data have 1 or 2 inputs.
export const withMaps = (state) => knownMode(state.maps) !== "off" && mappable(state.dataset);

// The forward stages' activations, as a layout takes them.
export const activationNames = (trace) => trace.stages.filter((s) => s.phase === "forward").map((s) => s.activation_name);

// A point on screen in the SVG's own units.
function svgPoint(svg, clientX, clientY) {
  const matrix = svg.getScreenCTM();
  return matrix ? new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse()) : null;
}

// {palette, limits, catalog}: the colours, the catalog's limits (a network with more weights
// than the scalar graph allows keeps its weights out of the Tab order) and its losses.
export function createNeuronView({ palette, limits, catalog, onMotion = () => {} }) {
  let shapeKey = "";
  let parts = null;
  let shown = null; // the view last painted or being moved towards
  const motion = createMotion(onMotion);
  const scaleCache = new WeakMap();
  const paintMaps = createMapPainter(palette, catalog);

  // The drawing for this network and canvas size, built again when the network changes, maps
  // come or go, or the canvas changes by more than a few percent (a smaller change is taken up
  // by scaling the drawing).
  function partsFor(trace, sizes, size, maps) {
    const key = `${sizes.join("-")}:${maps}`;
    const drawn = parts && parts.g;
    const resized = !drawn || Math.abs(size.width - drawn.width) > 0.06 * drawn.width
      || Math.abs(size.height - drawn.height) > 0.06 * drawn.height;
    if (key !== shapeKey || resized) {
      motion.finish();
      parts = build(sizes, activationNames(trace), countWeights(sizes) > limits.max_scalar_weights,
        Math.max(240, size.width), Math.max(200, size.height), maps);
      shapeKey = key;
      shown = null;
    }
    return parts;
  }

  const paintAll = () => {
    paint(parts, shown, palette);
    paintMaps(parts, shown);
  };

  function render({ state, trace, inputs: batchInputs, size }) {
    const inputs = recordedInputs(trace) || batchInputs;
    const sizes = layerSizes(trace);
    partsFor(trace, sizes, size, withMaps(state));
    if (!scaleCache.has(trace)) scaleCache.set(trace, scalesOf(trace, inputs));
    const view = neuronModel(state, inputs, sizes, scaleCache.get(trace));
    const arrived = !shown || shown.trace !== view.trace || shown.stageAt !== view.stageAt
      || shown.eventKey !== view.eventKey || shown.sample !== view.sample;
    if (arrived) {
      const plan = planStep(shown, view, parts, catalog);
      motion.finish();
      shown = view;
      motion.play(parts, plan, motionScale(state.pace), paintAll);
    } else {
      shown = view;
      if (!motion.running) paintAll();
    }
    paintSelection(parts, view.selection);
    paintStepCallout(parts, view, palette);
    return { svg: parts.svg, caption: caption(view) };
  }

  return { render, ...finding(() => parts, () => shown), selectionFor: selectionOf };
}

// Finding things in the drawing `parts()` for the view `shown()`: where Shift with an arrow walks,
// the thin edge near the pointer, the data point under it on a map, and the hover halo.
function finding(parts, shown) {
  const elementOf = (item) => {
    if (!item) return null;
    return item.kind === "neuron" ? parts().neurons[item.l][item.j].node : parts().weights[item.l][item.j][item.k].line.node;
  };
  return {
    neighbour: (element, key) => {
      const item = itemOf(element);
      return item && (item.kind === "neuron" || item.kind === "weight") ? elementOf(neighbourOf(parts().sizes, item, key)) : null;
    },
    // The weight edge nearest to a point on screen (thin edges are picked by distance).
    pick(clientX, clientY) {
      const p = svgPoint(parts().svg, clientX, clientY);
      const edge = p && nearestEdge(parts().edges, p);
      return edge ? edge.line.node : null;
    },
    // The data point drawn on a map under a point on screen (its index in the data), or null.
    sampleAt(clientX, clientY) {
      const p = shown() && svgPoint(parts().svg, clientX, clientY);
      return p ? pointOnMap(parts().g, parts().sizes, p, shown().neuronMaps, shown().dataset) : null;
    },
    hover(element) {
      const edge = element && element.dataset.weight ? parts().edgeOf.get(element.dataset.weight) : null;
      placeHalo(parts().hoverHalo, edge);
    },
  };
}

function placeHalo(halo, edge) {
  halo.attr("visibility", edge ? "visible" : "hidden");
  if (!edge) return;
  for (const name of ["x1", "y1", "x2", "y2"]) halo.attr(name, edge[name]);
}
