// The inspector: what the selected weight, bias or neuron is (type, shape, layer), its value and
// gradient, the chain rule for it with this iteration's numbers, and a field to edit it.

import { formatNumber } from "./format.js";
import { formulaBlock } from "./formula-view.js";
import {
  activationDerivative, activations, batchSize, depth, el, entry, findStage, indexLabel,
  isFusedLoss, layerSize, sampleIndex, symbol,
} from "./trace-read.js";

const TABLE_ROWS = 32;

export function mountInspector(root, store, context) {
  const sampleSelect = el("select");
  sampleSelect.id = "inspector-sample";
  const sampleLabel = el("label", "Sample shown ", "inspector-sample");
  sampleLabel.append(sampleSelect);
  sampleLabel.hidden = true;
  sampleSelect.addEventListener("change", () => store.set({ sample: Number(sampleSelect.value) }));

  const details = el("div", "", "inspector-details");

  const form = el("form", "", "inspector-edit");
  const input = Object.assign(el("input"), { type: "text", id: "inspector-value", inputMode: "decimal",
    autocomplete: "off", spellcheck: false });
  const inputLabel = el("label", "", "edit-label");
  inputLabel.htmlFor = input.id;
  const setButton = Object.assign(el("button", "Set"), { type: "submit" });
  const message = el("p", "", "edit-message");
  message.id = "inspector-value-message";
  message.setAttribute("role", "status");
  input.setAttribute("aria-describedby", message.id);
  const row = el("div", "", "edit-row");
  row.append(input, setButton);
  form.append(inputLabel, row, message);

  root.append(sampleLabel, details, form);

  let pending = null; // an edit whose iteration has not come back yet
  const commit = () => {
    const { trace, selection } = store.get();
    const target = editable(trace, selection);
    if (!target) return;
    const text = input.value.trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) {
      input.setAttribute("aria-invalid", "true");
      message.className = "edit-message invalid";
      message.textContent = `"${text}" is not a finite number. Enter one like 0.25, -1.5 or 2e-3.`;
      return;
    }
    input.removeAttribute("aria-invalid");
    message.className = "edit-message";
    if (value === target.value || (pending && pending.value === value)) return;
    const params = structuredClone(trace.params_before);
    target.write(params, value);
    pending = { name: target.name, value };
    message.textContent = `Set ${target.name} to ${value}; running the iteration again…`;
    store.set({ params });
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    commit();
  });
  input.addEventListener("change", commit);

  let shownBatch = null; // the dataset and batch size the options were made for
  const renderSamples = (state) => {
    const N = batchSize(state.trace);
    sampleLabel.hidden = N <= 1;
    if (N <= 1) return;
    if (!shownBatch || shownBatch.dataset !== state.dataset || shownBatch.N !== N) {
      shownBatch = { dataset: state.dataset, N };
      const { inputs, targets } = context.steppingBatch(state);
      sampleSelect.replaceChildren(...inputs.slice(0, N).map((x, i) => new Option(
        `${i + 1}: x = (${x.map((v) => formatNumber(v, 3)).join(", ")}), ` +
        `y = ${targets[i].map((v) => formatNumber(v, 3)).join(", ")}`, String(i))));
    }
    sampleSelect.value = String(sampleIndex(state, state.trace));
  };

  const renderEdit = (state) => {
    const target = editable(state.trace, state.selection);
    form.hidden = !target;
    if (!target) return;
    inputLabel.replaceChildren("Edit ", target.symbol, " (its value before this iteration's update)");
    if (document.activeElement !== input) {
      input.value = target.value === null ? "" : String(target.value);
      input.removeAttribute("aria-invalid");
    }
  };

  const render = () => {
    const state = store.get();
    if (state.dataset && state.trace) renderSamples(state);
    renderEdit(state);
    details.replaceChildren(...describe(state, context, (sample) => store.set({ sample })));
  };
  store.subscribe(["trace", "selection", "sample", "dataset", "busy"], (state, changed) => {
    if (changed.includes("selection")) message.textContent = "";
    if (changed.includes("trace") && pending) {
      message.textContent = `${pending.name} = ${pending.value}: every number here is from the ` +
        "iteration run with it.";
      pending = null;
    }
    render();
  });
  render();
}

// The selected weight or bias as something to edit: its name, value and how to write it.
function editable(trace, selection) {
  if (!trace || !valid(trace, selection) || selection.kind === "neuron") return null;
  const { layer: l, j, k } = selection;
  if (selection.kind === "weight") {
    return { name: `w${l}_${indexLabel(j, k)}`, symbol: symbol("w", String(l), indexLabel(j, k)),
      value: trace.params_before.weights[l - 1][j][k],
      write: (params, v) => { params.weights[l - 1][j][k] = v; } };
  }
  return { name: `b${l}_${indexLabel(j)}`, symbol: symbol("b", String(l), indexLabel(j)),
    value: trace.params_before.biases[l - 1][j],
    write: (params, v) => { params.biases[l - 1][j] = v; } };
}

