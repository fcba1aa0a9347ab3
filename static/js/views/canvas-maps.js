// The canvas view's maps: each computing neuron's map beside it, as the SVG view draws them
// (neuron-maps.js), painted straight onto the canvas, the sample shown ringed in green.

import { paintMap } from "./map-paint.js";
import { neuronValues, samplePlace } from "./map-model.js";
import { createDots, layerMaps } from "./neuron-maps.js";

function slot(ctx, box) {
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(box.x, box.y, box.size, box.size);
  ctx.setLineDash([2, 3]);
  ctx.strokeStyle = "#bbbbbb";
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.size - 1, box.size - 1);
  ctx.setLineDash([]);
}

function ring(ctx, place, box) {
  ctx.strokeStyle = "#009e73";
  ctx.lineWidth = place.line ? 2 : 2.5;
  ctx.beginPath();
  if (place.line) {
    ctx.moveTo(place.x, box.y);
    ctx.lineTo(place.x, box.y + box.size);
  } else {
    ctx.arc(place.x, place.y, Math.max(3, Math.min(9, box.size * 0.07)), 0, 2 * Math.PI);
  }
  ctx.stroke();
}

// paint(ctx, parts, view): every map of the diagram for the view of this stage.
export function createCanvasMaps(palette, catalog) {
  const dotsFor = createDots(palette);
  return function paint(ctx, parts, view) {
    if (!parts.g.map) return;
    const { neuronMaps: maps, dataset } = view;
    const point = view.inputs[view.sample] || null;
    for (let l = 1; l <= view.L; l += 1) {
      const layer = layerMaps(view, l, catalog, palette);
      for (let j = 0; j < parts.sizes[l]; j += 1) {
        const box = parts.g.mapBox(l, j);
        if (!box) break; // a layer whose incoming band needed the room for its numbers
        if (!layer) {
          slot(ctx, box);
          continue;
        }
        const values = neuronValues(maps, l, j, layer.quantity);
        paintMap(ctx, box, { maps, values, scale: layer.scale, j }, dotsFor(maps, dataset, box.size));
        const place = samplePlace(maps, point, box);
        if (place) ring(ctx, place, box);
      }
    }
  };
}
