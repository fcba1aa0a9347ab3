// The node level of the stage panel: what the current node of the computational graph
// computed (a forward event) or received and passed back to each parent (a backward event:
// upstream × local derivative = sent), for the selected sample and entry.

import { el } from "../core/dom.js";
import { describeShape, formatNumber, shapeOf } from "../core/format.js";
import { entry, nodeById, nodeEvents, viewTrace } from "../trace/model.js";
import { formulaBlock } from "./formula-view.js";
import { nodeSymbol } from "./symbols.js";

// The node level: a forward event's value, or a backward event's upstream × local = sent, as
// {sentence, label, blocks, extra} (see stage-panel.js stageContent).
export function eventContent(read, state) {
  const trace = viewTrace(state);
  const events = nodeEvents(trace);
  const event = events[Math.max(0, Math.min(state.event, events.length - 1))];
  const node = nodeById(trace, event.node);
  const pick = entryPicker(trace, read);
  const label = read.focusLine([el("span", { text: "node " }), nodeSymbol(node, read.kinds),
    el("span", { text: ` (${node.op}, ${describeShape(node.shape)})` })]);
  if (event.direction === "forward") {
    const parents = trace.graph.edges.filter((e) => e.target === node.id)
      .sort((a, b) => a.index - b.index).map((e) => nodeById(trace, e.source).name);
    const index = pick(node);
    return {
      sentence: parents.length
        ? `Forward, node by node: ${node.name} = ${node.op}(${parents.join(", ")}) is computed `
          + "from its parents and kept for the backward pass."
        : `Forward, node by node: ${node.name} is a leaf (${node.role}): its value is given, not computed.`,
      label,
      blocks: [el("p", { class: "event-value" }, nodeSymbol(node, read.kinds),
        el("span", { text: `${where(node, index)} = ` }), numberSpan(entry(event.value, index)))],
      extra: [],
    };
  }
  const blocks = [receivedList(read, trace, event, node, pick(node))];
  for (const sent of event.sent) {
    const parent = nodeById(trace, sent.parent);
    const local = event.local.find((d) => d.parent === sent.parent);
    blocks.push(sentBlock(read, { event, node, parent, local, sent }, pick));
  }
  return {
    sentence: event.sent.length
      ? `Backward, node by node: ${node.name} has its full gradient (upstream); it multiplies it by `
        + "its local derivative for each parent and sends the product back."
      : `Backward, node by node: ${node.name} is a leaf (${node.role}); what it received is its `
        + "gradient, and nothing goes further back.",
    label, blocks, extra: [],
  };
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
  const span = el("span", { text: formatNumber(value), class: "num" });
  if (typeof value === "number") span.dataset.value = String(value);
  return span;
}

function receivedList(read, trace, event, node, index) {
  const block = el("div", { class: "formula-block received" });
  const title = el("p", { class: "formula-title" });
  title.append(el("span", { text: "What " }), nodeSymbol(node, read.kinds), el("span", { text: `${where(node, index)} received (its upstream gradient ∂C/∂v)` }));
  block.append(title);
  if (!event.received.length) {
    block.append(el("p", { text: "It is the cost itself: the backward pass starts here with ∂C/∂C = 1." }));
    return block;
  }
  const list = el("ul", { class: "received-list" });
  for (const item of event.received) {
    const li = el("li", { text: "from " });
    li.append(nodeSymbol(nodeById(trace, item.from), read.kinds), el("span", { text: `: ` }),
      numberSpan(entry(item.grad, index)));
    list.append(li);
  }
  block.append(list);
  if (event.received.length > 1) {
    const sum = el("p", { text: `${node.name} fans out to ${event.received.length} nodes, so their ` +
      `gradients add up: upstream = `, class: "received-sum" });
    sum.append(numberSpan(entry(event.upstream, index)));
    block.append(sum);
  }
  return block;
}

// One parent's share: upstream × local = sent where that is elementwise; otherwise a summary of
// how the shapes combine and the selected entry of what was sent.
function sentBlock(read, { event, node, parent, local, sent }, pick) {
  const up = shapeOf(event.upstream);
  const loc = shapeOf(local.value);
  const out = shapeOf(sent.grad);
  const same = (a, b) => a.length === b.length && a.every((v, d) => v === b[d]);
  const index = pick(parent);
  const label = [el("span", { text: "to " }), nodeSymbol(parent, read.kinds), el("span", { text: where(parent, index) })];
  const elementwise = same(loc, out) ? (!up.length || same(up, out)) : !loc.length && same(up, out);
  if (elementwise) {
    const block = formulaBlock(read.formulas, "node_event", {
      upstream: up.length ? entry(event.upstream, index) : event.upstream,
      local: loc.length ? entry(local.value, index) : local.value,
      sent: entry(sent.grad, index),
    });
    block.querySelector(".formula-title").append(el("span", { text: " — " }), ...label);
    return block;
  }
  const block = el("div", { class: "formula-block" });
  const title = el("p", { class: "formula-title" });
  title.append(el("span", { text: "Sent " }), ...label);
  const how = out.length < up.length && (same(loc, up) || !loc.length)
    ? `summed over the batch: Σᵢ upstreamᵢ × localᵢ, because ${parent.name} is shared by every sample`
    : `a matrix product of upstream (${describeShape(up)}) and the local derivative ` +
      `(${describeShape(loc)}), giving ${describeShape(out)}`;
  const line = el("p", { text: `${node.name} → ${parent.name}: ${how}. This entry: ` });
  line.append(numberSpan(entry(sent.grad, index)));
  block.append(title, line);
  return block;
}
