// How the network classifies the test set while it trains, from each chunk's `evaluation`
// (POST /api/v1/train with include_evaluation): the confusion matrix as a heatmap, and the
// misclassified rows, each as its image (for image data) with the network's probabilities.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { baseLayout, drawPlot, palette } from "../views/plots.js";
import { drawPixels, ink } from "../views/pixel-canvas.js";

const SHOWN = 12; // misclassified rows listed

// Whether a run reports on its classes: a softmax over three or more of them (two classes are
// the decision boundary's), or any classifier of images.
export function wantsReport(state) {
  const sizes = state.network.layer_sizes;
  const softmax = state.network.activations.at(-1) === "softmax";
  return Boolean(state.dataset && state.dataset.image) || (softmax && sizes.at(-1) >= 3);
}

// The confusion matrix, row a and column p counting the rows of class a put in class p.
export function drawConfusion(Plotly, div, evaluation) {
  const classes = Array.from({ length: evaluation.classes }, (_, c) => String(c));
  const trace = { type: "heatmap", z: evaluation.confusion, x: classes, y: classes, showscale: false,
    colorscale: [[0, "#ffffff"], [1, palette().positive]], texttemplate: "%{z}", hoverongaps: false,
    hovertemplate: "class %{y} taken for %{x}: %{z}<extra></extra>", xgap: 1, ygap: 1 };
  const layout = baseLayout(div, {
    xaxis: { title: { text: "the network's class" }, type: "category", side: "top" },
    yaxis: { title: { text: "the true class" }, type: "category", autorange: "reversed" },
    margin: { l: 56, r: 8, t: 48, b: 8 },
  });
  return drawPlot(Plotly, div, null, [trace], layout);
}

// One misclassified row: its image (or its first numbers), the two classes, and a bar per class
// for the network's outputs, the true class and the network's marked.
function misclassifiedItem(row, image) {
  const picture = image ? el("canvas", { class: "mini-image", role: "img",
    "aria-label": `test image ${row.row + 1}` }) : el("span", { class: "mini-row",
    text: row.inputs.slice(0, 3).map((v) => formatNumber(v, 3)).join(", ") });
  if (image) drawPixels(picture, image, row.inputs, ink);
  const bars = el("span", { class: "mini-bars", "aria-hidden": "true" }, ...row.outputs.map((p, c) => {
    const bar = el("span", { class: c === row.target ? "truth" : c === row.predicted ? "taken" : "" });
    bar.style.setProperty("height", `${Math.round(100 * Math.max(0, Math.min(1, p ?? 0)))}%`);
    return bar;
  }));
  return el("li", { "data-testid": "misclassified-item" }, picture,
    el("span", { class: "mini-text", text: `a ${row.target} taken for ${row.predicted}: `
      + `${formatNumber(row.outputs[row.predicted], 3)} against ${formatNumber(row.outputs[row.target], 3)}` }), bars);
}

// The list of misclassified rows, with how many there are in all.
export function showMisclassified(list, note, evaluation, image) {
  const { misclassified: rows, misclassified_count: count, rows: total } = evaluation;
  note.textContent = count ? `${count} of the ${total} ${evaluation.set} rows are misclassified`
    + `${count > SHOWN ? `; the first ${SHOWN}` : ""}. Bars: the network's output for each class, `
    + "green the true class, blue the one it chose." : `None of the ${total} ${evaluation.set} rows is misclassified.`;
  list.replaceChildren(...rows.slice(0, SHOWN).map((row) => misclassifiedItem(row, image)));
}
