// The image view: for image data (the digits), the network drawn as pictures: the input as its
// image and its saliency, each first-layer neuron as the image of its weights, the later layers
// as weight matrices, the output as one bar per class (image-layout.js, image-paint.js). Built
// once per network shape and canvas size, painted at each step. Every pixel and weight is an
// element, so clicks hit it directly; Shift and the arrows walk within an image or a matrix.

import { clamp, layerSize, layerSizes, recordedInputs } from "../trace/model.js";
import { imageCaption, imageModel, imageShapeOf } from "./image-model.js";
import { buildImage } from "./image-layout.js";
import { paint, paintSelection } from "./image-paint.js";
import { scalesOf } from "./neuron-model.js";
import { selectionOf } from "./neuron-view.js";

// Why the image view cannot draw this state ("" when it can).
export function imageViewNeeds(state) {
  const image = imageShapeOf(state);
  if (!image) return "The image view draws data whose inputs are images, such as the digits.";
  if (state.network.layer_sizes.length < 3) return "The image view needs at least one hidden layer.";
  // Just after the data change, the trace on screen may still be the old network's.
  return state.trace && layerSize(state.trace, 0) !== image[0] * image[1] ? "The image view waits for the new iteration." : "";
}

const STEPS = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };

// The element Shift + an arrow moves to: the next pixel of the same image, the next entry of the
// same matrix, the next neuron of the same layer; null at an edge.
function neighbour(parts, element, key) {
  const [dr, dc] = STEPS[key] || [0, 0];
  const { dataset } = element;
  const columns = parts.image[1];
  const find = (selector) => parts.svg.querySelector(selector);
  if (dataset.image) {
    const k = Number(dataset.neuron.split("-")[1]);
    const r = Math.floor(k / columns) + dr;
    const c = (k % columns) + dc;
    return r < 0 || c < 0 || r >= parts.image[0] || c >= columns ? null
      : find(`[data-image="${dataset.image}"][data-neuron="0-${r * columns + c}"]`);
  }
  if (dataset.weight) {
    const [l, j, k] = dataset.weight.split("-").map(Number);
    const wide = l === 1 ? columns : parts.sizes[l - 1];
    const [r, c] = l === 1 ? [Math.floor(k / columns) + dr, (k % columns) + dc] : [j + dr, k + dc];
    if (r < 0 || c < 0 || c >= wide) return null;
    return find(l === 1 ? `[data-weight="1-${j}-${r * columns + c}"]` : `[data-weight="${l}-${r}-${c}"]`);
  }
  if (dataset.neuron) {
    const [l, j] = dataset.neuron.split("-").map(Number);
    return find(`.chip[data-neuron="${l}-${clamp(j + dr + dc, parts.sizes[l])}"]`);
  }
  return null;
}

// {palette}: the colours.
export function createImageView({ palette }) {
  let parts = null;
  let key = "";
  const scaleCache = new WeakMap();

  function partsFor(sizes, image, size) {
    const wanted = `${sizes.join("-")}:${image.join("x")}`;
    const drawn = parts && parts.g;
    const resized = !drawn || Math.abs(size.width - drawn.width) > 0.06 * drawn.width
      || Math.abs(size.height - drawn.height) > 0.06 * drawn.height;
    if (wanted !== key || resized) {
      parts = buildImage(sizes, image, Math.max(320, size.width), Math.max(240, size.height));
      key = wanted;
    }
    return parts;
  }

  function render({ state, trace, inputs: batchInputs, size }) {
    const inputs = recordedInputs(trace) || batchInputs;
    const sizes = layerSizes(trace);
    const image = imageShapeOf(state);
    partsFor(sizes, image, size);
    if (!scaleCache.has(trace)) scaleCache.set(trace, scalesOf(trace, inputs));
    const view = imageModel(state, inputs, sizes, scaleCache.get(trace), image);
    paint(parts, view, palette);
    paintSelection(parts, view.selection);
    return { svg: parts.svg, caption: imageCaption(view) };
  }

  return {
    render,
    neighbour: (element, direction) => neighbour(parts, element, direction),
    pick: () => null,
    selectionFor: selectionOf,
  };
}
