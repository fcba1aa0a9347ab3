// The stepping controls: previous, next and play through the iteration's stages (or node by
// node), the stage track, the speed, slow motion and the level. Every control sends a stepping
// action (trace/stepper.js); what it shows is read back from the store.

import { el, uid } from "../core/dom.js";
import { effectiveLevel, nodeById, nodeEvents, viewTrace } from "../trace/model.js";
import { nodeText } from "../trace/notation.js";
import { position } from "../trace/stepper.js";
import { SPEEDS } from "./playback.js";

function button(text, label, shortcut) {
  return el("button", { type: "button", "aria-label": label, "aria-keyshortcuts": shortcut, text });
}

function buildBar() {
  const ui = {
    words: el("strong", { class: "player-words" }),
    label: el("span", { class: "player-label", "data-testid": "stage-label" }),
    eventLine: el("span", { class: "player-event", "data-testid": "event-position" }),
    track: el("ol", { class: "stage-track", "aria-label": "Stages of the iteration" }),
    position: el("span", { class: "stage-fraction", "data-testid": "stage-position" }),
    restart: button("Restart", "Restart", "Home"),
    previous: button("◀ Previous", "Previous step", "ArrowLeft PageUp"),
    play: button("▶ Play", "Play", "P"),
    next: button("Next ▶", "Next step", "ArrowRight PageDown Space"),
    speed: el("select", { "data-testid": "player-speed" },
      ...SPEEDS.map((s) => new Option(`${s}×`, String(s), s === 1, s === 1))),
    slow: el("input", { type: "checkbox", "data-testid": "player-slow" }),
    note: el("p", { class: "player-note" }),
    levels: {},
  };
  const levelGroup = el("fieldset", { class: "level-switch" }, el("legend", { text: "Step by" }));
  const group = uid("player-level");
  for (const [value, text] of [["stage", "stage"], ["node", "node by node"]]) {
    ui.levels[value] = el("input", { type: "radio", name: group, value });
    levelGroup.append(el("label", { class: "check" }, ui.levels[value], el("span", { text: ` ${text}` })));
  }
  ui.element = el("div", { class: "player", role: "group", "aria-label": "Step through the iteration" },
    el("p", { class: "player-now", "aria-live": "polite" }, ui.words, el("span", { text: " · " }), ui.label, ui.eventLine),
    el("div", { class: "player-where" }, ui.track, ui.position),
    el("div", { class: "player-buttons" }, ui.restart, ui.previous, ui.play, ui.next),
    el("div", { class: "player-settings" }, el("label", {}, "Speed ", ui.speed),
      el("label", { class: "check" }, ui.slow, el("span", { text: " Slow motion" })), levelGroup),
    ui.note);
  return ui;
}

// One button per stage, rebuilt only when the stages change so that a focused chip keeps its
// focus; the current one is marked.
function renderTrack(ui, trace, current, dispatch) {
  const key = trace.stages.map((stage) => stage.tag).join(" ");
  if (ui.track.dataset.key !== key) {
    ui.track.dataset.key = key;
    ui.track.replaceChildren(...trace.stages.map((stage, index) => {
      const jump = button(stage.tag, `${stage.tag}: stage ${index + 1}, ${stage.name}`);
      jump.className = `stage-chip phase-${stage.phase}`;
      jump.addEventListener("click", () => dispatch({ type: "jump", stage: index }));
      return el("li", {}, jump);
    }));
  }
  ui.track.querySelectorAll("button").forEach((chip, index) => {
    if (index === current) chip.setAttribute("aria-current", "step");
    else chip.removeAttribute("aria-current");
  });
}

function renderEmpty(ui, state) {
  ui.words.textContent = state.busy ? "Running the iteration…" : "No iteration yet";
  for (const part of [ui.label, ui.eventLine, ui.position]) part.textContent = "";
}

