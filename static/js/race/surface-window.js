// Which part of the plane of the two followed parameters the loss surface covers: around the
// start at first, then, whenever a path leaves it, widened to hold every path with a margin.
// It never narrows, so the contours change only when a path needs more room. Pure: no DOM.

import { surfaceAxis } from "./parameters.js";

const MARGIN = 0.25; // of the paths' extent, added on each side when the window grows
// Points per axis, tried in turn when the server finds a grid over its work limit (a large
// network or many rows): 41 draws smooth contours, 13 still shows the valley's shape.
export const RESOLUTIONS = [41, 25, 13];

// ±max(1, |value|) around each starting value.
export function initialWindow(start) {
  return start.map((value) => {
    const half = Math.max(1, Math.abs(value));
    return [value - half, value + half];
  });
}

// How far above the start a path may climb and still be kept in view: a runner that diverges
// leaves the picture instead of stretching it until the others' paths are dots.
export const CEILING = 10;

// Each path with only its points worth keeping in view: those where C is at most CEILING times
// the cost at the start (the paths' first cost). Beyond it a path leaves the picture: drawn there,
// a point a diverging runner reached might be 1e150 pixels away.
export function pathsInView(paths) {
  const start = paths.map((path) => path.cost[0]).find((cost) => cost !== undefined && cost !== null);
  const ceiling = start === undefined ? Infinity : CEILING * start;
  return paths.map((path) => {
    const kept = path.x.map((_, i) => i).filter((i) => path.cost[i] !== null && path.cost[i] <= ceiling);
    return { x: kept.map((i) => path.x[i]), y: kept.map((i) => path.y[i]) };
  });
}

// The points of pathsInView as [x, y] pairs.
export const pointsInView = (paths) => pathsInView(paths).flatMap((path) => path.x.map((x, i) => [x, path.y[i]]));

const inside = ([low, high], value) => value >= low && value <= high;

// Whether every point lies inside the window.
export function covers(window, points) {
  return points.every(([x, y]) => inside(window[0], x) && inside(window[1], y));
}

// The window grown to hold every point: their extent with MARGIN of it on each side (at least
// MARGIN), joined to the window as it was. The margin is taken from the points, not from the
// window, so a window that grows again and again does not grow faster each time.
export function widened(window, points) {
  return window.map(([low, high], axis) => {
    const values = points.map((point) => point[axis]);
    if (!values.length) return [low, high];
    const from = Math.min(...values);
    const to = Math.max(...values);
    const pad = MARGIN * Math.max(to - from, 1);
    return [Math.min(low, from - pad), Math.max(high, to + pad)];
  });
}

// The body of POST /api/v1/loss-surface over the window for the race's starting parameters:
// the others are held at their starting values.
export function surfaceBody(race, pair, window, resolution) {
  const body = {
    network: race.network,
    params: race.start,
    inputs: race.dataset.inputs,
    targets: race.dataset.targets,
    axes: pair.map((p, i) => surfaceAxis(p, window[i])),
    resolution,
  };
  if (race.l2) body.l2 = race.l2;
  return body;
}
