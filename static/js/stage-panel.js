// The current stage in words and as formulas filled with this iteration's numbers, or, at the
// node level, what the current node computed or passed back.

import { formatNumber, describeShape, shapeOf } from "./format.js";
import { formulaBlock } from "./formula-view.js";
import {
  activationDerivative, activations, batchSize, depth, effectiveLevel, el, entry, findStage,
  indexLabel, isFusedLoss, layerSize, neuronIndex, nodeById, nodeEvents, nodeSymbol, sampleIndex,
  symbol, viewTrace,
} from "./trace-read.js";

const LOSS_WORDS = {
  squared_error: "squared error",
  binary_cross_entropy: "binary cross-entropy",
  cross_entropy: "cross-entropy",
};

export function mountStagePanel(root, store, context) {
  const view = el("div", "", "stage-view");
  const sentence = el("p", "", "stage-sentence");
  sentence.dataset.testid = "stage-description";
  const focus = el("p", "", "stage-focus");
  const box = el("div", "", "formulas");
  box.dataset.testid = "formula";
  const notes = el("div", "", "stage-notes");
  view.append(sentence, focus, box, notes);
  root.append(view);

  const render = () => {
    const state = store.get();
    const { trace } = state;
    if (!trace) {
      sentence.textContent = state.busy ? "Running the iteration…" : "No iteration to show yet.";
      focus.textContent = "";
      box.replaceChildren();
      notes.replaceChildren();
      return;
    }
    const stage = trace.stages[Math.min(state.stage, trace.stages.length - 1)];
    const read = reader(state, trace, context);
    if (effectiveLevel(state) === "node") {
      renderEvent(read, state, { sentence, focus, box, notes }, context.formulas);
      return;
    }
    sentence.textContent = describeStage(stage, read);
    const { label, blocks, extra } = STAGE_VIEWS[stage.phase](stage, read, context.formulas);
    focus.replaceChildren(...label);
    box.replaceChildren(...blocks);
    notes.replaceChildren(...extra);
  };

  store.subscribe(["trace", "scalarTrace", "stage", "event", "level", "view", "sample",
    "selection", "busy"], render);
  render();
}

// Everything the views need about the current state, read once.
function reader(state, trace, context) {
  const L = depth(trace);
  const loss = findStage(trace, "loss");
  return {
    trace, L, loss,
    N: batchSize(trace),
    i: sampleIndex(state, trace),
    selection: state.selection,
    inputs: state.dataset ? context.steppingBatch(state).inputs : [],
    neuron: (layer) => neuronIndex(state.selection, layer, layerSize(trace, layer)),
    weight(layer) {
      const sel = state.selection;
      const rows = layerSize(trace, layer);
      const cols = layerSize(trace, layer - 1);
      if (sel && sel.kind === "weight" && sel.layer === layer) {
        return [Math.min(sel.j, rows - 1), Math.min(sel.k, cols - 1)];
      }
      return [neuronIndex(sel, layer, rows), 0];
    },
  };
}

function describeStage(stage, read) {
  const { L, N, loss } = read;
  if (stage.phase === "forward") {
    const from = stage.layer === 1 ? "the inputs x" : `layer ${stage.layer - 1}'s activations`;
    const what = stage.layer === L ? "the network's output" : "hidden layer " + stage.layer;
    return `Forward through layer ${stage.layer} (${what}): each neuron adds up ${from}, ` +
      `weighted, plus its bias (z), then applies ${stage.activation_name} to get its activation (a).`;
  }
  if (stage.phase === "loss") {
    return `Loss: the outputs are compared with the targets by ${LOSS_WORDS[stage.loss_name]}, ` +
      `averaged over the batch of ${N}. Nothing has been differentiated yet.`;
  }
  if (stage.phase === "backward" && stage.layer === L) {
    const why = isFusedLoss(loss.loss_name)
      ? "with this loss, the loss's derivative and f' together simplify to (a − y)/N"
      : "how the cost changes with the neuron's output, times f'(z)";
    return `Backward through the output layer ${L}: each output neuron's error δ = ∂C/∂z; ${why}. ` +
      `Then each weight's gradient is its input times that error.`;
  }
  if (stage.phase === "backward") {
    return `Backward through layer ${stage.layer}: each hidden neuron's error comes from the next ` +
      `layer's errors, sent back through the weights that connect them, times f'(z). ` +
      `Then each weight's gradient is its input times that error.`;
  }
  const when = read.trace.update_order === "eager"
    ? "In the eager order each layer already moved during the backward pass, so the earlier " +
      "layers' steps were computed through moved weights: this is not a true gradient step."
    : "All the errors are known by now, so every gradient was computed with the weights as " +
      "they were in the forward pass.";
  return `Update: every weight and bias moves against its gradient, scaled by the learning rate ` +
    `η = ${formatNumber(stage.learning_rate)}. ${when}`;
}