function render(ui, state, dispatch, reducedMotion, kinds) {
  const step = position(state);
  for (const control of [ui.restart, ui.play, ...Object.values(ui.levels)]) control.disabled = !step;
  ui.play.textContent = state.playing ? "Pause" : "▶ Play";
  ui.play.setAttribute("aria-label", state.playing ? "Pause" : "Play");
  ui.play.setAttribute("aria-pressed", String(Boolean(state.playing)));
  if (!step) return renderEmpty(ui, state);
  const { trace } = state;
  const stageIndex = Math.min(state.stage, trace.stages.length - 1);
  ui.words.textContent = `${state.iteration ? `Iteration ${state.iteration + 1} · ` : ""}`
    + `Stage ${stageIndex + 1} of ${trace.stages.length}`;
  ui.label.textContent = trace.stages[stageIndex].name;
  ui.position.textContent = `${stageIndex + 1} / ${trace.stages.length}`;
  renderTrack(ui, trace, stageIndex, dispatch);
  // aria-disabled rather than disabled, so that a focused button keeps its focus at either end.
  // At the update, Next runs on into the next iteration; at the start, Previous goes back to the
  // last one, if there was one.
  const atEnd = step.at >= step.count - 1;
  const atStart = step.at <= 0;
  ui.previous.setAttribute("aria-disabled", String(atStart && !state.past.length));
  ui.next.setAttribute("aria-disabled", String(atEnd && trace.diverged));
  ui.next.textContent = atEnd ? "Next iteration ▶" : "Next ▶";
  ui.next.setAttribute("aria-label", atEnd ? "Next iteration: apply the update and run on" : "Next step");
  ui.previous.textContent = atStart && state.past.length ? "◀ Previous iteration" : "◀ Previous";
  const events = nodeEvents(viewTrace(state));
  ui.levels.node.disabled = !events.length;
  ui.levels[effectiveLevel(state)].checked = true;
  ui.note.textContent = [
    reducedMotion ? "Your system asks for reduced motion: playback stays at 1× or slower." : "",
    events.length ? "" : "Node-by-node stepping needs per-node events, which are sent for "
      + "networks of up to 200 weights.",
  ].filter(Boolean).join(" ");
  const event = step.node ? events[step.at] : null;
  ui.eventLine.textContent = event ? `node step ${step.at + 1} of ${step.count}: ${event.direction} `
    + `${nodeText(nodeById(viewTrace(state), event.node), kinds)}` : "";
  return undefined;
}

export function mountPlayer(root, store, services, playback) {
  const { dispatch } = services;
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
  const ui = buildBar();
  const heading = root.querySelector("h2");
  if (heading) heading.after(ui.element);
  else root.prepend(ui.element);

  ui.restart.addEventListener("click", () => dispatch({ type: "restart" }));
  ui.previous.addEventListener("click", () => dispatch({ type: "back" }));
  ui.next.addEventListener("click", () => dispatch({ type: "advance" }));
  ui.play.addEventListener("click", () => dispatch({ type: "toggle" }));
  for (const [level, input] of Object.entries(ui.levels)) {
    input.addEventListener("change", () => input.checked && dispatch({ type: "level", level }));
  }
  const timing = () => {
    services.setTiming(playback.interval(), playback.slow);
    store.set({ pace: { speed: playback.speed, slow: playback.slow } });
  };
  ui.speed.addEventListener("change", () => { playback.set({ speed: Number(ui.speed.value) }); timing(); });
  ui.slow.addEventListener("change", () => { playback.set({ slow: ui.slow.checked }); timing(); });
  // With reduced motion, playback is never faster than 1×; stepping by hand is unchanged.
  const respectMotion = () => {
    for (const option of ui.speed.options) option.disabled = reducedMotion.matches && Number(option.value) > 1;
    if (reducedMotion.matches && playback.speed > 1) {
      playback.set({ speed: 1 });
      ui.speed.value = "1";
    }
    timing();
    render(ui, store.get(), dispatch, reducedMotion.matches, services.catalog.node_kinds);
  };
  store.subscribe(["trace", "scalarTrace", "stage", "event", "level", "view", "busy", "playing", "past",
    "iteration"],
    (state) => render(ui, state, dispatch, reducedMotion.matches, services.catalog.node_kinds));
  reducedMotion.addEventListener("change", respectMotion);
  respectMotion();
  return ui.element;
}
