// The RNN unrolled over its time steps as SVG, each h_t shaded by ||dC/dh_t|| from the API.

import { formatNumber } from "../core/format.js";
import { svgEl } from "../core/dom.js";

const COLUMN = 96;
const BOX = { w: 60, h: 46 };
const ROWS = { out: 40, h: 128, x: 214 };
const LEFT = 84;
const RIGHT = 90;
const HEIGHT = 250;

const marker = (defs, id, cls) => {
  const m = svgEl("marker", { id, viewBox: "0 0 8 8", refX: 8, refY: 4, markerWidth: 7, markerHeight: 7,
    markerUnits: "userSpaceOnUse", orient: "auto", class: cls }, defs);
  svgEl("path", { d: "M0,0 L8,4 L0,8 z" }, m);
};

function box(parent, x, y, text, cls) {
  const group = svgEl("g", { class: `bc-box ${cls}` }, parent);
  svgEl("rect", { x: x - BOX.w / 2, y: y - BOX.h / 2, width: BOX.w, height: BOX.h, rx: 6 }, group);
  const label = svgEl("text", { x, y: y + 5, "text-anchor": "middle" }, group);
  label.textContent = text;
  return group;
}

function arrow(parent, from, to, cls, id) {
  return svgEl("line", { x1: from.x, y1: from.y, x2: to.x, y2: to.y, class: `bc-arrow ${cls}`, "marker-end": `url(#${id})` },
    parent);
}

// Builds the chain for one response; paint(t) highlights step t (0: none).
export function createChain(data) {
  const steps = data.steps;
  const width = LEFT + steps * COLUMN + RIGHT;
  const id = `bc-${Math.random().toString(36).slice(2)}`;
  const svg = svgEl("svg", { viewBox: `0 0 ${width} ${HEIGHT}`, width, height: HEIGHT, class: "bptt-chain", role: "img",
    "aria-label": `The RNN unrolled over ${steps} time steps, with the same W_hh between every pair of hidden states`,
    "data-testid": "bptt-chain" });
  const defs = svgEl("defs", {}, svg);
  marker(defs, `${id}-plain`, "plain");
  marker(defs, `${id}-shared`, "shared");
  marker(defs, `${id}-hot`, "hot");
  const arrows = svgEl("g", {}, svg);
  const boxes = svgEl("g", {}, svg);

  const cx = (t) => LEFT + (t - 0.5) * COLUMN;
  const peak = Math.max(...data.grad_norm_by_step.map((n) => (n === null ? 0 : n)), 0);
  svgEl("title", {}, box(boxes, cx(0), ROWS.h, "h₀", "start")).textContent = "h₀ = 0: the state before the first step";
  const parts = [];
  for (let t = 1; t <= steps; t += 1) {
    const x = cx(t);
    const previous = cx(t - 1) + BOX.w / 2;
    const recur = arrow(arrows, { x: previous, y: ROWS.h }, { x: x - BOX.w / 2 - 1, y: ROWS.h }, "shared", `${id}-shared`);
    svgEl("text", { x: (previous + x - BOX.w / 2) / 2, y: ROWS.h - 8, "text-anchor": "middle", class: "bc-weight shared" },
      arrows).textContent = "W_hh";
    const input = arrow(arrows, { x, y: ROWS.x - BOX.h / 2 }, { x, y: ROWS.h + BOX.h / 2 + 1 }, "plain", `${id}-plain`);
    svgEl("text", { x: x + 4, y: (ROWS.x + ROWS.h) / 2 + 4, class: "bc-weight" }, arrows).textContent = "W_xh";
    box(boxes, x, ROWS.x, formatNumber(data.inputs[t - 1][0], 2), "input");
    const norm = data.grad_norm_by_step[t - 1];
    const hidden = box(boxes, x, ROWS.h, `h${t}`, "hidden");
    hidden.setAttribute("data-step", t);
    hidden.querySelector("rect").setAttribute("fill-opacity", String(norm === null ? 1 : 0.06 + 0.7 * (peak ? norm / peak : 0)));
    hidden.querySelector("text").setAttribute("y", ROWS.h - 3);
    const normText = svgEl("text", { x, y: ROWS.h + 14, "text-anchor": "middle", class: "bc-norm",
      "data-value": String(norm) }, hidden);
    normText.textContent = norm === null ? "overflow" : formatNumber(norm, 2);
    svgEl("title", {}, hidden).textContent = `h${t}: ||∂C/∂h${t}|| = ${norm === null ? "overflow" : norm}`;
    parts.push({ hidden, recur, input });
    if (data.loss_at === "every" || t === steps) {
      arrow(arrows, { x, y: ROWS.h - BOX.h / 2 }, { x, y: ROWS.out + BOX.h / 2 + 1 }, "plain", `${id}-plain`);
      box(boxes, x, ROWS.out, `ŷ${t}`, "output");
    }
  }
  const loss = { x: width - RIGHT / 2, y: ROWS.out };
  box(boxes, loss.x, loss.y, "C", "loss");
  arrow(arrows, { x: cx(steps) + BOX.w / 2, y: ROWS.out }, { x: loss.x - BOX.w / 2 - 1, y: loss.y }, "plain", `${id}-plain`);

  function paint(current) {
    parts.forEach((part, index) => {
      const on = index + 1 === current;
      part.hidden.classList.toggle("current", on);
      part.recur.classList.toggle("hot", on);
      part.recur.setAttribute("marker-end", `url(#${id}-${on ? "hot" : "shared"})`);
    });
  }

  return { svg, paint };
}
