// The diagram views, in the order the switcher offers them. Each entry says what it draws from
// and when it can be drawn:
//   {id, label, trace: "trace" | "scalarTrace", needs(state, limits) -> "" | why not,
//    fallback (the view drawn instead), create({palette, limits}) -> view}
// and, optionally, drawnBy(state) -> the id of another view that draws the same picture for
// this state, shownAs (the switcher button that stands for it; it has none of its own) and
// offered(state) -> false where the switcher leaves it out (a view only some data have).
// A view is {render({state, trace, inputs}) -> {svg, caption}, pick(x, y) -> element or null,
// selectionFor(element, current) -> selection or null} plus, optionally, neighbour(element,
// key), hover(element), sampleAt(x, y) (the data point a click on a map picks), exportImage()
// (a PNG, for a view with no SVG), collapsed and setCollapsed(on). A new view is one
// `registerView` call.

import { countWeights } from "../trace/model.js";
import { createCanvasView } from "./canvas-view.js";
import { createGraphView } from "./graph-view.js";
import { imageShapeOf } from "./image-model.js";
import { createImageView, imageViewNeeds } from "./image-view.js";
import { createNeuronView } from "./neuron-view.js";

// Above this many weights the neuron diagram is drawn on a canvas: an SVG element per edge then
// costs more to restyle and animate than a frame allows in software rendering.
export const CANVAS_WEIGHTS = 512;

export const VIEWS = [];

export function registerView(view) {
  VIEWS.push({ trace: "trace", needs: () => "", fallback: null, drawnBy: () => null, ...view });
}

registerView({ id: "neurons", label: "Neurons", create: createNeuronView,
  drawnBy: (state) => (countWeights(state.network.layer_sizes) > CANVAS_WEIGHTS ? "canvas" : null) });
// A link can ask for the canvas at any size (view=canvas): a PNG of a small network, say.
registerView({ id: "canvas", label: "Neurons (canvas)", shownAs: "neurons", create: createCanvasView });
registerView({ id: "layers", label: "Layer graph", create: (context) => createGraphView("layer", context) });
registerView({
  id: "scalar",
  label: "Computational graph",
  trace: "scalarTrace",
  fallback: "layers",
  create: (context) => createGraphView("scalar", context),
  needs(state, limits) {
    const weights = countWeights(state.network.layer_sizes);
    return weights <= limits.max_scalar_weights ? "" : `The computational graph has a node per weight `
      + `and is drawn up to ${limits.max_scalar_weights} weights; this network has ${weights}.`;
  },
});

registerView({ id: "image", label: "Image", fallback: "neurons", create: createImageView, needs: imageViewNeeds,
  offered: (state) => Boolean(imageShapeOf(state)) });

export const viewById = (id) => VIEWS.find((view) => view.id === id);

// The view actually drawn for the state: the one asked for (or the view that draws it at this
// size), or its fallback when it cannot be drawn (the first view for an unknown id).
export function viewFor(state, limits) {
  const drawn = (view) => viewById(view.drawnBy(state)) || view;
  const wanted = drawn(viewById(state.view) || VIEWS[0]);
  return wanted.needs(state, limits) && wanted.fallback ? drawn(viewById(wanted.fallback)) : wanted;
}
