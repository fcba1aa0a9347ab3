// The inspector's account of one selected weight, bias or neuron: what it is, its value and
// gradient, the chain rule that builds the gradient from this iteration's numbers, and each
// sample's share of it.

import { mixesLayer, onLogits } from "../core/catalog.js";
import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import {
  activationDerivative, activations, batchSize, currentStage, depth, entry, findStage, layerSize, layerSizes,
  sampleIndex,
} from "../trace/model.js";
import { indexLabel } from "../trace/notation.js";
import { selectionFits } from "../trace/selection.js";
import { formulaBlock } from "./formula-view.js";
import { optimizerRows } from "./optimizer-update.js";
import { symbol } from "./symbols.js";

const TABLE_ROWS = 32;

// Which quantities the iteration has computed by the current stage: the forward and backward
// stages reached (by layer) and the update. The inspector shows no number before its stage
// computes it, unless the learner asks to see the whole iteration.
function reachedBy(state, trace) {
  const at = currentStage(trace, state);
  const reached = (phase, layer) => {
    const index = trace.stages.findIndex((s) => s.phase === phase && (layer === undefined || s.layer === layer));
    return state.reveal || (index >= 0 && index <= at);
  };
  return { forward: (l) => l === 0 || reached("forward", l), backward: (l) => reached("backward", l),
    update: () => reached("update") };
}

// A fact not computed yet: which stage computes it, and a button to see the whole iteration.
function notYet(read, tag) {
  const button = el("button", { type: "button", class: "reveal", "data-testid": "inspector-reveal",
    text: "show it now" });
  button.addEventListener("click", read.reveal);
  return el("span", { class: "not-yet" }, `computed at ${tag} · `, button);
}

export function describe(state, services, choose, reveal) {
  const { trace, selection } = state;
  if (!trace) return [el("p", { text: state.busy ? "Running the iteration…" : "No iteration yet.", class: "muted" })];
  if (!selectionFits(selection, layerSizes(trace))) {
    return [el("p", { text: "Select a weight, a bias or a neuron in the diagram to see what it is, its " +
      "gradient and how the chain rule builds that gradient.", class: "muted" })];
  }
  const read = {
    trace, choose, reveal,
    reached: reachedBy(state, trace),
    catalog: services.catalog,
    formulas: services.formulas,
    L: depth(trace),
    N: batchSize(trace),
    i: sampleIndex(state, trace),
    inputs: state.dataset ? services.batch(state).inputs : [],
  };
  if (selection.kind === "weight") return weightView(read, selection);
  if (selection.kind === "bias") return biasView(read, selection);
  return neuronView(read, selection);
}

function heading(text, ...symbols) {
  const h = el("h3", { text: text, class: "inspector-heading" });
  h.append(...symbols);
  return h;
}

// A number from the API, formatted; undefined (not in the trace) shows a dash.
function number(value, testid) {
  const span = el("span", { text: value === undefined ? "—" : formatNumber(value), class: "num" });
  if (typeof value === "number") {
    span.dataset.value = String(value);
    span.classList.add(value < 0 ? "negative" : "positive");
  }
  if (testid) span.dataset.testid = testid;
  return span;
}

// A list of "term: value" rows; a value may be an element (a fact not computed yet).
function facts(rows) {
  const list = el("dl", { class: "facts" });
  for (const [term, value, testid] of rows) {
    const dt = el("dt");
    dt.append(...(Array.isArray(term) ? term : [term]));
    const dd = el("dd");
    dd.append(value instanceof Node ? value : number(value, testid));
    list.append(dt, dd);
  }
  return list;
}

function words(...parts) {
  return parts.map((part) => (typeof part === "string" ? document.createTextNode(part) : part));
}

function paragraph(...parts) {
  const p = el("p");
  p.append(...words(...parts));
  return p;
}

