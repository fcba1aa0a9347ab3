// The neuron view's maps: each computing neuron's map of what its layer shows at this stage (its
// activation, or its error once the backward pass reaches it, or the quantity the Maps toggle
// fixes), painted once per maps answer, quantity, neuron and size into a PNG its <image> shows,
// with the data on top and the sample shown marked.

import { dataDots, paintMap } from "./map-paint.js";
import { layerScale, mapQuantity, mapsFit, neuronValues, pointColours, samplePlace } from "./map-model.js";

const MIN_DOTS = 28; // px: smaller maps go without the data points

export const dotRadius = (size) => Math.max(1, Math.min(3.5, size / 55));

function png(canvas, size, draw) {
  const scale = Math.min(2, globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(size * scale);
  canvas.height = Math.round(size * scale);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(scale, 0, 0, scale, 0, 0);
  draw(ctx);
  return canvas.toDataURL("image/png");
}

// Marks the sample shown on a map: a ring where its input lies on a plane, a line across a curve.
function markSample(slot, maps, point) {
  const place = samplePlace(maps, point, slot.box);
  slot.ring.attr("visibility", place && !place.line ? "visible" : "hidden");
  slot.mark.attr("visibility", place && place.line ? "visible" : "hidden");
  if (!place) return;
  if (place.line) {
    slot.mark.attr("x1", place.x.toFixed(1));
    slot.mark.attr("x2", place.x.toFixed(1));
  } else {
    slot.ring.attr("cx", place.x.toFixed(1));
    slot.ring.attr("cy", place.y.toFixed(1));
  }
}

// What layer l's maps show at this stage: {l, quantity, scale}, or null (maps off, not reached
// yet, or not in the answer).
export function layerMaps(view, l, catalog, palette) {
  const { neuronMaps: maps, dataset } = view;
  const quantity = mapQuantity(view.mapMode, Boolean(view.forward[l]), Boolean(view.backward[l]));
  if (!mapsFit(maps, view.sizes) || !quantity || !dataset || !neuronValues(maps, l, 0, quantity)) return null;
  return { l, quantity, scale: layerScale(maps, l, quantity, view.activations[l - 1], catalog, palette) };
}

// The data points drawn on maps of `size` px (null on maps too small to hold them), kept per
// maps answer, dataset and size.
export function createDots(palette) {
  const colours = new WeakMap();
  const kept = new WeakMap();
  return (maps, dataset, size) => {
    if (size < MIN_DOTS) return null;
    if (!colours.has(dataset)) colours.set(dataset, pointColours(dataset, palette));
    const key = `${size}`;
    const known = kept.get(maps);
    if (known && known.dataset === dataset && known.key === key) return known.dots;
    const dots = dataDots(maps, dataset.inputs, colours.get(dataset), dotRadius(size));
    kept.set(maps, { dataset, key, dots });
    return dots;
  };
}

// paintMaps(parts, view): the maps of a neuron diagram built with map slots, for the view
// (neuron-model.js) of this stage.
export function createMapPainter(palette, catalog) {
  const images = new WeakMap(); // maps answer → {key → PNG}
  const canvas = document.createElement("canvas");
  const dotsFor = createDots(palette);
  const shownMaps = { maps: null };
  function image(maps, dataset, layer, j, size) {
    if (!images.has(maps)) images.set(maps, new Map());
    const kept = images.get(maps);
    const key = `${layer.quantity}:${layer.l}:${j}:${size}:${dataset.inputs.length}`;
    if (!kept.has(key)) {
      const values = neuronValues(maps, layer.l, j, layer.quantity);
      kept.set(key, png(canvas, size, (ctx) => paintMap(ctx, { x: 0, y: 0, size },
        { maps, values, scale: layer.scale, j }, dotsFor(maps, dataset, size))));
    }
    return kept.get(key);
  }
  return function paintMaps(parts, view) {
    if (!parts.g.map) return;
    const { neuronMaps: maps, dataset } = view;
    const point = view.inputs[view.sample] || null;
    for (let l = 1; l <= view.L; l += 1) {
      const layer = layerMaps(view, l, catalog, palette);
      parts.neurons[l].forEach(({ map: slot }, j) => {
        if (!slot) return; // a layer whose incoming band needed the room for its numbers
        slot.image.attr("href", layer ? image(maps, dataset, layer, j, slot.box.size) : null);
        slot.image.attr("data-quantity", layer ? layer.quantity : null);
        markSample(slot, layer ? maps : null, point);
      });
    }
    countMaps(parts.svg, maps, shownMaps);
  };
}

// Counts on `element` (data-maps-drawn) each new maps answer a view draws, and keeps the last in
// `last`: how often the maps follow training, for the tests and the front-end bench.
export function countMaps(element, maps, last) {
  if (!maps || maps === last.maps) return;
  last.maps = maps;
  element.dataset.mapsDrawn = String(Number(element.dataset.mapsDrawn || 0) + 1);
}