// The line that says which neuron, weight and sample the formulas show.
function focusLine(parts, read) {
  const items = [el("span", "Showing "), ...parts];
  if (read.N > 1) items.push(el("span", ` for sample ${read.i + 1} of ${read.N}`));
  items.push(el("span", ". Select another in the diagram or the inspector."));
  return items;
}

function neuronWords(layer, j) {
  const span = el("span", `neuron ${j + 1} of layer ${layer} (`);
  span.append(nodeSymbolFor("z", layer, j), el("span", ")"));
  return span;
}

function nodeSymbolFor(base, layer, j, k) {
  return symbol(base, String(layer), k === undefined ? indexLabel(j) : indexLabel(j, k));
}

const STAGE_VIEWS = {
  forward(stage, read, formulas) {
    const l = stage.layer;
    const j = read.neuron(l);
    const { i } = read;
    const z = entry(stage.pre_activation, [i, j]);
    const a = entry(stage.activation, [i, j]);
    return {
      label: focusLine([neuronWords(l, j)], read),
      blocks: [
        formulaBlock(formulas, "pre_activation", { l, j: j + 1, prev: l - 1, z }),
        formulaBlock(formulas, "activation", { l, j: j + 1, z, a },
          `Here f is ${stage.activation_name}.`),
      ],
      extra: [],
    };
  },

  loss(stage, read, formulas) {
    const j = read.neuron(read.L);
    const { i } = read;
    const grad = entry(stage.grad_output, [i, j]);
    const extra = [];
    if (read.N > 1) {
      extra.push(el("p", `Sample ${i + 1}'s own loss is ${formatNumber(stage.per_sample_loss[i])}; ` +
        `C is the mean of the ${read.N} samples' losses.`));
    }
    if (isFusedLoss(stage.loss_name)) {
      extra.push(el("p", "The engine differentiates this loss with respect to z^L directly, " +
        "so ∂C/∂a above is shown for reference; the backward pass starts from (a − y)/N."));
    }
    return {
      label: focusLine([el("span", `output ${j + 1}`)], read),
      blocks: [
        formulaBlock(formulas, `loss_${stage.loss_name}`, { loss: stage.loss }),
        formulaBlock(formulas, "grad_output", { j: j + 1, grad },
          grad === null ? "Infinite: the output is saturated at exactly 0 or 1." : ""),
      ],
      extra,
    };
  },

  backward(stage, read, formulas) {
    const l = stage.layer;
    const j = read.neuron(l);
    const [wj, wk] = read.weight(l);
    const { N } = read;
    const blocks = [deltaBlock(stage, read, formulas, j)];
    blocks.push(...weightGradientBlocks(stage, read, formulas, wj, wk));
    blocks.push(formulaBlock(formulas, "grad_bias", { l, j: j + 1, grad: stage.grad_biases[j] },
      N > 1 ? `With a batch, this is δ summed over the ${N} samples.` : ""));
    const extra = [];
    if (stage.updated_weights) {
      extra.push(el("p", l > 1
        ? `Eager order: layer ${l}'s weights were changed right here, before the error went on ` +
          `to layer ${l - 1}. The earlier layers' gradients will use the moved weights, so the ` +
          `step is no longer along the negative gradient.`
        : "Eager order: layer 1's weights were changed right here, as soon as their gradient " +
          "was known.", "warning"));
    }
    return {
      label: focusLine([neuronWords(l, j), el("span", " and weight "),
        nodeSymbolFor("w", l, wj, wk)], read),
      blocks,
      extra,
    };
  },

  update(stage, read, formulas) {
    const sel = read.selection;
    const isBias = sel && sel.kind === "bias" && sel.layer >= 1 && sel.layer <= read.L;
    const l = isBias ? sel.layer : sel && sel.layer >= 1 && sel.layer <= read.L ? sel.layer : 1;
    const { trace } = read;
    const backward = findStage(trace, "backward", l);
    let values;
    let name;
    if (isBias) {
      const j = read.neuron(l);
      values = { w: trace.params_before.biases[l - 1][j], grad: backward.grad_biases[j],
        new: stage.biases[l - 1][j] };
      name = nodeSymbolFor("b", l, j);
    } else {
      const [j, k] = read.weight(l);
      values = { w: trace.params_before.weights[l - 1][j][k], grad: backward.grad_weights[j][k],
        new: stage.weights[l - 1][j][k] };
      name = nodeSymbolFor("w", l, j, k);
    }
    const note = isBias ? "For a bias, w stands for b." : "";
    return {
      label: [el("span", "Showing "), name, el("span", ". Select another weight or bias to see its step.")],
      blocks: [formulaBlock(formulas, "update", { ...values, eta: stage.learning_rate }, note)],
      extra: [],
    };
  },
};