function weightView(read, { layer: l, j, k }) {
  const { trace, formulas, N, reached } = read;
  const backward = findStage(trace, "backward", l);
  const rows = layerSize(trace, l);
  const cols = layerSize(trace, l - 1);
  const w = symbol("w", String(l), indexLabel(j, k));
  const grad = backward.grad_weights[j][k];
  const out = [
    heading("Weight ", w),
    paragraph("A scalar: entry (", `${j + 1}, ${k + 1}`, ") of ", symbol("W", String(l)),
      `, a ${rows} × ${cols} matrix in layer ${l}. It scales `, symbol("a", String(l - 1), `${k + 1}`),
      " on its way into ", symbol("z", String(l), `${j + 1}`), "."),
    facts([
      ["Value (before the update)", trace.params_before.weights[l - 1][j][k]],
      [words("Gradient ∂C/∂", symbol("w", String(l), indexLabel(j, k))),
        reached.backward(l) ? grad : notYet(read, backward.tag), "inspector-gradient"],
      ["After the update", reached.update() ? trace.params_after.weights[l - 1][j][k] : notYet(read, "U")],
      ...(reached.update() ? optimizerRows(trace, read.catalog, { kind: "weight", l, j, k }) : []),
    ]),
  ];
  if (!reached.backward(l)) return out;
  out.push(...chainRule(read, l, j, k, formulas));
  const perSample = backward.per_sample_grad_weights;
  if (N > 1 && perSample) {
    out.push(batchTable(read, "∂Cᵢ/∂w", perSample.map((m) => m[j][k]), grad, formulas));
  }
  return out;
}

// ∂C/∂w = ∂z/∂w · ∂a/∂z · ∂C/∂a for the selected sample, as a list of factors with numbers.
function chainRule(read, l, j, k, formulas) {
  const { trace, N, i } = read;
  const backward = findStage(trace, "backward", l);
  const forward = findStage(trace, "forward", l);
  const lossName = findStage(trace, "loss").loss_name;
  const fused = onLogits(read.catalog, lossName);
  const merged = l === read.L && (fused || mixesLayer(read.catalog, forward.activation_name));
  const dzdw = entry(activations(trace, l - 1, read.inputs), [i, k]);
  const delta = entry(backward.delta, [i, j]);
  const product = backward.per_sample_grad_weights ? backward.per_sample_grad_weights[i][j][k] : undefined;
  const zs = () => symbol("z", String(l), `${j + 1}`);
  const as = () => symbol("a", String(l), `${j + 1}`);
  const ws = () => symbol("w", String(l), indexLabel(j, k));

  const section = el("section", { class: "chain" });
  section.append(el("h4", { text: N > 1 ? `The chain rule, for sample ${i + 1}` : "The chain rule" }));
  const list = el("ul", { class: "chain-factors" });
  list.dataset.testid = "chain-factors";
  const factor = (name, parts, value, note = "") => {
    const li = el("li");
    li.dataset.factor = name;
    li.append(...words(...parts), el("span", { text: " = " }), number(value));
    if (note) li.append(el("span", { text: ` ${note}`, class: "muted" }));
    list.append(li);
  };
  factor("dzdw", ["∂", zs(), "/∂", ws(), " = ", symbol("a", String(l - 1), `${k + 1}`)], dzdw,
    "(the input this weight scales)");
  let dadz;
  let note = null;
  if (merged) {
    const why = fused
      ? "With this loss, ∂a/∂z × ∂C/∂a is replaced by the simpler (a − y)/N: the engine " +
        "differentiates the loss with respect to z directly, and f' cancels."
      : "A softmax output mixes all the outputs, so ∂a/∂z is a matrix; δ comes from it and " +
        "every output's ∂C/∂a together.";
    factor("delta", ["δ = ∂C/∂", zs(), fused ? " = (a − y)/N" : ""], delta);
    note = el("p", { text: why, class: "chain-note" });
  } else {
    dadz = activationDerivative(trace, l, i, j);
    factor("dadz", ["∂", as(), "/∂", zs(), " = f′(", zs(), ")"], dadz,
      dadz === undefined ? "(not in the trace: per-node events are only sent for small networks)" : "");
    factor("dcda", ["∂C/∂", as()], entry(backward.grad_activation, [i, j]),
      l === read.L ? "(from the loss)" : `(sent back from layer ${l + 1})`);
  }
  if (N > 1) {
    const li = el("li", { text: `× N = ${N}: C averages ${N} samples' costs, so sample ${i + 1}'s own ` +
      "cost Cᵢ is N times its share of C." });
    li.dataset.factor = "n";
    list.append(li);
  }
  if (product === undefined) {
    list.append(el("li", { text: "Per-sample gradients are only sent for batches of up to 16.", class: "muted" }));
  } else {
    factor("product", [N > 1 ? "= ∂Cᵢ/∂" : "= ∂C/∂", ws()], product,
      N > 1 ? `(sample ${i + 1}'s own gradient)` : "");
  }
  section.append(list);
  if (note) section.append(note);
  if (N === 1) {
    const ids = { l, j: j + 1, k: k + 1 };
    section.append(merged
      ? formulaBlock(formulas, "grad_weight", { ...ids, prev: l - 1, a: dzdw, delta, grad: backward.grad_weights[j][k] })
      : formulaBlock(formulas, "chain_rule", { ...ids, dzdw, dadz, dcda: entry(backward.grad_activation, [0, j]),
        grad: backward.grad_weights[j][k] }));
  }
  return [section];
}

