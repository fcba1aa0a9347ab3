// The neuron diagram's motion: stepping on by one stage (or one node event), the numbers travel.
// Forward through layer l, each a^(l-1)_k leaves its neuron as a packet and is weighted on its
// way (w·a); the packets arriving at a neuron are summed (Σ w·a + b = z), f is applied (a =
// f(z)), and only then is the neuron repainted. Backward, each δ^(l+1)_i leaves as a packet along
// the edges back to layer l, weighted (w·δ); the arrivals are summed (Σ = ∂C/∂a), multiplied by
// f′(z), and only then is the neuron repainted with its δ. Gradients travel as diamonds, values as
// dots. The speed and slow motion stretch all of it; nothing moves for reduced motion.

import { svgEl } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { onLogits } from "../core/catalog.js";

export const TRAVEL_MS = 700; // at 1×
export const STEP_MS = 350; // each sum and each activation, at 1×
const MAX_PACKETS = 48; // the largest contributions travel; the rest would be noise
const MAX_LABELLED = 16; // packets carry their number when a band has at most this many edges
export const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
const fmt = (value) => formatNumber(value, 3);

const at = (value, ...index) => index.reduce((item, i) => (item == null ? item : item[i]), value);

// Packets along band `band`'s edges, from layer `from` to layer `to`, weighted by w of the
// forward pass; `source(k)` is the number leaving neuron k of the sending layer.
function packets(view, parts, band, backward, source) {
  const W = view.trace.params_before.weights[band - 1];
  const list = parts.edges.filter((edge) => edge.l === band).map((edge) => {
    const [sender, receiver] = backward ? [edge.j, edge.k] : [edge.k, edge.j];
    const value = W[edge.j][edge.k] * source(sender);
    const ends = backward ? { x1: edge.x2, y1: edge.y2, x2: edge.x1, y2: edge.y1 } : edge;
    return { ...ends, value, receiver, grad: backward };
  });
  const labelled = list.length <= MAX_LABELLED;
  return list.sort((a, b) => Math.abs(b.value) - Math.abs(a.value)).slice(0, MAX_PACKETS)
    .map((packet) => ({ ...packet, label: labelled ? fmt(packet.value) : "" }));
}

// The badges a layer's neurons show on arrival: the sum, then the activation (or f′).
function badges(parts, layer, first, second) {
  return parts.neurons[layer].map((neuron, j) => ({ x: neuron.cx, y: neuron.cy, texts: [first(j), second(j)] }));
}

function forwardPlan(view, parts, l) {
  const sample = view.sample;
  const previous = l === 1 ? view.inputs[sample] : at(view.forward[l - 1], "activation", sample);
  const stage = view.forward[l];
  return {
    packets: packets(view, parts, l, false, (k) => previous[k]),
    badges: badges(parts, l, (j) => `z = ${fmt(stage.pre_activation[sample][j])}`,
      (j) => `a = ${fmt(stage.activation[sample][j])}`),
  };
}

function backwardPlan(view, parts, l, catalog) {
  const { sample, L } = view;
  const stage = view.backward[l];
  const delta = (j) => `δ = ${fmt(stage.delta[sample][j])}`;
  if (l === L) {
    const fused = onLogits(catalog, view.trace.stages.find((s) => s.phase === "loss").loss_name);
    const times = (j) => (stage.activation_derivative ? `× f′ ${fmt(stage.activation_derivative[sample][j])}` : "× f′");
    return { packets: fromLoss(parts, view, (j) => stage.delta[sample][j], fused),
      badges: badges(parts, l, fused ? () => "(a − y)/N" : times, delta) };
  }
  const next = view.backward[l + 1];
  return {
    packets: packets(view, parts, l + 1, true, (i) => next.delta[sample][i]),
    badges: badges(parts, l, (j) => `Σ = ${fmt(stage.grad_activation[sample][j])}`,
      (j) => (stage.activation_derivative ? `× f′ ${fmt(stage.activation_derivative[sample][j])} → ${delta(j)}` : delta(j))),
  };
}

// Packets from the loss box to each output: ∂C/∂a, or δ itself for a loss taken on the logits.
function fromLoss(parts, view, value, carry = true) {
  if (!carry) return [];
  const { entry } = parts.loss;
  return parts.neurons[view.L].map((neuron, j) => ({ x1: entry.x, y1: entry.y,
    x2: parts.g.out(view.L, j).x, y2: parts.g.out(view.L, j).y, value: value(j), label: fmt(value(j)), grad: true }));
}

function lossPlan(view, parts) {
  const grad = view.loss.grad_output;
  return { packets: fromLoss(parts, view, (j) => grad[view.sample][j]), badges: [] };
}

