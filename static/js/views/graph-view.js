// The computational graph of a trace (layer or scalar granularity): nodes at their layout
// positions, edges with arrowheads, stepped by stage or by node event; layers can be collapsed.

import { describeShape, formatNumber } from "../core/format.js";
import { batchSize, clamp, currentStage, eventAt, forSample } from "../trace/model.js";
import { nodeText } from "../trace/notation.js";
import { selectionForNode, selectionNodeIds } from "../trace/selection.js";
import { build } from "./graph-layout.js";

const AUTO_COLLAPSE = 150; // graphs with more nodes open collapsed

const fmt = (value) => formatNumber(value, 3);

// A value in a few characters: a number, a pair, or the shape of anything bigger.
function shortValue(value) {
  if (!Array.isArray(value)) return fmt(value);
  if (Array.isArray(value[0])) return `${value.length}×${value[0].length}`;
  if (value.length <= 2) return `[${value.map((v) => formatNumber(v, 2)).join(", ")}]`;
  return `${value.length} values`;
}

// {catalog}: its node kinds name each node with its symbol (w¹₁₂, not w1_12).
export function createGraphView(granularity, { catalog }) {
  const label = (node) => nodeText(node, catalog.node_kinds);
  let structureKey = "";
  let parts = null;
  let collapsed = null; // null until a graph is seen: then collapsed when it is large
  const indexCache = new WeakMap();

  function render({ state, trace }) {
    if (collapsed === null) collapsed = trace.graph.nodes.length > AUTO_COLLAPSE;
    const key = `${collapsed}:${trace.graph.nodes.map((n) => n.name).join(",")}`;
    if (key !== structureKey) {
      parts = build(trace.graph, granularity, collapsed, label);
      structureKey = key;
    }
    if (!indexCache.has(trace)) indexCache.set(trace, indexTrace(trace));
    const view = { ...model(state, trace, indexCache.get(trace)), label };
    paint(parts, view);
    return { svg: parts.svg, caption: caption(view) };
  }

  return {
    render,
    get collapsed() { return Boolean(collapsed); },
    setCollapsed(on) { collapsed = on; },
    // The selection a click on a node makes (null for targets and the loss).
    selectionFor(target, current) {
      const node = parts && target.dataset.nodeId !== undefined && parts.nodes.get(Number(target.dataset.nodeId));
      return node ? selectionForNode(node, current) : null;
    },
    pick: () => null,
  };
}

// Per trace: nodes by id and name, and when each node's value and gradient become known.
function indexTrace(trace) {
  const byId = new Map(trace.graph.nodes.map((n) => [n.id, n]));
  const valueAt = new Map();
  const gradAt = new Map();
  trace.stages.forEach((stage, index) => {
    const known = stage.phase === "forward" || stage.phase === "loss" ? valueAt : gradAt;
    for (const id of stage.node_ids) if (!known.has(id)) known.set(id, index);
    if (stage.phase === "loss") for (const id of stage.node_ids) if (!gradAt.has(id)) gradAt.set(id, index);
  });
  const events = trace.events || { forward: [], backward: [] };
  const forward = new Map(events.forward.map((e, order) => [e.node, { ...e, order }]));
  const backward = new Map(events.backward.map((e, order) => [e.node, { ...e, order }]));
  return { byId, valueAt, gradAt, forward, backward };
}

// The state of every node and edge at this stage or event, as plain data.
function model(state, trace, index) {
  const batch = batchSize(trace);
  const sample = clamp(state.sample, batch);
  const event = state.level === "node" ? eventAt(trace, state.event) : null;
  const stageAt = currentStage(trace, state);
  const stage = trace.stages[stageAt];
  const selected = new Set(selectionNodeIds(trace, state.selection));
  return { trace, index, sample, batch, event, stageAt, stage, selected, hasEvents: Boolean(trace.events) };
}

