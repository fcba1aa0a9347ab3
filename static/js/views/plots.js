// Plotly helpers for the data and training panels: the palette, a layout that follows the page's
// colours, legends in HTML, and traces for data points, decision boundaries and fitted curves.

import { el } from "../core/dom.js";
import { classOf, dataShape } from "../core/data-shape.js";
import { classColours } from "../core/svg.js";

const SYMBOLS = ["circle", "x", "diamond", "triangle-up", "square", "star", "cross", "hexagon"];
const SYMBOL_TEXT = { circle: "●", x: "✕", diamond: "◆", "triangle-up": "▲", square: "■", star: "★",
  cross: "✚", hexagon: "⬢", "circle-open": "○" };

export const PLOT_CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false };

const PLOTLY_SRC = "/vendor/plotly.min.js";
const FIRST_DRAW_WAIT = 1500; // ms a page may take to draw its first diagram before Plotly loads
let plotlyPromise = null;

// Plotly.js is 3.6 MB and takes over a second to parse, so it loads after the page has drawn
// what matters first (a playground marks its root data-drawn), or after FIRST_DRAW_WAIT.
function firstDrawDone() {
  return new Promise((resolve) => {
    const started = performance.now();
    const check = () => {
      if (document.querySelector("[data-drawn='true']") || performance.now() - started > FIRST_DRAW_WAIT) {
        resolve();
      } else {
        requestAnimationFrame(check);
      }
    };
    check();
  });
}

// The global Plotly, loading its script once (a classic script from this server, as the CSP asks).
// A log axis with its powers of ten written 1e-3, 1e+2: Plotly's "power" format writes <sup>,
// which it draws with an inline style attribute that the pages' content security policy
// refuses to apply.
export const LOG_AXIS = Object.freeze({ type: "log", exponentformat: "e", minorloglabels: "none" });

export function whenPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  plotlyPromise = plotlyPromise || firstDrawDone().then(() => new Promise((resolve, reject) => {
    const script = document.querySelector(`script[src="${PLOTLY_SRC}"]`)
      || document.head.appendChild(Object.assign(document.createElement("script"), { src: PLOTLY_SRC }));
    const ready = () => (window.Plotly ? resolve(window.Plotly)
      : reject(new Error(`plotly.js did not load from ${PLOTLY_SRC}`)));
    if (window.Plotly) ready();
    script.addEventListener("load", ready, { once: true });
    script.addEventListener("error", ready, { once: true });
  }));
  return plotlyPromise;
}

export function palette() {
  const style = getComputedStyle(document.documentElement);
  const read = (name) => style.getPropertyValue(name).trim();
  const colours = { positive: read("--positive"), negative: read("--negative"),
    highlight: read("--highlight"), selected: read("--selected"), muted: read("--muted"),
    border: read("--border") };
  colours.classes = classColours(colours);
  const [negative, positive, ...rest] = colours.classes;
  colours.series = [positive, negative, ...rest];
  return colours;
}

// A colour mixed with white: share 0 is white, 1 the colour itself.
function tint(hex, share) {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const mixed = channels.map((c) => Math.round(255 - (255 - c) * share));
  return `rgb(${mixed.join(",")})`;
}

// Transparent backgrounds and the text colour of `div`, so plots read in presenter mode too.
// Every axis writes large and small numbers as 1e+300 (Plotly's default past about 1e15 is
// ×10 with <sup>, which it styles inline and the content security policy refuses).
export function baseLayout(div, layout) {
  const { border } = palette();
  const colour = getComputedStyle(div).color;
  const axis = { gridcolor: border, zerolinecolor: border, linecolor: border, color: colour, automargin: true,
    exponentformat: "e" };
  const axes = Object.fromEntries(Object.keys(layout).filter((key) => /^[xy]axis\d+$/.test(key))
    .map((key) => [key, { exponentformat: "e", ...layout[key] }]));
  return {
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: getComputedStyle(div).fontFamily, color: colour,
      size: Math.round(0.75 * parseFloat(getComputedStyle(div).fontSize)) },
    margin: { l: 48, r: 12, t: 12, b: 40 },
    showlegend: false,
    dragmode: false,
    ...layout,
    ...axes,
    xaxis: { ...axis, ...layout.xaxis },
    yaxis: { ...axis, ...layout.yaxis },
  };
}

