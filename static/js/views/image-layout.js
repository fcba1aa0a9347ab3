// The image view's drawing, built once per network shape and canvas size: the input as its
// image with the saliency ∂C/∂x under it, each first-layer neuron as the image of its incoming
// weights with a strip for its own value and a square for its bias, each later layer as its
// weight matrix beside its neurons, and the output as one bar per class. Every pixel, weight,
// neuron and bias is an element that says what it is (data-neuron, data-weight, data-bias), so
// the diagram panel's picking, tooltip and selection work as in the other views. Laid out left
// to right, or top to bottom on a canvas taller than wide. Nothing here knows a number.

import { svgEl } from "../core/dom.js";
import { Live } from "../core/svg.js";

const clamp = (value, low, high) => Math.max(low, Math.min(high, value));

// The boxes each part gets: [input, tiles, layer 2, ..., layer L], each {x, y, w, h}.
function boxes(sizes, width, height) {
  const vertical = height > width * 1.1;
  const header = clamp(0.045 * Math.min(height, 1.25 * width), 12, 34);
  const later = sizes.length - 2;
  // A phone held upright gives the images more of its height; a wide screen gives the output room.
  const shares = vertical ? [0.27, 0.35, ...Array(later).fill(0.38 / later)] : [0.17, 0.35, ...Array(later).fill(0.48 / later)];
  const span = vertical ? height : width;
  let at = 0;
  const list = shares.map((share) => {
    const size = share * span;
    const box = vertical ? { x: 0, y: at, w: width, h: size } : { x: at, y: 0, w: size, h: height };
    at += size;
    return box;
  });
  return { vertical, header, list };
}

// A grid of `rows` × `columns` cells, each `width` × `height` (square unless said), from (x, y),
// each made by make(r, c, rect).
function grid(parent, x, y, width, rows, columns, make, height = width) {
  const cells = [];
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < columns; c += 1) {
      const rect = svgEl("rect", { x: (x + c * width).toFixed(2), y: (y + r * height).toFixed(2),
        width: width.toFixed(2), height: height.toFixed(2), class: "cell" }, parent);
      cells.push(make(r, c, rect));
    }
  }
  return cells;
}

// A part's title at (x, y), with its font size and the width it may take (the painter squeezes
// a longer text into it).
function header(parent, x, y, size, room) {
  const live = new Live(svgEl("text", { x, y, "font-size": size.toFixed(1), class: "image-header" }, parent));
  return Object.assign(live, { size, room });
}

// The input image and, beside or under it, the saliency image; pixel k is input neuron k.
function buildInput(svg, box, image, g) {
  const [rows, columns] = image;
  const group = svgEl("g", { class: "image-input" }, svg);
  const room = g.vertical ? { w: (box.w - 3 * g.pad) / 2, h: box.h - 2.6 * g.header }
    : { w: box.w - 2 * g.pad, h: (box.h - 5.2 * g.header) / 2 };
  const side = Math.max(16, Math.min(room.w, room.h));
  const cell = side / Math.max(rows, columns);
  const place = (i) => (g.vertical ? { x: box.x + g.pad + (i * box.w) / 2, y: box.y + 1.8 * g.header }
    : { x: box.x + (box.w - side) / 2, y: box.y + 1.8 * g.header + i * (side + 2.6 * g.header) });
  const pixels = (i, kind) => {
    const at = place(i);
    const titled = header(group, at.x, at.y - 0.5 * g.header, 0.8 * g.header,
      g.vertical ? box.w / 2 - 2 * g.pad : box.w - 2 * g.pad);
    const cells = grid(group, at.x, at.y, cell, rows, columns, (r, c, rect) => {
      const k = r * columns + c;
      rect.setAttribute("data-neuron", `0-${k}`);
      rect.setAttribute("data-image", kind);
      rect.setAttribute("role", "button");
      rect.setAttribute("tabindex", k === 0 && kind === "x" ? "0" : "-1");
      return new Live(rect);
    });
    return { header: titled, cells, at, side };
  };
  return { x: pixels(0, "x"), saliency: pixels(1, "saliency") };
}

// The best number of columns for n tiles of aspect 1 : 1.3 (the image, then its strip) in a box.
function tileColumns(n, w, h) {
  let best = { columns: 1, side: 0 };
  for (let columns = 1; columns <= n; columns += 1) {
    const rowsNeeded = Math.ceil(n / columns);
    const side = Math.min(w / columns, h / (1.3 * rowsNeeded));
    if (side > best.side) best = { columns, side };
  }
  return best;
}

// One tile per first-layer neuron j: pixel k of its image is the weight w¹ⱼₖ, the strip under
// it is the neuron, the square at the strip's end its bias.
function buildTiles(svg, box, n, image, g) {
  const [rows, columns] = image;
  const group = svgEl("g", { class: "image-tiles" }, svg);
  const title = header(group, box.x + g.pad, box.y + 1.1 * g.header, 0.8 * g.header, box.w - 2 * g.pad);
  const top = box.y + 1.8 * g.header;
  const fit = tileColumns(n, box.w - 2 * g.pad, box.y + box.h - top - g.pad);
  const gap = Math.max(2, 0.12 * fit.side);
  const side = fit.side - gap;
  const cell = side / Math.max(rows, columns);
  const tiles = Array.from({ length: n }, (_, j) => {
    const x = box.x + g.pad + (j % fit.columns) * fit.side;
    const y = top + Math.floor(j / fit.columns) * 1.3 * fit.side;
    const cells = grid(group, x, y, cell, rows, columns, (r, c, rect) => {
      const k = r * columns + c;
      rect.setAttribute("data-weight", `1-${j}-${k}`);
      rect.setAttribute("role", "button");
      rect.setAttribute("tabindex", k === 0 && j === 0 ? "0" : "-1");
      return new Live(rect);
    });
    const strip = Math.max(6, 0.2 * side);
    const chip = new Live(svgEl("rect", { x, y: y + side + 0.04 * side, width: side - strip - 2, height: strip,
      class: "chip", "data-neuron": `1-${j}`, role: "button", tabindex: "0" }, group));
    const bias = new Live(svgEl("rect", { x: x + side - strip, y: y + side + 0.04 * side, width: strip, height: strip,
      class: "chip bias-chip", "data-bias": `1-${j}`, role: "button", tabindex: "-1" }, group));
    return { cells, chip, bias };
  });
  return { title, tiles };
}

