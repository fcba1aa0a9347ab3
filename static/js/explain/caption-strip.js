// The caption strip right under the diagram: where the iteration is (its number, the stage and
// its name) and the stage's key formulas with this iteration's numbers, set large enough to read
// from the back of a lecture hall. Before the first step it says what to press.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { effectiveLevel } from "../trace/model.js";
import { CONTENT_KEYS, stageContent } from "./stage-panel.js";

// How many of a stage's formulas the strip shows: both of a forward stage's short ones (z, then
// a), the first of the others (the loss, the error δ, the update), unless the stage names its
// own (an optimiser's step and the step beside -eta g).
const KEY_FORMULAS = { forward: 2, loss: 1, backward: 1, update: 1 };

function whereText(state) {
  const { trace } = state;
  const index = Math.min(state.stage, trace.stages.length - 1);
  const iteration = state.iteration ? `Iteration ${state.iteration + 1} · ` : "";
  const after = index === trace.stages.length - 1 && state.nextLoss && state.nextLoss.trace === trace
    ? ` · the loss on this batch goes from ${formatNumber(trace.loss)} to ${formatNumber(state.nextLoss.loss)}` : "";
  return `${iteration}Stage ${index + 1} of ${trace.stages.length}: ${trace.stages[index].name}${after}`;
}

// The strip keeps the tallest height it has had once stepping has started, so the diagram above
// it keeps its size from stage to stage: a stage whose formula is taller, or wraps under the
// stage's name, would otherwise shrink the diagram and have the view lay itself out again at
// every step. What it holds starts again when what it shows changes kind: its width, presenter
// mode, the stepping level, the optimiser or the network (and before the first step, when the
// start hint may take room of its own).
function holdHeight(root, hint) {
  let kind = "";
  let tallest = 0;
  return (state) => {
    const now = JSON.stringify([root.clientWidth, state.present, effectiveLevel(state),
      state.optimizer && state.optimizer.name, state.network]);
    if (now !== kind || !hint.hidden) {
      [kind, tallest] = [now, 0];
      root.style.minHeight = "";
      if (!hint.hidden) return;
    }
    tallest = Math.max(tallest, Math.ceil(root.getBoundingClientRect().height));
    root.style.minHeight = `${tallest}px`;
  };
}

export function mountCaptionStrip(root, store, services) {
  const where = el("p", { class: "caption-where", "data-testid": "caption-stage" });
  const formulas = el("div", { class: "caption-formulas", "data-testid": "caption-formula" });
  const hint = el("p", { class: "caption-hint", "data-testid": "start-hint", hidden: true },
    el("kbd", { text: "→" }), " or ", el("strong", { text: "Next" }),
    ": step through forward, the loss, backward and the update");
  root.append(where, formulas, hint);
  const show = () => {
    const state = store.get();
    const content = stageContent(state, services);
    hint.hidden = state.started || state.stage > 0 || state.iteration > 0 || !content;
    if (!content) {
      where.textContent = state.busy ? "Running the iteration…" : "";
      formulas.replaceChildren();
      return;
    }
    where.textContent = whereText(state);
    const stage = state.trace.stages[Math.min(state.stage, state.trace.stages.length - 1)];
    const count = effectiveLevel(state) === "node" ? 2 : KEY_FORMULAS[stage.phase];
    formulas.replaceChildren(...(content.caption || content.blocks.slice(0, count)));
  };
  const hold = holdHeight(root, hint);
  const render = () => {
    show();
    hold(store.get());
  };
  store.subscribe([...CONTENT_KEYS, "iteration", "started", "nextLoss", "present", "optimizer", "network"], render);
  render();
}
