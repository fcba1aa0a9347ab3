// Where the numbers on a band's edges go. Each label lies along its edge where the edge is within
// 45 degrees of level (upright otherwise), at the first place along it (the middle first, then out
// towards the ends) where it overlaps no label already placed, so that the labels of crossing
// edges keep apart and each is plainly on its own edge. If some edge finds no free place, the band
// is tried again in smaller type; if that fails too it goes without numbers (a band with a number
// on some edges and not on others would leave the reader wondering why): they are in the
// tooltips and the inspector.

const PLACES = [0.5];
for (let step = 0.05; step <= 0.36; step += 0.05) PLACES.push(0.5 - step, 0.5 + step);
const SHRINK = 0.8; // the smaller type's size, as a share of the first
const MIN_SIZE = 11; // px

// A label's rectangle: centre, unit vectors along and across it, half its length and height.
function rectangle(edge, t, size, chars) {
  const dx = edge.x2 - edge.x1;
  const dy = edge.y2 - edge.y1;
  const angle = Math.abs(dy) <= Math.abs(dx) ? Math.atan2(dy, dx) : 0;
  const along = [Math.cos(angle), Math.sin(angle)];
  const across = [-along[1], along[0]];
  const lift = 0.3 * size; // just above the line, so the line stays visible under the number
  return {
    x: edge.x1 + t * dx - lift * across[0], y: edge.y1 + t * dy - lift * across[1],
    along, across, half: [(chars * size) / 2 + 2, 0.6 * size], angle: (angle * 180) / Math.PI,
  };
}

// Two turned rectangles overlap unless one of their four sides' directions separates them.
function overlap(a, b) {
  const d = [b.x - a.x, b.y - a.y];
  const dot = (u, v) => u[0] * v[0] + u[1] * v[1];
  const reach = (r, axis) => r.half[0] * Math.abs(dot(r.along, axis)) + r.half[1] * Math.abs(dot(r.across, axis));
  return [a.along, a.across, b.along, b.across].every((axis) => Math.abs(dot(d, axis)) < reach(a, axis) + reach(b, axis));
}

function tryBand(edges, size, chars) {
  const placed = [];
  for (const edge of edges) {
    const free = PLACES.map((t) => rectangle(edge, t, size, chars)).find((r) => !placed.some((p) => overlap(r, p)));
    if (!free) return null;
    placed.push(free);
  }
  return placed.map((r) => ({ ...r, size }));
}

// For each edge of a band, {x, y, angle (degrees), size}; null when the band goes without.
// `chars` is the widest number's width in em.
export function placeBandLabels(edges, size, chars) {
  return tryBand(edges, Math.max(MIN_SIZE, size), chars)
    ?? (size * SHRINK >= MIN_SIZE ? tryBand(edges, size * SHRINK, chars) : null);
}
