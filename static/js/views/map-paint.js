// Painting one neuron map into a 2D canvas context: a heatmap of its grid (the engine's values,
// one pixel each, smoothed as it is scaled up) or, for 1-D data, its curve, with the data points
// on top. The colours come from map-model.js; nothing here knows a number.

import { colourOf, mapFraction } from "./map-model.js";

// Each map's pixels, kept as long as its values are (an answer's arrays stay the same objects),
// by the scale they were coloured on: stepping back and forth colours nothing again.
const tiles = new WeakMap();

function newCanvas(n) {
  return typeof OffscreenCanvas === "function" ? new OffscreenCanvas(n, n)
    : Object.assign(document.createElement("canvas"), { width: n, height: n });
}

// The grid's values as n × n pixels: row 0 of the image is the top of the plane (its last y).
function tile({ maps, values, scale, j }) {
  const key = `${scale.centre}:${scale.span}:${j}:${scale.perClass ? "class" : scale.colours.join()}`;
  if (!tiles.has(values)) tiles.set(values, new Map());
  const kept = tiles.get(values);
  if (kept.has(key)) return kept.get(key);
  const n = maps.size;
  const canvas = newCanvas(n);
  const context = canvas.getContext("2d");
  const image = context.createImageData(n, n);
  for (let row = 0; row < n; row += 1) {
    for (let column = 0; column < n; column += 1) {
      const [r, g, b] = colourOf(values[(n - 1 - row) * n + column], scale, j);
      const at = 4 * (row * n + column);
      image.data[at] = r;
      image.data[at + 1] = g;
      image.data[at + 2] = b;
      image.data[at + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  kept.set(key, canvas);
  return canvas;
}

function heatmap(ctx, box, map) {
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile(map), box.x, box.y, box.size, box.size);
}

const css = ([r, g, b], alpha = 1) => `rgba(${r},${g},${b},${alpha})`;

// The values along x as a curve: above the scale's centre filled in its colour, below in the
// other's, the centre as a thin line.
function curve(ctx, box, { values, scale, j }) {
  const [low, high] = scale.sequential ? [0, scale.span] : [scale.centre - scale.span, scale.centre + scale.span];
  const y = (v) => box.y + box.size * (1 - (high > low ? (v - low) / (high - low) : 0.5));
  const x = (i) => box.x + (box.size * (i + 0.5)) / values.length;
  const base = y(scale.sequential ? 0 : scale.centre);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(box.x, box.y, box.size, box.size);
  values.forEach((value, i) => {
    if (value === null) return;
    ctx.fillStyle = css(colourOf(value, { ...scale, span: scale.span || 1 }, j), 0.8);
    ctx.fillRect(x(i) - box.size / values.length / 2, Math.min(base, y(value)), box.size / values.length + 0.5,
      Math.abs(y(value) - base));
  });
  ctx.strokeStyle = "rgba(0,0,0,0.35)";
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(box.x, base);
  ctx.lineTo(box.x + box.size, base);
  ctx.stroke();
  ctx.strokeStyle = "#1b1b1b";
  ctx.lineWidth = Math.max(1, box.size / 50);
  ctx.beginPath();
  values.forEach((value, i) => (value === null ? null : ctx[i ? "lineTo" : "moveTo"](x(i), y(value))));
  ctx.stroke();
}

// Data points at [fx, fy] fractions of the box, each a dot in its class's colour: `dots` is
// {points: [{fx, fy, colour}], radius}. A line's points are ticks along its foot.
function drawDots(ctx, box, dots, line) {
  if (!dots || !dots.points.length) return;
  // Small dots go without their white ring, which would cover the map.
  const ringed = dots.radius >= 2;
  ctx.lineWidth = dots.radius / 3;
  ctx.strokeStyle = "#ffffff";
  for (const { fx, fy, colour } of dots.points) {
    const px = box.x + fx * box.size;
    ctx.fillStyle = css(colour, ringed ? 1 : 0.85);
    if (line) {
      ctx.fillRect(px - 0.5, box.y + box.size - dots.radius * 2, 1, dots.radius * 2);
      continue;
    }
    ctx.beginPath();
    ctx.arc(px, box.y + fy * box.size, dots.radius, 0, 2 * Math.PI);
    ctx.fill();
    if (ringed) ctx.stroke();
  }
}

// One map in `box` ({x, y, size}, in the context's units): `map` is {maps, values, scale, j}.
export function paintMap(ctx, box, map, dots = null) {
  ctx.save();
  ctx.beginPath();
  ctx.rect(box.x, box.y, box.size, box.size);
  ctx.clip();
  if (map.maps.kind === "line") curve(ctx, box, map);
  else heatmap(ctx, box, map);
  drawDots(ctx, box, dots, map.maps.kind === "line");
  ctx.restore();
  ctx.strokeStyle = "rgba(0,0,0,0.5)";
  ctx.lineWidth = 1;
  ctx.strokeRect(box.x + 0.5, box.y + 0.5, box.size - 1, box.size - 1);
}

// The dots for a dataset on a map: each point's place, with its colour (`colours`, one per
// point); `radius` in the context's units.
export function dataDots(maps, inputs, colours, radius) {
  return { radius, points: inputs.map((point, i) => {
    const [fx, fy] = mapFraction(maps, point);
    return { fx, fy, colour: colours[i] };
  }) };
}