// Each sample's own gradient and, below, their mean: the batch gradient.
function batchTable(read, quantity, values, grad, formulas, note = "") {
  const section = el("section", { class: "batch" });
  section.append(el("h4", { text: `Over the batch of ${read.N}` }));
  section.append(scrolling(sampleTable(read,
    `Each sample's own gradient ${quantity}; their mean is the gradient.`, [[quantity, values]]), read.N));
  section.append(formulaBlock(formulas, "batch_mean", { grad }, note));
  return section;
}

// A row per sample (the current one marked, each a button that selects it), a column per
// [name, values] pair.
function sampleTable(read, captionText, columns) {
  const { N, i } = read;
  const table = el("table", { class: "per-sample" });
  table.append(el("caption", { text: captionText }), el("thead"), el("tbody"));
  const head = el("tr");
  for (const name of ["Sample", ...columns.map((c) => c[0])]) {
    const th = el("th", { text: name });
    th.scope = "col";
    head.append(th);
  }
  table.tHead.append(head);
  for (const index of shownRows(N, i)) {
    const tr = el("tr");
    if (index === i) tr.className = "current";
    const th = el("th");
    th.scope = "row";
    th.append(sampleButton(index, read));
    tr.append(th);
    for (const [, values] of columns) {
      const td = el("td");
      td.append(number(values[index]));
      tr.append(td);
    }
    table.tBodies[0].append(tr);
  }
  return table;
}

// A table in a box that scrolls, with a note when rows were left out.
function scrolling(table, N) {
  const box = el("div", { class: "table-scroll" });
  box.append(table);
  if (N > TABLE_ROWS) box.append(el("p", { text: `The first ${TABLE_ROWS} of ${N} samples are listed.`, class: "muted" }));
  return box;
}

function shownRows(N, i) {
  const rows = [...Array(Math.min(N, TABLE_ROWS)).keys()];
  if (i >= TABLE_ROWS) rows.push(i);
  return rows;
}

// A row's sample number as a button that shows that sample everywhere.
function sampleButton(index, read) {
  const b = el("button", { text: String(index + 1), class: "sample-button" });
  b.type = "button";
  b.setAttribute("aria-label", `Show sample ${index + 1}`);
  if (index === read.i) b.setAttribute("aria-current", "true");
  b.addEventListener("click", () => read.choose(index));
  return b;
}

function biasView(read, { layer: l, j }) {
  const { trace, formulas, N, i, reached } = read;
  const backward = findStage(trace, "backward", l);
  const b = symbol("b", String(l), indexLabel(j));
  const grad = backward.grad_biases[j];
  const known = [
    heading("Bias ", b),
    paragraph(`A scalar: entry ${j + 1} of `, symbol("b", String(l)),
      `, a vector of ${layerSize(trace, l)} in layer ${l}. It is added into `,
      symbol("z", String(l), `${j + 1}`), ", so ∂z/∂b = 1 and its gradient is the error δ itself."),
    facts([
      ["Value (before the update)", trace.params_before.biases[l - 1][j]],
      [words("Gradient ∂C/∂", symbol("b", String(l), indexLabel(j))),
        reached.backward(l) ? grad : notYet(read, backward.tag), "inspector-gradient"],
      ["After the update", reached.update() ? trace.params_after.biases[l - 1][j] : notYet(read, "U")],
      ...(reached.update() ? optimizerRows(trace, read.catalog, { kind: "bias", l, j }) : []),
    ]),
  ];
  if (!reached.backward(l)) return known;
  const out = [
    ...known,
    formulaBlock(formulas, "grad_bias", { l, j: j + 1, grad },
      N > 1 ? `With a batch, this is δ summed over the ${N} samples; sample ${i + 1}'s δ is ` +
        `${formatNumber(entry(backward.delta, [i, j]))}.` : ""),
  ];
  if (N > 1 && backward.per_sample_grad_biases) {
    out.push(batchTable(read, "∂Cᵢ/∂b", backward.per_sample_grad_biases.map((r) => r[j]), grad,
      formulas, "Here w stands for the bias."));
  }
  return out;
}

