// Lesson widget: vanishing gradients. The same deep network with sigmoid and with relu hidden
// layers, trained from the same seed (POST /api/v1/train): the gradient norm per layer at the
// first iteration, and the loss curves.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { baseLayout, drawPlot, palette, whenPlotly } from "../views/plots.js";
import { toHash } from "../core/url-state.js";
import { LOG_AXIS, lines, plotFigure } from "./lesson-plots.js";

function network(sizes, hidden) {
  return { layer_sizes: sizes, activations: [...Array(sizes.length - 2).fill(hidden), "sigmoid"],
    loss: "binary_cross_entropy" };
}

function normTable(activations, results) {
  const layers = results[0].grad_norms[0].map((_, l) => `layer ${l + 1}`);
  return el("table", { class: "vanishing-table" },
    el("caption", { text: "‖∂C/∂(Wˡ, bˡ)‖ at the first iteration" }),
    el("thead", {}, el("tr", {}, ...["hidden layers", ...layers]
      .map((text) => el("th", { scope: "col", text })))),
    el("tbody", {}, ...results.map((result, i) => el("tr", { "data-activation": activations[i] },
      el("th", { scope: "row", text: activations[i] }),
      ...result.grad_norms[0].map((norm) => el("td", { class: "num", "data-value": String(norm),
        text: formatNumber(norm, 3) }))))));
}

export async function mount(element, options, context) {
  const sizes = (options.net || "2-8-8-8-8-8-1").split("-").map(Number);
  const activations = (options.activations || "sigmoid,relu").split(",");
  const iterations = Number(options.iterations || 1000);
  const rate = Number(options.lr || 0.1);
  const dataset = { name: options.data || "circles", samples: 200, noise: 0.05, seed: 0 };
  const status = el("p", { class: "widget-status", role: "status", text: `Training a `
    + `${sizes.join("-")} network with ${activations.join(" and with ")} hidden layers…` });
  element.append(status);
  const bodies = activations.map((hidden) => ({ network: network(sizes, hidden), seed: 0, dataset,
    learning_rate: rate, batch_size: 32, iterations, snapshot_every: iterations,
    include_data: false }));
  const [Plotly, results] = await Promise.all([whenPlotly(),
    Promise.all(bodies.map((body) => context.api.train(body)))]);
  const colours = palette().series;

  const norms = plotFigure("Gradient norm per layer, first iteration (log scale)",
    "vanishing-norms");
  norms.div.dataset.testid = "vanishing-norms";
  const loss = plotFigure("Mini-batch loss per iteration", "vanishing-loss");
  element.append(el("div", { class: "vanishing-plots" }, norms.figure, loss.figure),
    normTable(activations, results));
  status.textContent = `The ${dataset.name} data, ${iterations} iterations at η = ${rate}, `
    + "the same seed for both.";

  const layerNames = results[0].grad_norms[0].map((_, l) => `layer ${l + 1}`);
  await drawPlot(Plotly, norms.div, norms.legend, results.map((result, i) => ({ type: "bar",
    name: activations[i], x: layerNames, y: result.grad_norms[0],
    marker: { color: colours[i % colours.length] } })),
  baseLayout(norms.div, { barmode: "group",
    xaxis: { title: { text: "layer (1 is next to the input)" } },
    yaxis: { title: { text: "gradient norm" }, ...LOG_AXIS } }));
  await drawPlot(Plotly, loss.div, loss.legend,
    lines(results.map((r, i) => ({ name: activations[i], values: r.loss_curve })), colours),
    baseLayout(loss.div, { xaxis: { title: { text: "iteration" } },
      yaxis: { title: { text: "loss" } } }));
  context.linkToPlayground(toHash({ network: bodies[0].network, seed: 0, data: dataset,
    learningRate: rate, batchSize: 32 }, {}));
}