// What a node shows now: its value once computed, its gradient once backward has reached it.
function nodeState(view, node) {
  const { index, event, stageAt } = view;
  const leaf = node.role === "input" || node.role === "param" || node.role === "target";
  const forward = index.forward.get(node.id);
  const backward = index.backward.get(node.id);
  let hasValue;
  let hasGrad;
  if (event) {
    hasValue = forward ? event.phase === "backward" || forward.order <= event.order : leaf;
    hasGrad = Boolean(backward) && event.phase === "backward" && backward.order <= event.order;
  } else {
    hasValue = leaf || (index.valueAt.get(node.id) ?? Infinity) <= stageAt;
    hasGrad = (index.gradAt.get(node.id) ?? Infinity) <= stageAt;
  }
  return {
    pending: !hasValue,
    value: hasValue && forward ? forSample(forward.value, node.role, view.sample) : undefined,
    grad: hasGrad && backward ? forSample(backward.upstream, node.role, view.sample) : undefined,
  };
}

// Edges, nodes and labels the current event touches (node-level stepping).
function eventMarks(view) {
  const marks = { active: new Set(), parents: new Set(), fanout: new Set(), edges: new Map() };
  const { event, index, sample, trace } = view;
  if (!event) {
    for (const id of view.stage.node_ids) marks.active.add(id);
    const backward = view.stage.phase === "backward";
    for (const edge of trace.graph.edges) {
      if (!marks.active.has(edge.target)) continue;
      const sent = index.backward.get(edge.target);
      if (backward && sent && !sent.sent.some((s) => s.parent === edge.source)) continue;
      marks.edges.set(`${edge.source}>${edge.target}`, { kind: backward ? "carrying" : "flowing" });
    }
    return marks;
  }
  marks.active.add(event.node);
  if (event.phase === "forward") {
    for (const edge of trace.graph.edges) {
      if (edge.target === event.node) {
        marks.parents.add(edge.source);
        marks.edges.set(`${edge.source}>${edge.target}`, { kind: "flowing" });
      }
    }
    return marks;
  }
  const role = (id) => index.byId.get(id).role;
  for (const sent of event.sent) {
    marks.parents.add(sent.parent);
    marks.edges.set(`${sent.parent}>${event.node}`, { kind: "carrying", t: 0.3,
      label: shortValue(forSample(sent.grad, role(sent.parent), sample)) });
  }
  for (const received of event.received) {
    marks.edges.set(`${event.node}>${received.from}`, { kind: "flowing", t: 0.7,
      label: shortValue(forSample(received.grad, role(event.node), sample)) });
  }
  if (event.received.length > 1) marks.fanout.add(event.node);
  return marks;
}

function bezier(from, to, t) {
  const mid = (from.x + to.x) / 2;
  const u = 1 - t;
  const x = u ** 3 * from.x + 3 * u * u * t * mid + 3 * u * t * t * mid + t ** 3 * to.x;
  const y = u ** 3 * from.y + 3 * u * u * t * from.y + 3 * u * t * t * to.y + t ** 3 * to.y;
  return { x, y };
}

function paint(parts, view) {
  const marks = eventMarks(view);
  for (const shown of parts.display.values()) {
    const { members, group } = shown.item;
    const states = members.map((node) => nodeState(view, node));
    const any = (test) => members.some(test);
    shown.cls("active", any((n) => marks.active.has(n.id)));
    shown.cls("parent", any((n) => marks.parents.has(n.id)));
    shown.cls("selected", any((n) => view.selected.has(n.id)));
    shown.cls("pending", states.every((s) => s.pending));
    shown.badge.attr("visibility", any((n) => marks.fanout.has(n.id)) ? "visible" : "hidden");
    if (group) {
      shown.attr("aria-label", `layer ${shown.item.layer}: ${members.length} nodes (${members.slice(0, 6)
        .map(view.label).join(", ")}${members.length > 6 ? ", …" : ""}); activate to expand the layers`);
      if (shown.value) shown.value.text(`${members.length} nodes`);
      continue;
    }
    const node = members[0];
    const state = states[0];
    if (shown.value) {
      shown.value.text(state.grad !== undefined ? `∂ ${shortValue(state.grad)}`
        : state.value !== undefined ? shortValue(state.value) : shapeText(node.shape));
    }
    shown.attr("aria-label", nodeLabel(node, state, view));
  }
  for (const link of parts.links.values()) {
    const mark = link.edges.map((e) => marks.edges.get(`${e.source}>${e.target}`)).find(Boolean);
    const kind = mark ? mark.kind : "";
    link.path.cls("carrying", kind === "carrying");
    link.path.cls("flowing", kind === "flowing");
    link.path.attr("marker-end", `url(#${kind === "carrying" ? parts.arrows.carrying : parts.arrows.plain})`);
    if (!link.label) continue;
    const text = mark && mark.label && parts.withValue ? mark.label : "";
    link.label.text(text);
    if (text) {
      const point = bezier(link.from, link.to, mark.t);
      link.label.attr("x", point.x.toFixed(1));
      link.label.attr("y", (point.y - 3).toFixed(1));
    }
  }
}

