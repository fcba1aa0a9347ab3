// The cost widget's charts: passes and time for one gradient against the parameter count.

import { baseLayout, palette, whenPlotly } from "../views/plots.js";

export const METHODS = [
  { key: "reverse", name: "reverse mode (backprop)", short: "reverse", colour: "positive", dash: "solid", symbol: "circle" },
  { key: "forward_mode", name: "forward mode", short: "forward", colour: "selected", dash: "dash", symbol: "square" },
  { key: "finite_differences", name: "finite differences", short: "differences", colour: "negative", dash: "dot",
    symbol: "diamond" },
];

// The legend both charts share, in HTML (line styles from widgets.css).
export function legend(el) {
  return el("p", { class: "cost-legend" }, ...METHODS.map((method) =>
    el("span", { class: `legend-item legend-${method.key}` }, el("span", { class: "legend-line", "aria-hidden": "true" }),
      method.name)));
}

// Taller in the present view, where the type is larger.
const plotHeight = (div, height) => (div.closest(".present") ? Math.round(height * 1.5) : height);

const CONFIG = { displayModeBar: false, responsive: true };

function traces(rows, field) {
  const colours = palette();
  return METHODS.map((method) => ({
    type: "scatter",
    mode: "lines+markers",
    name: method.name,
    x: rows.map((row) => row.parameters),
    y: rows.map((row) => row[method.key][field]),
    line: { color: colours[method.colour], dash: method.dash, width: 2.5 },
    marker: { symbol: method.symbol, size: 8 },
    hovertemplate: `${method.name}<br>P = %{x}<br>%{y:.3g}<extra></extra>`,
  }));
}

function layout(div, yTitle) {
  return baseLayout(div, {
    margin: { l: 56, r: 12, t: 8, b: 24 },
    height: plotHeight(div, 280),
    xaxis: { title: { text: "parameters P" }, rangemode: "tozero" },
    yaxis: { title: { text: yTitle }, rangemode: "tozero" },
  });
}

// Draws (or redraws) both charts from the API's rows.
export async function plotCosts(passesDiv, timeDiv, rows) {
  const Plotly = await whenPlotly();
  await Plotly.react(passesDiv, traces(rows, "passes"), layout(passesDiv, "passes"), CONFIG);
  await Plotly.react(timeDiv, traces(rows, "ratio"), layout(timeDiv, "forward passes"), CONFIG);
}
