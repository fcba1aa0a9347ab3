// Plot helpers for the lesson widgets: a captioned figure with an HTML legend, and line traces
// of series against the iteration number.

import { el } from "../core/dom.js";
import { LOG_AXIS, legendList } from "../views/plots.js";

export { LOG_AXIS };

// One line per series {name, values}, against the iteration number.
export function lines(series, colours) {
  return series.map(({ name, values }, i) => ({ type: "scatter", mode: "lines", name,
    x: values.map((_, t) => t + 1), y: values,
    line: { color: colours[i % colours.length], width: 1.5 } }));
}

// A figure with a caption, an HTML legend and a plot area.
export function plotFigure(caption, className) {
  const div = el("div", { class: `plot ${className}` });
  const legend = legendList();
  const figure = el("figure", {}, el("figcaption", { text: caption }), legend, div);
  return { div, legend, figure };
}