function shapeText(shape) {
  return shape.length ? shape.join("×") : "scalar";
}

function nodeLabel(node, state, view) {
  const what = node.role === "param" ? "parameter" : node.role;
  let label = `${view.label(node)}: ${node.op === node.role ? what : `${node.op}, ${what}`}, layer ${node.layer}, ${describeShape(node.shape)}`;
  const batchy = node.role !== "param" && node.role !== "loss";
  const per = batchy ? ` (sample ${view.sample + 1})` : "";
  if (state.value !== undefined) label += `; value ${shortValue(state.value)}${per}`;
  if (state.grad !== undefined) label += `; gradient dC/d${view.label(node)} ${shortValue(state.grad)}${per}`;
  if (state.pending) label += "; not computed yet";
  return label;
}

function caption(view) {
  const { event, index, sample, batch } = view;
  const of = `sample ${sample + 1} of ${batch}`;
  if (!view.hasEvents) {
    return ["Orange: the nodes this stage computes. Per-node values are not recorded for a network this "
      + "large; the stage panel and the inspector have the numbers."];
  }
  if (!event) {
    return [`Orange: the nodes this stage computes. Dashed boxes are parameters: they are nodes, so the `
      + `gradient reaches them. Values for ${of}; ∂ marks a gradient dC/d(node).`];
  }
  const node = index.byId.get(event.node);
  const role = (id) => index.byId.get(id).role;
  if (event.phase === "forward") {
    const parents = view.trace.graph.edges.filter((e) => e.target === node.id).map((e) => view.label(index.byId.get(e.source)));
    const value = shortValue(forSample(event.value, node.role, sample));
    return [parents.length ? `Forward: ${view.label(node)} = ${node.op}(${parents.join(", ")}) = ${value} for ${of}.`
      : `Forward: ${view.label(node)} is a ${node.role === "param" ? "parameter" : node.role}: ${value}.`];
  }
  const upstream = shortValue(forSample(event.upstream, node.role, sample));
  const lines = [];
  if (event.received.length > 1) {
    const terms = event.received.map((r) => shortValue(forSample(r.grad, node.role, sample)));
    lines.push(`${view.label(node)} feeds ${event.received.length} nodes, so its gradient is the sum of what they send back: `
      + `∂C/∂${view.label(node)} = ${terms.join(" + ")} = ${upstream} (${of}).`);
  } else if (event.received.length === 1) {
    lines.push(`Backward at ${view.label(node)}: ∂C/∂${view.label(node)} = ${upstream}, received from ${view.label(index.byId.get(event.received[0].from))} (${of}).`);
  } else {
    lines.push(`Backward starts at ${view.label(node)} with the seed ∂C/∂${view.label(node)} = ${upstream}.`);
  }
  if (event.sent.length) {
    lines.push(`It sends upstream × local derivative to each parent (numbers on the orange edges): `
      + event.sent.slice(0, 4).map((s) => `${view.label(index.byId.get(s.parent))} gets ${shortValue(forSample(s.grad, role(s.parent), sample))}`).join(", ")
      + (event.sent.length > 4 ? ", …" : "."));
  } else {
    lines.push(`${view.label(node)} is a leaf: its gradient is final.`);
  }
  return lines;
}