// δ at the stage's layer for neuron j: the output formula that fits the loss, or the hidden one.
function deltaBlock(stage, read, formulas, j) {
  const { trace, i, L, loss, N } = read;
  const l = stage.layer;
  const delta = entry(stage.delta, [i, j]);
  const forward = findStage(trace, "forward", l);
  if (l === L && isFusedLoss(loss.loss_name)) {
    return formulaBlock(formulas, "delta_output_fused", {
      j: j + 1, a: entry(forward.activation, [i, j]), y: entry(loss.targets, [i, j]), n: N, delta,
    });
  }
  if (forward.activation_name === "softmax") {
    const block = el("div", "", "formula-block");
    block.append(el("p", `δ for output ${j + 1}: ${formatNumber(delta)}. A softmax output mixes ` +
      `all the outputs, so f'(z) is a matrix (the Jacobian) and δ sums ∂C/∂a over every output ` +
      `through it rather than multiplying one number.`, "formula-note"));
    return block;
  }
  const fprime = activationDerivative(trace, l, i, j);
  const note = fprime === undefined ? "f'(z) is only in the trace's per-node events, which are " +
    "not sent for networks this large." : "";
  if (l === L) {
    return formulaBlock(formulas, "delta_output", {
      j: j + 1, grad: entry(loss.grad_output, [i, j]), fprime, delta }, note);
  }
  return formulaBlock(formulas, "delta_hidden", {
    l, j: j + 1, next: l + 1, fprime, sum: entry(stage.grad_activation, [i, j]), delta }, note);
}

// ∂C/∂w for one weight. One sample: a × δ. A batch: the mean of the samples' own gradients.
function weightGradientBlocks(stage, read, formulas, j, k) {
  const { trace, i, N } = read;
  const l = stage.layer;
  const grad = stage.grad_weights[j][k];
  const ids = { l, j: j + 1, k: k + 1, prev: l - 1 };
  if (N === 1) {
    const a = entry(activations(trace, l - 1, read.inputs), [0, k]);
    return [formulaBlock(formulas, "grad_weight", { ...ids, a, delta: entry(stage.delta, [0, j]), grad })];
  }
  const own = stage.per_sample_grad_weights && stage.per_sample_grad_weights[i][j][k];
  const note = own === undefined ? "" : `Sample ${i + 1} alone would give ∂Cᵢ/∂w = ` +
    `${formatNumber(own)} (N × its a × δ, as C averages N samples' costs).`;
  return [formulaBlock(formulas, "batch_mean", { grad }, note)];
}

// The node level: a forward event's value, or a backward event's upstream × local = sent.
function renderEvent(read, state, parts, formulas) {
  const trace = viewTrace(state);
  const events = nodeEvents(trace);
  const event = events[Math.max(0, Math.min(state.event, events.length - 1))];
  const node = nodeById(trace, event.node);
  const pick = entryPicker(trace, read);
  parts.focus.replaceChildren(...focusLine([el("span", "node "), nodeSymbol(node.name),
    el("span", ` (${node.op}, ${describeShape(node.shape)})`)], read));
  if (event.direction === "forward") {
    const parents = trace.graph.edges.filter((e) => e.target === node.id)
      .sort((a, b) => a.index - b.index).map((e) => nodeById(trace, e.source).name);
    parts.sentence.textContent = parents.length
      ? `Forward, node by node: ${node.name} = ${node.op}(${parents.join(", ")}) is computed ` +
        `from its parents and kept for the backward pass.`
      : `Forward, node by node: ${node.name} is a leaf (${node.role}): its value is given, not computed.`;
    const index = pick(node);
    const line = el("p", "", "event-value");
    line.append(nodeSymbol(node.name), el("span", `${where(node, index)} = `),
      numberSpan(entry(event.value, index)));
    parts.box.replaceChildren(line);
    parts.notes.replaceChildren();
    return;
  }
  parts.sentence.textContent = event.sent.length
    ? `Backward, node by node: ${node.name} has its full gradient (upstream); it multiplies it by ` +
      `its local derivative for each parent and sends the product back.`
    : `Backward, node by node: ${node.name} is a leaf (${node.role}); what it received is its ` +
      `gradient, and nothing goes further back.`;
  const blocks = [receivedList(trace, event, node, pick(node))];
  for (const sent of event.sent) {
    const parent = nodeById(trace, sent.parent);
    const local = event.local.find((d) => d.parent === sent.parent);
    blocks.push(sentBlock(trace, formulas, { event, node, parent, local, sent }, pick));
  }
  parts.box.replaceChildren(...blocks);
  parts.notes.replaceChildren();
}