function neuronView(read, { layer: l, j }) {
  const { trace, N, i, L } = read;
  if (l === 0) return inputView(read, j);
  const forward = findStage(trace, "forward", l);
  const backward = findStage(trace, "backward", l);
  const loss = findStage(trace, "loss");
  const { reached } = read;
  const [ahead, behind] = [reached.forward(l), reached.backward(l)];
  const columns = [
    ...(ahead ? [["z", forward.pre_activation.map((r) => r[j])], ["a", forward.activation.map((r) => r[j])]] : []),
    ...(behind ? [["δ = ∂C/∂z", backward.delta.map((r) => r[j])]] : []),
  ];
  if (l === L && ahead) columns.push(["y", loss.targets.map((r) => r[j])]);
  else if (behind) columns.push(["∂C/∂a", backward.grad_activation.map((r) => r[j])]);
  const z = () => symbol("z", String(l), `${j + 1}`);
  const a = () => symbol("a", String(l), `${j + 1}`);
  return [
    heading(`Neuron ${j + 1} of layer ${l}: `, z(), el("span", { text: " and " }), a()),
    paragraph(z(), " and ", a(), ` are vectors over the batch: one number per sample, ${N} in all ` +
      `(column ${j + 1} of z and a, each a ${N} × ${layerSize(trace, l)} matrix in layer ${l}). ` +
      `The activation is ${forward.activation_name}${l === L ? "; this is an output neuron" : ""}.`),
    facts([
      [words("Pre-activation ", z(), ` (sample ${i + 1})`), ahead ? forward.pre_activation[i][j] : notYet(read, forward.tag)],
      [words("Activation ", a(), ` (sample ${i + 1})`), ahead ? forward.activation[i][j] : notYet(read, forward.tag)],
      [words("Error δ = ∂C/∂", z(), ` (sample ${i + 1})`), behind ? backward.delta[i][j] : notYet(read, backward.tag),
        "inspector-gradient"],
    ]),
    ...(columns.length ? [valuesTable(read, columns)] : []),
  ];
}

// An input: its values over the batch and, when the trace took it (image data), ∂C/∂x, the
// gradient the backward pass sends back to the input (the pixel's saliency).
function inputView(read, j) {
  const { trace, N, i, reached } = read;
  const x = activations(trace, 0, read.inputs);
  const first = findStage(trace, "backward", 1);
  const saliency = first.grad_inputs;
  const heading0 = heading("Input ", symbol("x", "", `${j + 1}`));
  const where = `Input ${j + 1}: column ${j + 1} of the batch x, a ${N} × ${layerSize(trace, 0)} matrix. `;
  if (!saliency) {
    return [heading0, paragraph(`${where}The data are held fixed: the cost is treated as a function of the ` +
      "weights and biases only, so no gradient is taken with respect to x."), valuesTable(read, [["x", x.map((r) => r[j])]])];
  }
  const known = reached.backward(1);
  const out = [heading0,
    paragraph(`${where}Training changes only the weights and biases, but the same backward pass also gives ` +
      "∂C/∂x: how the cost would change if this input changed, the saliency of a pixel."),
    facts([[`x (sample ${i + 1})`, x[i][j]],
      [words("∂C/∂", symbol("x", "", `${j + 1}`), ` (sample ${i + 1})`), known ? saliency[i][j] : notYet(read, first.tag),
        "inspector-saliency"]])];
  if (!known) return [...out, valuesTable(read, [["x", x.map((r) => r[j])]])];
  return [...out, formulaBlock(read.formulas, "grad_input", { k: j + 1, grad: saliency[i][j] },
    N > 1 ? `Row ${i + 1} of ∂C/∂x; C averages ${N} samples, so sample ${i + 1}'s own ∂Cᵢ/∂x is ${N} times it.` : ""),
  valuesTable(read, [["x", x.map((r) => r[j])], ["∂C/∂x", saliency.map((r) => r[j])]])];
}

// Per-sample values of a neuron, one column per quantity.
function valuesTable(read, columns) {
  const section = el("section", { class: "batch" });
  section.append(scrolling(sampleTable(read, "Per sample", columns), read.N));
  return section;
}
