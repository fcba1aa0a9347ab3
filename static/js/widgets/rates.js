// Lesson widget: the same network trained with several learning rates side by side (POST
// /api/v1/train): the loss curves on one plot, divergence marked where it happens, and each
// run's gradient norm per layer.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { baseLayout, drawPlot, palette, whenPlotly } from "../views/plots.js";
import { toHash } from "../core/url-state.js";
import { findPreset } from "./lesson-data.js";
import { LOG_AXIS, lines, plotFigure } from "./lesson-plots.js";

// The body of POST /api/v1/train for a preset at one learning rate: two snapshots only (the
// start and the end), since only the curves are drawn.
function trainBody(preset, rate, iterations) {
  return { network: preset.network, seed: preset.seed, ...preset.data, learning_rate: rate,
    batch_size: preset.batch_size, iterations, snapshot_every: iterations, include_data: false,
    ...(preset.params ? { params: preset.params } : {}) };
}

// What happened to a run, in words: the loss over the whole training set at the start and at
// the end (the first and last snapshots), or where it diverged.
function verdict(result) {
  if (result.diverged) {
    return `diverged at iteration ${result.diverged_at}: the loss is no longer a finite number`;
  }
  const first = result.snapshots[0];
  const last = result.snapshots[result.snapshots.length - 1];
  const trend = last.train_loss > first.train_loss ? "rose" : "fell";
  const right = last.accuracy === null ? ""
    : `; ${Math.round(last.accuracy * 100)}% of the points classified right`;
  return `the loss over the training set ${trend} from ${formatNumber(first.train_loss)} to `
    + `${formatNumber(last.train_loss)}${right}`;
}

export async function mount(element, options, context) {
  const preset = await findPreset(context.api, options.preset || "xor");
  const rates = (options.rates || "0.05,0.5,50").split(",").map(Number);
  const names = (options.names || "too small,good,too large").split(",");
  const iterations = Number(options.iterations || preset.iterations);
  const status = el("p", { class: "widget-status", role: "status", text: `Training the `
    + `${preset.name} network ${rates.length} times, ${iterations} iterations each…` });
  element.append(status);
  const [Plotly, results] = await Promise.all([whenPlotly(),
    Promise.all(rates.map((rate) => context.api.train(trainBody(preset, rate, iterations))))]);
  const colours = palette().series;
  const label = (i) => `η = ${rates[i]} (${names[i]})`;

  // Every figure is in place before any is drawn, so that each plot gets its final width.
  const loss = plotFigure("Mini-batch loss per iteration (log scale)", "rates-loss");
  const summary = el("ul", { class: "rates-summary" }, ...results.map((result, i) => el("li", {
    "data-rate": String(rates[i]), "data-diverged": String(result.diverged) },
  el("strong", { text: `${label(i)}: ` }), verdict(result))));
  const norms = results.map((_, i) => plotFigure(`η = ${rates[i]}: gradient norm per layer`,
    "rates-norms"));
  element.append(loss.figure, summary,
    el("div", { class: "rates-runs" }, ...norms.map((plot) => plot.figure)));
  status.textContent = `The ${preset.name} preset: the same starting weights and mini-batches, `
    + `${iterations} iterations each.`;

  const diverged = results.map((r, i) => ({ type: "line", xref: "x", yref: "paper",
    x0: r.diverged_at, x1: r.diverged_at, y0: 0, y1: 1,
    line: { color: colours[i % colours.length], dash: "dot" } }))
    .filter((mark) => mark.x0 !== null);
  await drawPlot(Plotly, loss.div, loss.legend,
    lines(results.map((r, i) => ({ name: label(i), values: r.loss_curve })), colours),
    baseLayout(loss.div, { xaxis: { title: { text: "iteration" } },
      yaxis: { title: { text: "loss" }, ...LOG_AXIS }, shapes: diverged }));
  for (const [i, result] of results.entries()) {
    const layers = result.grad_norms[0].map((_, l) => ({ name: `layer ${l + 1}`,
      values: result.grad_norms.map((row) => row[l]) }));
    await drawPlot(Plotly, norms[i].div, norms[i].legend, lines(layers, colours.slice(3)),
      baseLayout(norms[i].div, { xaxis: { title: { text: "iteration" } },
        yaxis: { title: { text: "‖∂C/∂(W, b)‖" }, ...LOG_AXIS } }));
  }
  context.linkToPlayground(toHash({ preset: preset.name,
    learningRate: rates[Math.min(1, rates.length - 1)] }, {}));
}