// The data's extent on each input axis (and the targets for 1-D data), widened by 10%.
function dataRanges(dataset, shape) {
  const span = (values) => {
    const low = Math.min(...values);
    const high = Math.max(...values);
    const pad = Math.max(0.1 * (high - low), 0.1);
    return [low - pad, high + pad];
  };
  const x = span(dataset.inputs.map((row) => row[0]));
  const y = shape.dim === 1 ? span(dataset.targets.map((row) => row[0]))
    : span(dataset.inputs.map((row) => row[1]));
  return { x, y };
}

// Scatter traces of the points: one per class (colour and symbol), or the targets of a
// regression. customdata holds each point's index in the dataset.
function pointTraces(dataset, shape, [first, second] = ["x1", "x2"]) {
  const colours = palette();
  const { inputs, targets } = dataset;
  const marker = { size: 7, line: { width: 1, color: "#ffffff" } };
  if (shape.dim === 1) {
    return [{ type: "scatter", mode: "markers", name: "data", x: inputs.map((r) => r[0]),
      y: targets.map((r) => r[0]), customdata: inputs.map((_, i) => i),
      marker: { ...marker, color: colours.muted },
      hovertemplate: "x %{x:.3f}, y %{y:.3f}<extra></extra>" }];
  }
  if (shape.kind === "regression") {
    return [{ type: "scatter", mode: "markers", name: "data", x: inputs.map((r) => r[0]),
      y: inputs.map((r) => r[1]), customdata: inputs.map((_, i) => i),
      text: targets.map((r) => r.join(", ")), marker: { ...marker, color: colours.muted, size: 9 },
      hovertemplate: "x1 %{x:.3f}, x2 %{y:.3f}<br>target %{text}<extra></extra>" }];
  }
  return Array.from({ length: shape.classes }, (_, c) => {
    const indices = targets.map((t, i) => (classOf(t, shape) === c ? i : -1)).filter((i) => i >= 0);
    return { type: "scatter", mode: "markers", name: `class ${c}`,
      x: indices.map((i) => inputs[i][0]), y: indices.map((i) => inputs[i][1]), customdata: indices,
      marker: { ...marker, color: colours.classes[c % colours.classes.length],
        symbol: SYMBOLS[c % SYMBOLS.length] },
      hovertemplate: `class ${c}: ${first} %{x:.3f}, ${second} %{y:.3f}<extra></extra>` };
  });
}

// The network's output on a grid under the points: a heatmap, with the 0.5 contour for a
// single sigmoid-like output, or one band per class for softmax's argmax.
function boundaryTraces(boundary, shape) {
  const colours = palette();
  const common = { type: "heatmap", x: boundary.x, y: boundary.y, z: boundary.values,
    showscale: false, hoverinfo: "skip", zsmooth: "fast" };
  if (shape.kind === "classes") {
    const k = shape.classes;
    const colorscale = [];
    for (let c = 0; c < k; c += 1) {
      const colour = tint(colours.classes[c % colours.classes.length], 0.3);
      colorscale.push([c / k, colour], [(c + 1) / k, colour]);
    }
    return [{ ...common, zsmooth: false, zmin: -0.5, zmax: k - 0.5, colorscale, name: "predicted class" }];
  }
  if (shape.kind === "regression") {
    return [{ ...common, name: "first output", colorscale: [[0, "#ffffff"], [1, tint(colours.positive, 0.5)]] }];
  }
  return [
    { ...common, zmin: 0, zmax: 1, name: "output",
      colorscale: [[0, tint(colours.negative, 0.35)], [0.5, "#ffffff"], [1, tint(colours.positive, 0.35)]] },
    { type: "contour", x: boundary.x, y: boundary.y, z: boundary.values, showscale: false,
      hoverinfo: "skip", name: "output 0.5", contours: { start: 0.5, end: 0.5, size: 1, coloring: "none" },
      line: { color: colours.muted, width: 2, dash: "dot" } },
  ];
}

// The network's prediction along the 1-D inputs.
function fitTrace(curve) {
  return { type: "scatter", mode: "lines", name: "network", x: curve.x, y: curve.values,
    line: { color: palette().positive, width: 3 }, hoverinfo: "skip" };
}

