// The BPTT widget's charts: one weight's per-step contributions and sum, and ||dC/dh_t|| by step.

import { LOG_AXIS, baseLayout, palette, whenPlotly } from "../views/plots.js";

// Taller in the present view, where the type is larger.
const plotHeight = (div, height) => (div.closest(".present") ? Math.round(height * 1.5) : height);

const CONFIG = { displayModeBar: false, responsive: true };

// contributions[t-1] per step, the running sums so far (null where not reached yet), the total.
export async function plotContributions(div, { contributions, running, total, current, label }) {
  const Plotly = await whenPlotly();
  const colours = palette();
  const steps = contributions.map((_, i) => i + 1);
  const reached = (t) => current > 0 && t >= contributions.length - current + 1;
  const bars = {
    type: "bar", name: "this step's contribution (blue +, orange −)", x: steps, y: contributions,
    marker: { color: contributions.map((v) => (v !== null && v < 0 ? colours.negative : colours.positive)),
      opacity: steps.map((t) => (reached(t) ? 1 : 0.25)) },
    hovertemplate: "step %{x}: %{y:.4g}<extra></extra>",
  };
  const sum = {
    type: "scatter", mode: "lines+markers", name: "sum from the last step back to this one", x: steps, y: running,
    line: { color: colours.highlight, width: 3 }, marker: { size: 7 },
    hovertemplate: "sum of steps %{x}..T: %{y:.4g}<extra></extra>",
  };
  const layout = baseLayout(div, {
    height: plotHeight(div, 290),
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    margin: { l: 72, r: 12, t: 56, b: 40 },
    xaxis: { title: { text: "time step t" }, dtick: contributions.length > 20 ? 5 : 1 },
    yaxis: { title: { text: label } },
    shapes: total === null ? [] : [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: total, y1: total,
      line: { color: colours.muted, dash: "dash", width: 1.5 } }],
    annotations: total === null ? [] : [{ xref: "paper", x: 1, y: total, yanchor: "bottom", xanchor: "right",
      showarrow: false, text: "total from the API", font: { size: 11 } }],
  });
  await Plotly.react(div, [bars, sum], layout, CONFIG);
}

function normTrace(data, name, colour, dash) {
  const norms = [...data.grad_norm_by_step].reverse();
  return {
    type: "scatter", mode: "lines+markers", name, x: norms.map((_, k) => k), y: norms,
    line: { color: colour, dash, width: 2.5 }, marker: { size: 5 },
    hovertemplate: `${name}<br>%{x} steps back: %{y:.3g}<extra></extra>`,
  };
}

// Where a sequence's norms start to be null (overflow), a note inside the top of the plot.
function overflowMarks(series) {
  return series.flatMap(({ data, name }, i) => {
    const k = [...data.grad_norm_by_step].reverse().findIndex((n) => n === null);
    return k < 0 ? [] : [{ x: k, xref: "x", xanchor: "left", y: 0.97 - 0.09 * i, yref: "paper", yanchor: "top",
      text: `${name}: overflow from ${k} steps back`, showarrow: false, font: { size: 12 } }];
  });
}

export async function plotNorms(div, short, long) {
  const Plotly = await whenPlotly();
  const colours = palette();
  const series = [
    { data: short, name: `short (T = ${short.steps})` },
    { data: long, name: `long (T = ${long.steps})` },
  ];
  const traces = [
    normTrace(short, series[0].name, colours.positive, "solid"),
    normTrace(long, series[1].name, colours.negative, "dot"),
  ];
  const layout = baseLayout(div, {
    height: plotHeight(div, 280),
    showlegend: true,
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    margin: { l: 60, r: 12, t: 40, b: 40 },
    xaxis: { title: { text: "steps back from the last step (T − t)" } },
    yaxis: { title: { text: "‖∂C/∂hₜ‖" }, ...LOG_AXIS },
    annotations: overflowMarks(series),
  });
  await Plotly.react(div, traces, layout, CONFIG);
}
