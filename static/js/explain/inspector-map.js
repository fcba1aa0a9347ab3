// The selected neuron's map, large, in the inspector: what the neuron computes (or its error, or
// the pull on its weights) over the whole input plane, on its layer's colour scale with the
// engine's lowest and highest values at the ends, the data on top and the sample shown ringed.
// The pointer reads the engine's value at the grid point under it; a click on a data point shows
// that sample.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import {
  colourOf, gridPointAt, layerScale, mapMeaning, mapQuantity, mapSymbol, mapsFit, neuronValues, pointColours,
  pointNear, samplePlace,
} from "../views/map-model.js";
import { dataDots, paintMap } from "../views/map-paint.js";

const SIDE = 240; // px, at most: the panel's width decides
const REACH = 10; // px: a click this close to a data point picks it

// The colour scale as a strip from the lowest to the highest value, with both numbers.
function legend(scale, j) {
  const strip = el("canvas", { class: "map-legend-strip", width: 120, height: 10, "aria-hidden": "true" });
  const ctx = strip.getContext("2d");
  const [low, high] = scale.sequential ? [0, scale.span] : [scale.centre - scale.span, scale.centre + scale.span];
  for (let x = 0; x < 120; x += 1) {
    const [r, g, b] = colourOf(low + ((high - low) * (x + 0.5)) / 120, scale, j);
    ctx.fillStyle = `rgb(${r},${g},${b})`;
    ctx.fillRect(x, 0, 1, 10);
  }
  return el("p", { class: "map-legend" }, el("span", { text: formatNumber(scale.low) }), strip,
    el("span", { text: formatNumber(scale.high) }), el("span", { class: "muted", text: " lowest and highest in the layer" }));
}

function paint(canvas, side, figure) {
  const { maps, values, scale, j, dataset, palette, point } = figure;
  const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
  canvas.width = Math.round(side * ratio);
  canvas.height = Math.round(side * ratio);
  canvas.style.width = `${side}px`;
  canvas.style.height = `${side}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  const box = { x: 0, y: 0, size: side };
  paintMap(ctx, box, { maps, values, scale, j }, dataDots(maps, dataset.inputs, pointColours(dataset, palette), 3));
  const place = samplePlace(maps, point, box);
  if (!place) return;
  ctx.strokeStyle = "#009e73";
  ctx.lineWidth = 3;
  ctx.beginPath();
  if (place.line) {
    ctx.moveTo(place.x, 0);
    ctx.lineTo(place.x, side);
  } else {
    ctx.arc(place.x, place.y, 8, 0, 2 * Math.PI);
  }
  ctx.stroke();
}

// What the pointer is over: the grid point's input and the engine's value there, and the data
// point whose label the error uses.
function reading(figure, quantity, fx, fy) {
  const { maps, values, dataset } = figure;
  const at = gridPointAt(maps, fx, fy);
  const x = at.x.map((v) => formatNumber(v, 3)).join(", ");
  const label = quantity === "activation" ? ""
    : `, labelled y = ${dataset.targets[maps.nearest[at.index]].map((v) => formatNumber(v, 3)).join(", ")} `
      + `as point ${maps.nearest[at.index] + 1} is`;
  return `At x = (${x}): ${formatNumber(values[at.index])}${label}.`;
}

// The figure for neuron j of layer l, or null when there is no map to show. `read` holds the
// state's maps ({neuronMaps, mode, dataset, point, palette, catalog, activation, reached,
// choosePoint}).
export function neuronMapFigure(read, l, j) {
  const { neuronMaps: maps, dataset } = read;
  const quantity = mapsFit(maps, read.sizes) && dataset
    ? mapQuantity(read.mode, read.reached.forward(l), read.reached.backward(l)) : null;
  const values = quantity ? neuronValues(maps, l, j, quantity) : null;
  if (!values) return null;
  const scale = layerScale(maps, l, quantity, read.activation, read.catalog, read.palette);
  const figure = { maps, values, scale, j, dataset, palette: read.palette, point: read.point };
  const canvas = el("canvas", { class: "map-large", "data-testid": "inspector-map", "data-quantity": quantity,
    role: "img", "aria-label": `Map of ${mapSymbol(quantity, l, j)} over the input plane` });
  const readout = el("p", { class: "map-reading", "aria-live": "polite" });
  const side = () => Math.min(SIDE, canvas.parentElement ? canvas.parentElement.clientWidth : SIDE);
  const where = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) / box.width, (event.clientY - box.top) / box.height, box.width];
  };
  canvas.addEventListener("pointermove", (event) => {
    const [fx, fy] = where(event);
    readout.textContent = reading(figure, quantity, fx, fy);
  });
  canvas.addEventListener("click", (event) => {
    const [fx, fy, width] = where(event);
    const index = pointNear(maps, dataset.inputs, fx, fy, REACH / width);
    if (index !== null) read.choosePoint(index);
  });
  requestAnimationFrame(() => paint(canvas, side(), figure));
  paint(canvas, SIDE, figure);
  return el("figure", { class: "inspector-map" },
    el("figcaption", {}, el("strong", { text: `${mapSymbol(quantity, l, j)} over the input plane` }),
      `: ${mapMeaning(quantity)}.${quantity !== "activation" && read.N > 1 ? ` A sample in this batch of ${read.N} `
        + `gets 1/${read.N} of its own error in the trace (C is the batch's mean).` : ""} Click a data point to step `
        + "through it."),
    canvas, legend(scale, j), readout);
}
