// The training curves in one figure, updated in place with Plotly.react: the losses above and the
// gradient norm per layer below, on one iteration axis, with the point of divergence marked.
// One figure rather than two halves the drawing work per update.

import { LOG_AXIS, baseLayout, drawPlot, palette } from "../views/plots.js";
import { thin } from "./training-history.js";

// A dotted vertical line across both panels and a label where the run diverged; before any
// training, a note where the curves will be.
function marks(history) {
  if (!history.iteration) {
    return { annotations: [{ xref: "paper", yref: "paper", x: 0.5, y: 0.75, showarrow: false,
      text: "The curves appear here while training runs." }] };
  }
  if (!history.diverged) return {};
  const colour = palette().negative;
  return {
    shapes: [{ type: "line", xref: "x", yref: "paper", x0: history.divergedAt, x1: history.divergedAt,
      y0: 0, y1: 1, line: { color: colour, width: 2, dash: "dot" } }],
    annotations: [{ xref: "x", yref: "paper", x: history.divergedAt, y: 1, yanchor: "bottom",
      xanchor: "right", text: `diverged at ${history.divergedAt}`, showarrow: false,
      font: { color: colour } }],
  };
}

function curveTraces(history) {
  const colours = palette();
  const batch = thin(history.batchLoss);
  const losses = [
    { name: "mini-batch loss", x: batch.x, y: batch.y, line: { color: colours.muted, width: 1 }, opacity: 0.6 },
    { name: "training-set loss", ...history.trainLoss, mode: "lines+markers", marker: { size: 4 },
      line: { color: colours.positive, width: 2.5 } },
    { name: "test-set loss", ...history.testLoss, mode: "lines+markers", marker: { size: 4, symbol: "diamond" },
      line: { color: colours.negative, width: 2.5, dash: "dash" } },
  ];
  const norms = history.gradNorms.map((values, l) => ({ name: `‖grad‖ layer ${l + 1}`, ...thin(values),
    yaxis: "y2", line: { color: colours.series[(l + 2) % colours.series.length], width: 1.5 } }));
  return [...losses, ...norms].map((trace) => ({ type: "scatter", mode: "lines", ...trace }));
}

export function drawCurves(Plotly, div, legend, history, logScale) {
  const visible = history.iteration > 0;
  const layout = baseLayout(div, {
    xaxis: { title: { text: "iteration" }, rangemode: "tozero", anchor: "y2", visible },
    yaxis: { title: { text: "loss" }, ...(logScale ? LOG_AXIS : { type: "linear" }), domain: [0.5, 1], visible },
    yaxis2: { title: { text: "gradient norm" }, ...LOG_AXIS, domain: [0, 0.38], visible },
    margin: { l: 56, r: 8, t: 16, b: 40 },
    ...marks(history),
  });
  layout.yaxis2 = { ...layout.yaxis, ...layout.yaxis2 };
  return drawPlot(Plotly, div, legend, curveTraces(history), layout);
}
