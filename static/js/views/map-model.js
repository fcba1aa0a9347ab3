// What a neuron's map shows, as plain data read from POST /api/v1/maps: which quantity at this
// stage, its values, its layer's colour scale, and where a data point or a click falls on it.
// Pure: no DOM. Every number is the engine's; the colours are the diagram's (sign by hue,
// magnitude by strength).

import { entryOf } from "../core/catalog.js";
import { classOf, dataShape } from "../core/data-shape.js";
import { classColours, mixWithWhite, rgb } from "../core/svg.js";
import { sub, sup } from "../trace/notation.js";

// What the maps show: by the stage (each layer's activations, then its errors once the backward
// pass reaches it), always one quantity, or nothing. [mode, button label, tooltip].
export const MAP_MODES = [
  ["auto", "by stage", "Each layer's activations, then its errors δ once the backward pass reaches it"],
  ["activation", "a", "What each neuron computes, a(x), over the input plane"],
  ["delta", "δ", "Each neuron's error δ(x) = ∂C/∂z for a sample at x alone, labelled as its nearest data point"],
  ["weight_gradient", "|∂C/∂W|", "How hard a sample at x pulls on each neuron's incoming weights, ‖∂C/∂W‖ of its row"],
  ["off", "off", "No maps"],
];
const MODES = MAP_MODES.map(([mode]) => mode);

// Numbers per quantity the page asks for at most (about 0.6 MB of JSON): a large network gets
// coarser maps, which are drawn smaller anyway.
const VALUES_PER_QUANTITY = 32000;
export const MAP_SIZE = { max: 40, min: 8 };
const MIN_MARKED = 30; // px: smaller maps go without the mark of the sample shown
const GREY = [154, 154, 154];
const MUTED = [107, 107, 107];
const INK = [27, 27, 27];

export const knownMode = (mode) => (MODES.includes(mode) ? mode : "auto");

// The quantities a request asks for in this mode ([] when the maps are off).
export function mapQuantities(mode) {
  const known = knownMode(mode);
  if (known === "off") return [];
  return known === "auto" ? ["activation", "delta"] : [known];
}

// The grid's size (points a side) for a network of `sizes`: as fine as MAP_SIZE.max allows
// within VALUES_PER_QUANTITY numbers per quantity.
export function mapSize(sizes) {
  const neurons = sizes.slice(1).reduce((a, b) => a + b, 0);
  const points = VALUES_PER_QUANTITY / Math.max(1, neurons);
  const side = sizes[0] === 1 ? points : Math.sqrt(points);
  return Math.max(MAP_SIZE.min, Math.min(MAP_SIZE.max, Math.floor(side)));
}

// Whether data of this shape can be mapped: 1 or 2 inputs.
export const mappable = (dataset) => Boolean(dataset && dataset.inputs.length && [1, 2].includes(dataset.inputs[0].length));

// The quantity layer l's maps show: the mode's, or by the stage what its neurons' numbers show
// (a once the forward pass has reached the layer, δ once the backward pass has); null when off
// or not reached yet.
export function mapQuantity(mode, forwardReached, backwardReached) {
  const known = knownMode(mode);
  if (known === "off") return null;
  if (known === "auto") return backwardReached ? "delta" : forwardReached ? "activation" : null;
  return known;
}

// The values of neuron j of layer l (1-based layer), or null when not sent.
export function neuronValues(maps, l, j, quantity) {
  const layer = maps && maps.layers[l - 1];
  return (layer && layer[quantity] && layer[quantity][j]) || null;
}

// Whether maps are of a network of these layer sizes (an answer may still be on its way for a
// network just changed).
export function mapsFit(maps, sizes) {
  return Boolean(maps) && maps.layers.length === sizes.length - 1
    && maps.layers.every((layer, i) => Object.values(layer).some((rows) => Array.isArray(rows) && rows.length === sizes[i + 1]));
}

// A layer's colour scale for a quantity: diverging around a centre (0, or 0.5 for an activation
// whose outputs are probabilities, so an output's 0.5 boundary is white), or sequential from
// white (an error's size; a softmax probability, in its class's colour). {low, high} are the
// engine's range over the layer, what the legend shows.
export function layerScale(maps, l, quantity, activation, catalog, palette) {
  const [low, high] = maps.layers[l - 1].ranges[quantity] || [null, null];
  const fits = quantity === "activation" ? (entryOf(catalog, "activations", activation) || {}).fits : "any";
  const reach = Math.max(Math.abs(low ?? 0), Math.abs(high ?? 0));
  if (quantity === "weight_gradient") return { low, high, centre: 0, span: reach, colours: [INK, INK], sequential: true };
  if (fits === "classes") {
    return { low, high, centre: 0, span: 1, perClass: classColours(palette).map(rgb), sequential: true };
  }
  const colours = [rgb(palette.negative), rgb(palette.positive)];
  return fits === "unit" ? { low, high, centre: 0.5, span: 0.5, colours } : { low, high, centre: 0, span: reach, colours };
}