// Layer l ≥ 2: its weight matrix (row j, column k: w^l_jk; cells as wide as fit and as tall as a
// neuron's row), then per neuron, level with its row, a chip and a bias square, or for the output
// layer a bar per class with its label, its value and the target's mark.
function buildLayer(svg, box, sizes, l, g) {
  const n = sizes[l];
  const group = svgEl("g", { class: "image-layer", "data-layer": l }, svg);
  const title = header(group, box.x + g.pad, box.y + 1.1 * g.header, 0.8 * g.header, box.w - 2 * g.pad);
  const output = l === sizes.length - 1;
  const top = box.y + 1.8 * g.header;
  const rowHeight = Math.max(4, (box.y + box.h - top - (output ? 2 * g.header : g.pad)) / n);
  const cellWidth = ((output ? 0.4 : 0.7) * (box.w - 2 * g.pad)) / sizes[l - 1];
  const cells = [];
  grid(group, box.x + g.pad, top, cellWidth, n, sizes[l - 1], (r, c, rect) => {
    rect.setAttribute("data-weight", `${l}-${r}-${c}`);
    rect.setAttribute("role", "button");
    rect.setAttribute("tabindex", r === 0 && c === 0 ? "0" : "-1");
    cells[r] = cells[r] || [];
    cells[r].push(new Live(rect));
  }, rowHeight);
  const left = box.x + g.pad + sizes[l - 1] * cellWidth + g.pad;
  const rows = Array.from({ length: n }, (_, j) => neuronRow(group, { x: left, y: top + j * rowHeight, h: rowHeight,
    w: box.x + box.w - g.pad - left }, l, j, output, g));
  const loss = output ? new Live(svgEl("text", { x: box.x + g.pad, y: top + n * rowHeight + 1.3 * g.header,
    "font-size": (0.8 * g.header).toFixed(1), class: "image-loss" }, group)) : null;
  return { title, cells, rows, loss, output };
}

// One neuron of a later layer: a chip (the neuron) and a bias square; for the output also its
// class label, a bar for its value and a mark for the target.
function neuronRow(group, box, l, j, output, g) {
  const h = Math.max(4, 0.82 * box.h);
  const square = Math.min(h, 0.16 * box.w);
  const chip = new Live(svgEl("rect", { x: box.x, y: box.y, width: square, height: h, class: "chip",
    "data-neuron": `${l}-${j}`, role: "button", tabindex: "0" }, group));
  const bias = new Live(svgEl("rect", { x: box.x + square + 1, y: box.y + h / 4, width: h / 2, height: h / 2,
    class: "chip bias-chip", "data-bias": `${l}-${j}`, role: "button", tabindex: "-1" }, group));
  if (!output) return { chip, bias };
  const font = clamp(0.9 * box.h, 8, g.header);
  const labelX = box.x + square + h / 2 + 4;
  const label = svgEl("text", { x: labelX, y: box.y + h * 0.8, "font-size": font.toFixed(1), class: "bar-label" }, group);
  label.textContent = String(j);
  const barX = labelX + 1.2 * font;
  const length = Math.max(10, box.x + box.w - barX - 3.6 * font);
  svgEl("rect", { x: barX, y: box.y, width: length, height: h, class: "bar-track" }, group);
  const bar = new Live(svgEl("rect", { x: barX, y: box.y, width: 0, height: h, class: "bar",
    "data-neuron": `${l}-${j}` }, group));
  const value = new Live(svgEl("text", { x: barX + length + 4, y: box.y + h * 0.8, "font-size": font.toFixed(1),
    class: "bar-value" }, group));
  return { chip, bias, bar, value, length, label: new Live(label) };
}

// Every part of the image view for layer sizes `sizes` and images of shape [height, width], in
// a canvas of width × height px.
export function buildImage(sizes, image, width, height) {
  const layout = boxes(sizes, width, height);
  const g = { ...layout, width, height, pad: 0.5 * layout.header };
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${height}`, width, height, class: "bp-svg image-diagram",
    role: "group", "aria-label": "Image diagram" });
  svgEl("title", {}, svg).textContent = `Image diagram of a ${sizes.join("-")} network: the input as an `
    + `${image[0]}×${image[1]} image, each first-layer neuron's weights as an image`;
  svgEl("rect", { width, height, fill: "#ffffff" }, svg);
  const [inputBox, tileBox, ...later] = layout.list;
  const input = buildInput(svg, inputBox, image, g);
  const tiles = buildTiles(svg, tileBox, sizes[1], image, g);
  const layers = [null, null, ...later.map((box, i) => buildLayer(svg, box, sizes, i + 2, g))];
  return { svg, g, sizes, image, input, tiles, layers, painted: {}, selectionKey: "" };
}
