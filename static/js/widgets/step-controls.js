// Start, back, next and end buttons over positions 0..last, with ← → Home End keys on the widget.

import { el } from "../core/dom.js";

const KEYS = { ArrowLeft: "back", ArrowRight: "next", Home: "start", End: "end" };

function stepButton(text, shortcut, testid) {
  return el("button", { type: "button", "aria-keyshortcuts": shortcut, "data-testid": testid, text });
}

// Keys typed into a field stay with the field.
function typing(event) {
  return Boolean(event.target.closest && event.target.closest("input, select, textarea"));
}

// `widget` receives the keys; onMove(position) runs whenever the position changes.
export function createStepControls(widget, { label, testid, onMove }) {
  let position = 0;
  let last = 0;
  const buttons = {
    start: stepButton("Start", "Home", `${testid}-start`),
    back: stepButton("← Back", "ArrowLeft", `${testid}-back`),
    next: stepButton("Next →", "ArrowRight", `${testid}-next`),
    end: stepButton("End", "End", `${testid}-end`),
  };
  const counter = el("span", { class: "step-counter", "data-testid": `${testid}-position` });
  const element = el("div", { class: "step-controls", role: "group", "aria-label": label },
    ...Object.values(buttons), counter);

  const targets = {
    start: () => 0,
    back: () => position - 1,
    next: () => position + 1,
    end: () => last,
  };
  function go(action) {
    const wanted = Math.max(0, Math.min(last, targets[action]()));
    if (wanted === position) return;
    position = wanted;
    paint();
    onMove(position);
  }
  function paint() {
    counter.textContent = `${position} / ${last}`;
    buttons.start.setAttribute("aria-disabled", String(position === 0));
    buttons.back.setAttribute("aria-disabled", String(position === 0));
    buttons.next.setAttribute("aria-disabled", String(position === last));
    buttons.end.setAttribute("aria-disabled", String(position === last));
  }
  for (const [action, button] of Object.entries(buttons)) button.addEventListener("click", () => go(action));
  widget.addEventListener("keydown", (event) => {
    const action = KEYS[event.key];
    if (!action || typing(event) || element.closest("[hidden]")) return;
    event.preventDefault();
    go(action);
  });

  return {
    element,
    get position() { return position; },
    // A new set of positions; the caller paints position `at` itself.
    reset(count, at = 0) {
      last = Math.max(0, count - 1);
      position = Math.max(0, Math.min(last, at));
      paint();
    },
  };
}
