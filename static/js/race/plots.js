// The race's two figures, redrawn in place with Plotly.react: every runner's cost C after each
// iteration on one plot, and the loss surface over the two followed parameters as contours with
// every runner's path drawn over it. Colours are the palette's series, one per runner. A track's
// arrays grow in place, and Plotly.react redraws only data it has not seen, so traces get copies.

import { LOG_AXIS, baseLayout, drawPlot, palette } from "../views/plots.js";
import { CEILING, pathsInView } from "./surface-window.js";
import { lastOf } from "./tracks.js";

const CONTOURS = 18;

export const runnerColour = (i) => palette().series[i % palette().series.length];

const note = (text) => ({ annotations: [{ xref: "paper", yref: "paper", x: 0.5, y: 0.5,
  showarrow: false, text }] });

// One line per runner: C over the whole data after 0, 1, 2, ... updates; a runner that
// diverged ends in a cross where its cost was last a number.
function curveTraces(tracks, labels) {
  return tracks.flatMap((track, i) => {
    const line = { type: "scatter", mode: "lines", name: labels[i], x: [...track.iterations], y: [...track.cost],
      line: { color: runnerColour(i), width: 2.5 }, hovertemplate: `${labels[i]}<br>iteration %{x}: C = %{y:.4g}<extra></extra>` };
    if (!track.diverged || !track.cost.length) return [line];
    return [line, { type: "scatter", mode: "markers", name: `${labels[i]} diverged`, showlegend: false,
      x: [lastOf(track.iterations)], y: [lastOf(track.cost)], hoverinfo: "skip",
      marker: { symbol: "x", size: 12, color: runnerColour(i) } }];
  });
}

// The cost axis's range (log10): automatic, unless a runner climbs past CEILING times the cost
// at the start, when it stops there and that curve leaves the top rather than squash the rest.
function costRange(tracks) {
  const costs = tracks.flatMap((track) => track.cost).filter((c) => c !== null && c > 0);
  const start = tracks.map((track) => track.cost[0]).find((c) => c !== undefined && c !== null);
  if (!costs.length || !start || Math.max(...costs) <= CEILING * start) return {};
  return { range: [Math.log10(Math.min(...costs)) - 0.1, Math.log10(CEILING * start)], autorange: false };
}

export function drawCurves(Plotly, div, tracks, labels) {
  const started = tracks.some((track) => track.cost.length);
  const layout = baseLayout(div, {
    xaxis: { title: { text: "iteration" }, rangemode: "tozero", visible: started },
    yaxis: { title: { text: "cost C over the whole data" }, ...LOG_AXIS, visible: started, ...costRange(tracks) },
    margin: { l: 64, r: 12, t: 12, b: 44 },
    hovermode: "closest",
    ...(started ? {} : note("Press Start: a curve per optimiser appears here.")),
  });
  return drawPlot(Plotly, div, null, curveTraces(tracks, labels), layout);
}

// The contours of log10 C, filled in light greys (the paths carry the colour), with C itself in
// the hover text. Log spacing shows both the steep walls and the flat floor of a valley.
function contourTrace(surface) {
  const z = surface.cost.map((row) => row.map((c) => (c === null ? null : Math.log10(Math.max(c, 1e-300)))));
  const text = surface.cost.map((row) => row.map((c) => (c === null ? "not finite" : c.toPrecision(4))));
  return { type: "contour", name: "cost C", x: surface.x, y: surface.y, z, text, ncontours: CONTOURS,
    showscale: false, colorscale: [[0, "#ffffff"], [1, "#b8b4aa"]],
    contours: { coloring: "fill", showlines: true }, line: { color: "#9d998f", width: 0.8 },
    hovertemplate: "%{x:.3f}, %{y:.3f}<br>C = %{text}<extra></extra>" };
}

// Each runner's path (the part in view) with its latest point; the shared start; the grid's
// lowest point.
function pathTraces(tracks, labels, start, lowest) {
  const shown = pathsInView(tracks.map((track) => track.path));
  const paths = shown.map((path, i) => ({ type: "scatter", mode: "lines+markers", name: labels[i],
    x: path.x, y: path.y, line: { color: runnerColour(i), width: 2 },
    marker: { size: 4, color: runnerColour(i) }, hovertemplate: `${labels[i]}<extra></extra>` }));
  const ends = shown.map((path, i) => (path.x.length > 1 ? { type: "scatter", mode: "markers",
    name: `${labels[i]} now`, hoverinfo: "skip", x: [lastOf(path.x)], y: [lastOf(path.y)],
    marker: { size: 11, symbol: tracks[i].diverged ? "x" : "circle", color: runnerColour(i),
      line: { color: "#ffffff", width: 1.5 } } } : null)).filter(Boolean);
  const marks = [{ type: "scatter", mode: "markers", name: "start", x: [start[0]], y: [start[1]],
    marker: { size: 11, color: "#1b1b1b", symbol: "square" }, hovertemplate: "start<extra></extra>" }];
  if (lowest) {
    marks.push({ type: "scatter", mode: "markers", name: "lowest C on this grid", x: [lowest.x],
      y: [lowest.y], marker: { size: 13, symbol: "star", color: "#1b1b1b" },
      hovertemplate: `lowest C on this grid: ${lowest.cost.toPrecision(4)}<extra></extra>` });
  }
  return [...paths, ...ends, ...marks];
}

// The surface (or a note while it loads) with the paths; `view` is {surface, window, start,
// symbols: [x axis, y axis]}.
export function drawSurface(Plotly, div, tracks, labels, view) {
  const { surface, window, start, symbols } = view;
  const under = surface ? [contourTrace(surface)] : [];
  const layout = baseLayout(div, {
    xaxis: { title: { text: symbols[0] }, range: window[0], zeroline: false },
    yaxis: { title: { text: symbols[1] }, range: window[1], zeroline: false },
    margin: { l: 56, r: 12, t: 12, b: 44 },
    hovermode: "closest",
    ...(surface ? {} : note("Drawing the loss surface…")),
  });
  return drawPlot(Plotly, div, null, [...under, ...pathTraces(tracks, labels, start, surface && surface.lowest)], layout);
}