// [r, g, b] for a value on a scale (neuron j's, for a softmax layer's class colours); grey for
// a value that is not finite (null).
export function colourOf(value, scale, j = 0) {
  if (value === null || value === undefined) return GREY;
  const offset = value - scale.centre;
  const strength = scale.span ? Math.min(1, Math.abs(offset) / scale.span) : 0;
  const colour = scale.perClass ? scale.perClass[j % scale.perClass.length] : scale.colours[offset < 0 ? 0 : 1];
  return mixWithWhite(colour, strength);
}

// The map covers its points' cells: a grid point sits in the middle of its cell, so the box runs
// half a cell beyond the first and last points.
function extent(axis) {
  const n = axis.length;
  const cell = n > 1 ? (axis[n - 1] - axis[0]) / (n - 1) : 1;
  return [axis[0] - cell / 2, axis[n - 1] + cell / 2];
}

// Where an input point falls on a map, as fractions [across from the left, down from the top];
// for a line (1-D data) only the first is meaningful.
export function mapFraction(maps, point) {
  const [x0, x1] = extent(maps.x);
  const fx = (point[0] - x0) / (x1 - x0);
  if (maps.kind === "line") return [fx, 0.5];
  const [y0, y1] = extent(maps.y);
  return [fx, (y1 - point[1]) / (y1 - y0)];
}

// Where the sample shown is marked on a map in `box` ({x, y, size}): {x, y} for a ring on a plane,
// {x, line: true} for a line across a curve; null when there is no sample or map, or the map is
// too small for a mark not to hide it.
export function samplePlace(maps, point, box) {
  if (!maps || !point || box.size < MIN_MARKED) return null;
  const [fx, fy] = mapFraction(maps, point).map((f) => Math.max(0, Math.min(1, f)));
  const x = box.x + fx * box.size;
  return maps.kind === "grid" ? { x, y: box.y + fy * box.size } : { x, line: true };
}

// The map point nearest to a place on the map (fractions as mapFraction's): its index in the
// map's values and its input coordinates.
export function gridPointAt(maps, fx, fy) {
  const n = maps.size;
  const column = Math.max(0, Math.min(n - 1, Math.floor(fx * n)));
  if (maps.kind === "line") return { index: column, x: [maps.x[column]] };
  const row = Math.max(0, Math.min(n - 1, n - 1 - Math.floor(fy * n)));
  return { index: row * n + column, x: [maps.x[column], maps.y[row]] };
}

// The data point drawn nearest to a place on the map, within `reach` (a fraction of the map's
// side), or null: what a click on a map picks.
export function pointNear(maps, inputs, fx, fy, reach) {
  let best = null;
  let bestDistance = reach * reach;
  inputs.forEach((point, index) => {
    const [px, py] = mapFraction(maps, point);
    const distance = (px - fx) ** 2 + (maps.kind === "line" ? 0 : (py - fy) ** 2);
    if (distance < bestDistance) [best, bestDistance] = [index, distance];
  });
  return best;
}

// A map's name in the notation: a¹₂, δ¹₂, or ‖∂C/∂W¹₂‖ for row 2 of W¹.
export function mapSymbol(quantity, l, j) {
  if (quantity === "activation") return `a${sup(l)}${sub(j + 1)}`;
  if (quantity === "delta") return `δ${sup(l)}${sub(j + 1)}`;
  return `‖∂C/∂W${sup(l)}${sub(j + 1)}‖`;
}

// What a map of this quantity shows, in a sentence.
export function mapMeaning(quantity) {
  if (quantity === "activation") return "the neuron's activation for an input at each point of the plane";
  if (quantity === "delta") return "the neuron's error δ = ∂C/∂z for a sample at each point alone, "
    + "labelled as its nearest data point";
  return "the size of the gradient a sample at each point (labelled as its nearest data point) "
    + "sends to the neuron's incoming weights";
}

// Each data point's colour on a map: its class's, as the data plot draws it, or grey for numbers
// to fit.
export function pointColours(dataset, palette) {
  const shape = dataShape(dataset);
  const classes = classColours(palette).map(rgb);
  return dataset.targets.map((target) => {
    const c = shape && shape.classes ? classOf(target, shape) : null;
    return c === null || c < 0 ? MUTED : classes[c % classes.length];
  });
}