// A selection that points into this trace's network.
function valid(trace, sel) {
  if (!sel) return false;
  const L = depth(trace);
  const low = sel.kind === "neuron" ? 0 : 1;
  if (!(sel.layer >= low && sel.layer <= L && sel.j >= 0 && sel.j < layerSize(trace, sel.layer))) return false;
  return sel.kind !== "weight" || (sel.k >= 0 && sel.k < layerSize(trace, sel.layer - 1));
}

function describe(state, context, choose) {
  const { trace, selection } = state;
  if (!trace) return [el("p", state.busy ? "Running the iteration…" : "No iteration yet.", "muted")];
  if (!valid(trace, selection)) {
    return [el("p", "Select a weight, a bias or a neuron in the diagram to see what it is, its " +
      "gradient and how the chain rule builds that gradient.", "muted")];
  }
  const read = {
    trace, context, choose,
    L: depth(trace),
    N: batchSize(trace),
    i: sampleIndex(state, trace),
    inputs: state.dataset ? context.steppingBatch(state).inputs : [],
  };
  if (selection.kind === "weight") return weightView(read, selection);
  if (selection.kind === "bias") return biasView(read, selection);
  return neuronView(read, selection);
}

function heading(text, ...symbols) {
  const h = el("h3", text, "inspector-heading");
  h.append(...symbols);
  return h;
}

// A number from the API, formatted; undefined (not in the trace) shows a dash.
function number(value, testid) {
  const span = el("span", value === undefined ? "—" : formatNumber(value), "num");
  if (typeof value === "number") {
    span.dataset.value = String(value);
    span.classList.add(value < 0 ? "negative" : "positive");
  }
  if (testid) span.dataset.testid = testid;
  return span;
}

// A list of "term: value" rows.
function facts(rows) {
  const list = el("dl", "", "facts");
  for (const [term, value, testid] of rows) {
    const dt = el("dt");
    dt.append(...(Array.isArray(term) ? term : [term]));
    const dd = el("dd");
    dd.append(number(value, testid));
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
  const { trace, context, N } = read;
  const formulas = context.formulas;
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
      [words("Gradient ∂C/∂", symbol("w", String(l), indexLabel(j, k))), grad, "inspector-gradient"],
      ["After the update", trace.params_after.weights[l - 1][j][k]],
    ]),
  ];
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
  const merged = l === read.L && (isFusedLoss(lossName) || forward.activation_name === "softmax");
  const dzdw = entry(activations(trace, l - 1, read.inputs), [i, k]);
  const delta = entry(backward.delta, [i, j]);
  const product = backward.per_sample_grad_weights ? backward.per_sample_grad_weights[i][j][k] : undefined;
  const zs = () => symbol("z", String(l), `${j + 1}`);
  const as = () => symbol("a", String(l), `${j + 1}`);
  const ws = () => symbol("w", String(l), indexLabel(j, k));

  const section = el("section", "", "chain");
  section.append(el("h4", N > 1 ? `The chain rule, for sample ${i + 1}` : "The chain rule"));
  const list = el("ul", "", "chain-factors");
  list.dataset.testid = "chain-factors";
  const factor = (name, parts, value, note = "") => {
    const li = el("li");
    li.dataset.factor = name;
    li.append(...words(...parts), el("span", " = "), number(value));
    if (note) li.append(el("span", ` ${note}`, "muted"));
    list.append(li);
  };
  factor("dzdw", ["∂", zs(), "/∂", ws(), " = ", symbol("a", String(l - 1), `${k + 1}`)], dzdw,
    "(the input this weight scales)");
  let dadz;
  let note = null;
  if (merged) {
    const why = isFusedLoss(lossName)
      ? "With this loss, ∂a/∂z × ∂C/∂a is replaced by the simpler (a − y)/N: the engine " +
        "differentiates the loss with respect to z directly, and f' cancels."
      : "A softmax output mixes all the outputs, so ∂a/∂z is a matrix; δ comes from it and " +
        "every output's ∂C/∂a together.";
    factor("delta", ["δ = ∂C/∂", zs(), isFusedLoss(lossName) ? " = (a − y)/N" : ""], delta);
    note = el("p", why, "chain-note");
  } else {
    dadz = activationDerivative(trace, l, i, j);
    factor("dadz", ["∂", as(), "/∂", zs(), " = f′(", zs(), ")"], dadz,
      dadz === undefined ? "(not in the trace: per-node events are only sent for small networks)" : "");
    factor("dcda", ["∂C/∂", as()], entry(backward.grad_activation, [i, j]),
      l === read.L ? "(from the loss)" : `(sent back from layer ${l + 1})`);
  }
  if (N > 1) {
    const li = el("li", `× N = ${N}: C averages ${N} samples' costs, so sample ${i + 1}'s own ` +
      "cost Cᵢ is N times its share of C.");
    li.dataset.factor = "n";
    list.append(li);
  }
  if (product === undefined) {
    list.append(el("li", "Per-sample gradients are only sent for batches of up to 16.", "muted"));
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
  const section = el("section", "", "batch");
  section.append(el("h4", `Over the batch of ${read.N}`));
  section.append(scrolling(sampleTable(read,
    `Each sample's own gradient ${quantity}; their mean is the gradient.`, [[quantity, values]]), read.N));
  section.append(formulaBlock(formulas, "batch_mean", { grad }, note));
  return section;
}