// Rings around the points of the stepping batch, and a larger green one around the sample the
// diagram shows (`marks`: {batch: [indices], sample: index}).
function markTraces(dataset, shape, marks) {
  const at = (indices) => ({ x: indices.map((i) => dataset.inputs[i][0]),
    y: indices.map((i) => (shape.dim === 1 ? dataset.targets[i][0] : dataset.inputs[i][1])) });
  const ring = (name, indices, size, color, width) => ({ type: "scatter", mode: "markers", name, ...at(indices),
    marker: { symbol: "circle-open", size, color, line: { width, color } }, hoverinfo: "skip" });
  const colours = palette();
  return [ring("stepping batch", marks.batch, 13, colours.muted, 1.5),
    ring("sample shown", [marks.sample], 21, colours.selected, 3)];
}

// The points with the network's view of them: its output as a heatmap under 2-D points, or its
// fitted curve over 1-D ones (`result`: {boundary, curve} or null), and the stepping batch and
// its sample ringed (`marks`, or null). Resolves to the axis ranges. Data projected from many
// inputs (playground/projection.js) name their axes and say so.
export async function drawData(Plotly, div, legend, dataset, result, layout = {}, marks = null) {
  const shape = dataShape(dataset);
  const ranges = dataRanges(dataset, shape);
  const under = result && result.boundary && shape.dim === 2 && !dataset.projected ? boundaryTraces(result.boundary, shape) : [];
  const over = [...(result && result.curve && shape.dim === 1 ? [fitTrace(result.curve)] : []),
    ...(marks ? markTraces(dataset, shape, marks) : [])];
  const titles = dataset.projected ? dataset.projected.map((share, i) => `PC${i + 1} (${Math.round(100 * share)}% of the variance)`)
    : shape.dim === 1 ? ["x", "y"] : ["x1", "x2"];
  const note = dataset.projected ? { annotations: [{ xref: "paper", yref: "paper", x: 0, y: 1, xanchor: "left",
    yanchor: "bottom", showarrow: false, text: `${dataset.features} inputs → 2 principal components` }] } : {};
  const names = dataset.projected ? ["PC1", "PC2"] : undefined;
  const margin = dataset.projected ? { margin: { ...(layout.margin || {}), t: 30 } } : {};
  await drawPlot(Plotly, div, legend, [...under, ...pointTraces(dataset, shape, names), ...over], baseLayout(div, {
    xaxis: { range: ranges.x, title: { text: titles[0] } },
    yaxis: { range: ranges.y, title: { text: titles[1] } },
    hovermode: "closest",
    ...note,
    ...layout,
    ...margin,
  }));
  return ranges;
}

// One legend entry: a line swatch (solid, dashed or dotted) or the marker's symbol, in colour.
function legendEntry(trace) {
  const line = trace.type === "contour" || (trace.mode || "").includes("lines");
  const colour = line ? trace.line.color : trace.marker.color;
  const swatch = el("span", { class: line ? "swatch-line" : "swatch-mark", "aria-hidden": "true",
    text: line ? "" : SYMBOL_TEXT[trace.marker.symbol || "circle"] });
  if (line) swatch.style.borderTop = `3px ${{ dash: "dashed", dot: "dotted" }[trace.line.dash] || "solid"} ${colour}`;
  else swatch.style.color = colour;
  return el("li", {}, swatch, ` ${trace.name}`);
}

// Plotly's own legend is measured and laid out again on every update (half the drawing time of
// a small plot); an HTML list under the plot costs nothing and is read by screen readers.
export function drawPlot(Plotly, div, legend, traces, layout) {
  const named = traces.filter((trace) => trace.type !== "heatmap");
  const signature = named.map((t) => `${t.name}|${(t.line || t.marker || {}).color}`).join("\n");
  if (legend && legend.dataset.signature !== signature) {
    legend.dataset.signature = signature;
    legend.replaceChildren(...named.map(legendEntry));
  }
  return Plotly.react(div, traces, layout, PLOT_CONFIG);
}

export function legendList() {
  return el("ul", { class: "plot-legend", "aria-label": "Legend" });
}