// Which entry of a node's value the node level shows: the selected sample and neuron or weight.
function entryPicker(trace, read) {
  const sel = read.selection;
  return (node) => {
    const shape = node.shape;
    if (!shape.length) return [];
    const matches = sel && sel.layer === node.layer;
    if (node.role === "param") {
      const j = matches ? sel.j : 0;
      const k = matches && sel.kind === "weight" ? sel.k : 0;
      return (shape.length === 2 ? [j, k] : [j]).map((v, d) => Math.min(v, shape[d] - 1));
    }
    if (shape.length === 1) return [Math.min(read.i, shape[0] - 1)];
    let j = matches ? sel.j : 0;
    if (sel && sel.kind === "weight" && sel.layer === node.layer + 1) j = sel.k;
    return [Math.min(read.i, shape[0] - 1), Math.min(j, shape[1] - 1)];
  };
}

// Which entry of a node's value `index` is, in words.
function where(node, index) {
  if (!index.length) return "";
  const [first, second] = index.map((v) => v + 1);
  if (node.role === "param") return index.length === 2 ? ` (row ${first}, column ${second})` : ` (entry ${first})`;
  return index.length === 2 ? ` (sample ${first}, neuron ${second})` : ` (sample ${first})`;
}

function numberSpan(value) {
  const span = el("span", formatNumber(value), "num");
  if (typeof value === "number") span.dataset.value = String(value);
  return span;
}

function receivedList(trace, event, node, index) {
  const block = el("div", "", "formula-block received");
  const title = el("p", "", "formula-title");
  title.append(el("span", "What "), nodeSymbol(node.name), el("span",
    `${where(node, index)} received (its upstream gradient ∂C/∂v)`));
  block.append(title);
  if (!event.received.length) {
    block.append(el("p", "It is the cost itself: the backward pass starts here with ∂C/∂C = 1."));
    return block;
  }
  const list = el("ul", "", "received-list");
  for (const item of event.received) {
    const li = el("li", "from ");
    li.append(nodeSymbol(nodeById(trace, item.from).name), el("span", `: `),
      numberSpan(entry(item.grad, index)));
    list.append(li);
  }
  block.append(list);
  if (event.received.length > 1) {
    const sum = el("p", `${node.name} fans out to ${event.received.length} nodes, so their ` +
      `gradients add up: upstream = `, "received-sum");
    sum.append(numberSpan(entry(event.upstream, index)));
    block.append(sum);
  }
  return block;
}

// One parent's share: upstream × local = sent where that is elementwise; otherwise a summary of
// how the shapes combine and the selected entry of what was sent.
function sentBlock(trace, formulas, { event, node, parent, local, sent }, pick) {
  const up = shapeOf(event.upstream);
  const loc = shapeOf(local.value);
  const out = shapeOf(sent.grad);
  const same = (a, b) => a.length === b.length && a.every((v, d) => v === b[d]);
  const index = pick(parent);
  const label = [el("span", "to "), nodeSymbol(parent.name), el("span", where(parent, index))];
  const elementwise = same(loc, out) ? (!up.length || same(up, out)) : !loc.length && same(up, out);
  if (elementwise) {
    const block = formulaBlock(formulas, "node_event", {
      upstream: up.length ? entry(event.upstream, index) : event.upstream,
      local: loc.length ? entry(local.value, index) : local.value,
      sent: entry(sent.grad, index),
    });
    block.querySelector(".formula-title").append(el("span", " — "), ...label);
    return block;
  }
  const block = el("div", "", "formula-block");
  const title = el("p", "", "formula-title");
  title.append(el("span", "Sent "), ...label);
  const how = out.length < up.length && (same(loc, up) || !loc.length)
    ? `summed over the batch: Σᵢ upstreamᵢ × localᵢ, because ${parent.name} is shared by every sample`
    : `a matrix product of upstream (${describeShape(up)}) and the local derivative ` +
      `(${describeShape(loc)}), giving ${describeShape(out)}`;
  const line = el("p", `${node.name} → ${parent.name}: ${how}. This entry: `);
  line.append(numberSpan(entry(sent.grad, index)));
  block.append(title, line);
  return block;
}