// A row per sample (the current one marked, each a button that selects it), a column per
// [name, values] pair.
function sampleTable(read, captionText, columns) {
  const { N, i } = read;
  const table = el("table", "", "per-sample");
  table.append(el("caption", captionText), el("thead"), el("tbody"));
  const head = el("tr");
  for (const name of ["Sample", ...columns.map((c) => c[0])]) {
    const th = el("th", name);
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
  const box = el("div", "", "table-scroll");
  box.append(table);
  if (N > TABLE_ROWS) box.append(el("p", `The first ${TABLE_ROWS} of ${N} samples are listed.`, "muted"));
  return box;
}

function shownRows(N, i) {
  const rows = [...Array(Math.min(N, TABLE_ROWS)).keys()];
  if (i >= TABLE_ROWS) rows.push(i);
  return rows;
}

// A row's sample number as a button that shows that sample everywhere.
function sampleButton(index, read) {
  const b = el("button", String(index + 1), "sample-button");
  b.type = "button";
  b.setAttribute("aria-label", `Show sample ${index + 1}`);
  if (index === read.i) b.setAttribute("aria-current", "true");
  b.addEventListener("click", () => read.choose(index));
  return b;
}

function biasView(read, { layer: l, j }) {
  const { trace, context, N, i } = read;
  const backward = findStage(trace, "backward", l);
  const b = symbol("b", String(l), indexLabel(j));
  const grad = backward.grad_biases[j];
  const out = [
    heading("Bias ", b),
    paragraph(`A scalar: entry ${j + 1} of `, symbol("b", String(l)),
      `, a vector of ${layerSize(trace, l)} in layer ${l}. It is added into `,
      symbol("z", String(l), `${j + 1}`), ", so ∂z/∂b = 1 and its gradient is the error δ itself."),
    facts([
      ["Value (before the update)", trace.params_before.biases[l - 1][j]],
      [words("Gradient ∂C/∂", symbol("b", String(l), indexLabel(j))), grad, "inspector-gradient"],
      ["After the update", trace.params_after.biases[l - 1][j]],
    ]),
    formulaBlock(context.formulas, "grad_bias", { l, j: j + 1, grad },
      N > 1 ? `With a batch, this is δ summed over the ${N} samples; sample ${i + 1}'s δ is ` +
        `${formatNumber(entry(backward.delta, [i, j]))}.` : ""),
  ];
  if (N > 1 && backward.per_sample_grad_biases) {
    out.push(batchTable(read, "∂Cᵢ/∂b", backward.per_sample_grad_biases.map((r) => r[j]), grad,
      context.formulas, "Here w stands for the bias."));
  }
  return out;
}

function neuronView(read, { layer: l, j }) {
  const { trace, N, i, L } = read;
  if (l === 0) {
    const x = activations(trace, 0, read.inputs);
    return [
      heading("Input ", symbol("x", "", `${j + 1}`)),
      paragraph(`Input ${j + 1}: column ${j + 1} of the batch x, a ${N} × ${layerSize(trace, 0)} ` +
        "matrix. The data are held fixed: the cost is treated as a function of the weights and " +
        "biases only, so no gradient is taken with respect to x."),
      valuesTable(read, [["x", x.map((r) => r[j])]]),
    ];
  }
  const forward = findStage(trace, "forward", l);
  const backward = findStage(trace, "backward", l);
  const loss = findStage(trace, "loss");
  const columns = [
    ["z", forward.pre_activation.map((r) => r[j])],
    ["a", forward.activation.map((r) => r[j])],
    ["δ = ∂C/∂z", backward.delta.map((r) => r[j])],
  ];
  if (l === L) columns.push(["y", loss.targets.map((r) => r[j])]);
  else columns.push(["∂C/∂a", backward.grad_activation.map((r) => r[j])]);
  const z = () => symbol("z", String(l), `${j + 1}`);
  const a = () => symbol("a", String(l), `${j + 1}`);
  return [
    heading(`Neuron ${j + 1} of layer ${l}: `, z(), el("span", " and "), a()),
    paragraph(z(), " and ", a(), ` are vectors over the batch: one number per sample, ${N} in all ` +
      `(column ${j + 1} of z and a, each a ${N} × ${layerSize(trace, l)} matrix in layer ${l}). ` +
      `The activation is ${forward.activation_name}${l === L ? "; this is an output neuron" : ""}.`),
    facts([
      [words("Pre-activation ", z(), ` (sample ${i + 1})`), forward.pre_activation[i][j]],
      [words("Activation ", a(), ` (sample ${i + 1})`), forward.activation[i][j]],
      [words("Error δ = ∂C/∂", z(), ` (sample ${i + 1})`), backward.delta[i][j], "inspector-gradient"],
    ]),
    valuesTable(read, columns),
  ];
}

// Per-sample values of a neuron, one column per quantity.
function valuesTable(read, columns) {
  const section = el("section", "", "batch");
  section.append(scrolling(sampleTable(read, "Per sample", columns), read.N));
  return section;
}
