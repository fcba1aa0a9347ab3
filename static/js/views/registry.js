// The diagram views, in the order the switcher offers them. Each entry says what it draws from
// and when it can be drawn:
//   {id, label, trace: "trace" | "scalarTrace", needs(state, limits) -> "" | why not,
//    fallback (the view drawn instead), create({palette, limits}) -> view, and optionally
//    offered(state) -> false where the switcher leaves it out (a view only some data have)}
// and a view is {render({state, trace, inputs}) -> {svg, caption}, pick(x, y) -> element or null,
// selectionFor(element, current) -> selection or null} plus, optionally, neighbour(element,
// key), hover(element), collapsed and setCollapsed(on). A new view (a canvas view for large
// networks, say) is one `registerView` call.

import { countWeights } from "../trace/model.js";
import { createGraphView } from "./graph-view.js";
import { imageShapeOf } from "./image-model.js";
import { createImageView, imageViewNeeds } from "./image-view.js";
import { createNeuronView } from "./neuron-view.js";

export const VIEWS = [];

export function registerView(view) {
  VIEWS.push({ trace: "trace", needs: () => "", fallback: null, ...view });
}

registerView({ id: "neurons", label: "Neurons", create: createNeuronView });
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

// The view actually drawn for the state: the one asked for, or its fallback when it cannot be
// drawn (the first view for an unknown id).
export function viewFor(state, limits) {
  const wanted = viewById(state.view) || VIEWS[0];
  return wanted.needs(state, limits) && wanted.fallback ? viewById(wanted.fallback) : wanted;
}
