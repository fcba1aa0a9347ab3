// The class's answers as a plotly chart: a bar per option of a choice (the engine's answer in
// the highlight colour once known), or a histogram of the numbers given with the engine's value
// as a line. Drawn again as results arrive; sized for a projector when the page is.

import { PLOT_CONFIG, whenPlotly } from "../views/plots.js";

const BAR = "#56b4e9";
const RIGHT = "#009e73";
const ENGINE = "#d55e00";

function choiceTraces(poll, results, revealed) {
  const colours = poll.options.map((_, i) => (revealed && results.answer === i ? RIGHT : BAR));
  return [{ type: "bar", x: poll.options, y: results.counts, marker: { color: colours },
    text: results.counts.map(String), textposition: "outside", hoverinfo: "x+y" }];
}

function numberTraces(results) {
  return [{ type: "histogram", x: results.values, marker: { color: BAR }, nbinsx: 20, hoverinfo: "x+y" }];
}

function engineLine(results) {
  return [{ type: "line", x0: results.answer, x1: results.answer, yref: "paper", y0: 0, y1: 1,
    line: { color: ENGINE, width: 4, dash: "dash" } }];
}

function layout(poll, results, { revealed, big, dark }) {
  const size = big ? 26 : 14;
  const number = poll.kind === "number";
  return {
    margin: { l: big ? 70 : 40, r: 20, t: 10, b: big ? 90 : 60 },
    font: { size, family: "system-ui, sans-serif", color: dark ? "#ffffff" : "#1b1b1b" },
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    // Whole students: a tick per student while there are few.
    yaxis: { title: { text: "students" }, rangemode: "tozero", dtick: results.answered <= 10 ? 1 : undefined,
      fixedrange: true },
    xaxis: { fixedrange: true, automargin: true, ...(number ? { title: { text: "answer" } } : {}) },
    shapes: number && revealed && results.answer !== undefined && results.answer !== null ? engineLine(results) : [],
    bargap: 0.15,
    showlegend: false,
  };
}

// Draw (or draw again) the chart in `element`.
// options: {revealed, big (a projector's type), dark (presenter mode's black page)}.
export async function drawResults(element, poll, results, options = {}) {
  const Plotly = await whenPlotly();
  const traces = poll.kind === "choice" ? choiceTraces(poll, results, options.revealed) : numberTraces(results);
  await Plotly.react(element, traces, layout(poll, results, options), PLOT_CONFIG);
}
