// The canvas view's drawing plan for a network in a canvas of a given size: the SVG neuron
// view's own geometry (neuron-layout.js), so the same click picks the same weight in either
// view and the same packets travel the same edges, as plain data: neurons, edges with their
// ends, the loss box's entry and each small band's label places.

import { bandEdges, bandLabelPlaces, geometry, labelledBand, lossEntry, maxEdgeWidth } from "./neuron-layout.js";

export function canvasParts(sizes, activations, width, height, withMaps) {
  const g = geometry(sizes, width, height, withMaps);
  const neurons = sizes.map((n, l) => Array.from({ length: n }, (_, j) => ({ l, j, cx: g.at(l, j).x, cy: g.at(l, j).y })));
  const edges = [];
  const labels = [null];
  for (let l = 1; l <= g.L; l += 1) {
    const band = bandEdges(g, sizes, l);
    edges.push(...band);
    labels.push(labelledBand(g, band.length) ? bandLabelPlaces(band, g) : null);
  }
  return {
    g, sizes, activations, neurons, edges, labels,
    edgeOf: new Map(edges.map((edge) => [`${edge.l}-${edge.j}-${edge.k}`, edge])),
    loss: { entry: lossEntry(g) },
    maxWidth: maxEdgeWidth(g),
  };
}