// What moves when stepping from `from` to `to` (one stage, or one node event, further on the
// same trace and sample), or null when nothing should.
export function planStep(from, to, parts, catalog) {
  if (!from || from.trace !== to.trace || from.sample !== to.sample) return null;
  const node = to.eventKey !== "" && from.eventKey !== "";
  if (node ? to.eventKey !== from.eventKey + 1 : to.stageAt !== from.stageAt + 1 || to.eventKey !== "") return null;
  const stage = to.stage;
  if (node) return nodePlan(to, parts, catalog);
  if (stage.phase === "forward") return forwardPlan(to, parts, stage.layer);
  if (stage.phase === "backward") return backwardPlan(to, parts, stage.layer, catalog);
  if (stage.phase === "loss") return lossPlan(to, parts);
  return null;
}

// Node by node: a pre-activation's forward event brings the weighted packets, an activation's
// backward event the weighted δ packets; the other events show their result at once.
function nodePlan(view, parts, catalog) {
  const event = view.event;
  const node = event && view.trace.graph.nodes.find((n) => n.id === event.node);
  if (!node) return null;
  if (event.phase === "forward" && node.kind === "pre_activation") return forwardPlan(view, parts, node.layer);
  if (event.phase === "backward" && node.kind === "pre_activation" && view.backward[node.layer]) {
    return backwardPlan(view, parts, node.layer, catalog);
  }
  return null;
}

function packetElement(overlay, packet, font) {
  const group = svgEl("g", { class: `packet${packet.grad ? " grad" : ""}` }, overlay);
  const r = Math.max(4, font * 0.22);
  if (packet.grad) svgEl("path", { d: `M0,${-r * 1.3} L${r * 1.3},0 L0,${r * 1.3} L${-r * 1.3},0 Z`, class: "packet-shape" }, group);
  else svgEl("circle", { r, class: "packet-shape" }, group);
  if (packet.label) {
    svgEl("text", { y: -r * 1.8, "text-anchor": "middle", "font-size": Math.max(11, font * 0.55) }, group)
      .textContent = (packet.grad ? "∂ " : "") + packet.label;
  }
  return group;
}

function badgeElement(overlay, badge, font, pill) {
  const size = Math.max(11, font * 0.55);
  const group = svgEl("g", { class: "op-badge", opacity: 0 }, overlay);
  const rect = svgEl("rect", { x: badge.x - pill.width * 0.55, y: badge.y - pill.height / 2 - size * 1.7,
    width: pill.width * 1.1, height: size * 1.45, rx: size * 0.3 }, group);
  const text = svgEl("text", { x: badge.x, y: badge.y - pill.height / 2 - size * 0.65, "text-anchor": "middle",
    "font-size": size }, group);
  return { group, rect, text };
}

// onMotion(running) hears when motion starts and ends (the caption strip holds its numbers
// back until the packets arrive).
export function createMotion(onMotion) {
  let running = null;
  // Stop what moves and show where it was going.
  function finish() {
    if (!running) return;
    const { animations, timers, overlay, done, svg } = running;
    running = null;
    animations.forEach((animation) => animation.cancel());
    timers.forEach(clearTimeout);
    overlay.replaceChildren();
    svg.dataset.motion = "idle";
    onMotion(false);
    done();
  }
  return {
    get running() { return Boolean(running); },
    finish,
    // Play `plan` over the diagram `parts`, `scale` times as long as at 1×, then call done().
    play(parts, plan, scale, done) {
      finish();
      if (!plan || reducedMotion.matches || !parts.svg.isConnected) return done();
      const { overlay, svg, g } = parts;
      if (overlay.previousSibling !== svg) svg.after(overlay);
      const travel = plan.packets.length ? TRAVEL_MS * scale : 0;
      const step = STEP_MS * scale;
      running = { animations: [], timers: [], overlay, done, svg };
      svg.dataset.motion = "running";
      onMotion(true);
      svg.dataset.motionMs = String(Math.round(travel + (plan.badges.length ? 2 * step : 0)));
      for (const packet of plan.packets) {
        const element = packetElement(overlay, packet, g.font);
        running.animations.push(element.animate([
          { transform: `translate(${packet.x1}px, ${packet.y1}px)` },
          { transform: `translate(${packet.x2}px, ${packet.y2}px)` }],
        { duration: travel, easing: "ease-in-out", fill: "forwards" }));
      }
      const shown = plan.badges.map((badge) => ({ badge, element: badgeElement(overlay, badge, g.font, g.pill) }));
      plan.badges.length && [0, 1].forEach((phase) => running.timers.push(setTimeout(() => {
        for (const { badge, element } of shown) {
          element.text.textContent = badge.texts[phase];
          element.group.setAttribute("opacity", "1");
        }
      }, travel + phase * step)));
      running.timers.push(setTimeout(finish, travel + (plan.badges.length ? 2 : 0) * step + 1));
      return undefined;
    },
  };
}
