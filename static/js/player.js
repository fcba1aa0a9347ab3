// The stepping controls: previous, next and play through the iteration's stages (or node by
// node), at a chosen speed, plus the coarser steps "apply update" and "run an epoch".

import { formatNumber } from "./format.js";
import {
  effectiveLevel, el, eventOfStage, nodeById, nodeEvents, stageName, stageOfEvent, stageTag,
  viewTrace,
} from "./trace-read.js";

const SPEEDS = [0.5, 1, 2, 4];
const STEP_MS = 1500; // one step at 1×
const SLOW_FACTOR = 3;
const KEYS = { ArrowRight: "next", ArrowLeft: "previous", " ": "toggle", Home: "restart" };

function button(text, label, shortcut) {
  const b = el("button", text);
  b.type = "button";
  b.setAttribute("aria-label", label);
  if (shortcut) b.setAttribute("aria-keyshortcuts", shortcut);
  return b;
}

// Keys typed into a form field or used by a focused control stay with it.
function keyBelongsToTarget(event) {
  const target = event.target;
  if (target.closest && target.closest("input, select, textarea, [contenteditable='true']")) return true;
  return event.key === " " && target.closest && target.closest("button, a, summary, [role='button']");
}

export function mountPlayer(root, store, context) {
  const reducedMotion = matchMedia("(prefers-reduced-motion: reduce)");
  let timer = null;
  let speed = 1;
  let slow = false;
  let pendingLoss = null; // the loss before "apply update", to compare once the new trace arrives
  let training = false; // an epoch request is under way

  const bar = el("div", "", "player");
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Step through the iteration");

  const now = el("p", "", "player-now");
  const words = el("strong", "", "player-words");
  const label = el("span", "", "player-label");
  label.dataset.testid = "stage-label";
  const eventLine = el("span", "", "player-event");
  eventLine.dataset.testid = "event-position";
  now.append(words, el("span", " · "), label, eventLine);
  now.setAttribute("aria-live", "polite");

  const track = el("ol", "", "stage-track");
  track.setAttribute("aria-label", "Stages of the iteration");
  const position = el("span", "", "stage-fraction");
  position.dataset.testid = "stage-position";

  const restart = button("Restart", "Restart", "Home");
  const previous = button("◀ Previous", "Previous step", "ArrowLeft");
  const play = button("▶ Play", "Play", "Space");
  const next = button("Next ▶", "Next step", "ArrowRight");
  const buttons = el("div", "", "player-buttons");
  buttons.append(restart, previous, play, next);

  const speedSelect = el("select");
  speedSelect.id = "player-speed";
  for (const s of SPEEDS) speedSelect.append(new Option(`${s}×`, String(s), s === 1, s === 1));
  const speedLabel = el("label", "Speed ");
  speedLabel.append(speedSelect);

  const slowBox = Object.assign(el("input"), { type: "checkbox", id: "player-slow" });
  const slowLabel = el("label", "", "check");
  slowLabel.append(slowBox, el("span", " Slow motion"));

  const levelGroup = el("fieldset", "", "level-switch");
  levelGroup.append(el("legend", "Step by"));
  const levelInputs = {};
  for (const [value, text] of [["stage", "stage"], ["node", "node by node"]]) {
    const input = Object.assign(el("input"), { type: "radio", name: "player-level", value });
    const option = el("label", "", "check");
    option.append(input, el("span", ` ${text}`));
    levelGroup.append(option);
    levelInputs[value] = input;
    input.addEventListener("change", () => input.checked && switchLevel(value));
  }

  const settings = el("div", "", "player-settings");
  settings.append(speedLabel, slowLabel, levelGroup);
  const note = el("p", "", "player-note");

  const apply = button("Apply update", "Apply update: start the next iteration from the new weights");
  const epoch = button("Run an epoch", "Run an epoch: one pass of mini-batch steps over the whole dataset");
  const coarse = el("div", "", "player-coarse");
  const coarseStatus = el("p", "", "player-status");
  coarseStatus.setAttribute("role", "status");
  coarse.append(apply, epoch);

  const where = el("div", "", "player-where");
  where.append(track, position);
  bar.append(now, where, buttons, settings, note, coarse, coarseStatus);
  const heading = root.querySelector("h2");
  if (heading) heading.after(bar);
  else root.prepend(bar);

  // Node by node starts at the current stage's first node event.
  function switchLevel(level) {
    const state = store.get();
    const event = level === "node" && state.trace ? eventOfStage(viewTrace(state), state.stage) : -1;
    store.set(event >= 0 ? { level, event } : { level });
  }

  // At the node level the stage follows the node event (also after a new trace or a new link).
  function followEvent(state) {
    if (effectiveLevel(state) !== "node") return;
    const trace = viewTrace(state);
    const events = nodeEvents(trace);
    const stage = stageOfEvent(trace, events[Math.min(state.event, events.length - 1)]);
    if (stage >= 0 && stage !== state.stage) store.set({ stage });
  }

  // Where we are and where the steps go, for the current level.
  const stepper = () => {
    const state = store.get();
    const { trace } = state;
    if (!trace) return null;
    if (effectiveLevel(state) === "node") {
      const events = nodeEvents(viewTrace(state));
      return { at: Math.min(state.event, events.length - 1), count: events.length, node: true };
    }
    return { at: Math.min(state.stage, trace.stages.length - 1), count: trace.stages.length, node: false };
  };

  // Move to step `index` of the current level, keeping the stage in step with the node event.
  const goTo = (index) => {
    const step = stepper();
    if (!step) return;
    const at = Math.max(0, Math.min(index, step.count - 1));
    if (!step.node) {
      store.set({ stage: at });
      return;
    }
    const trace = viewTrace(store.get());
    const stage = stageOfEvent(trace, nodeEvents(trace)[at]);
    store.set(stage >= 0 ? { event: at, stage } : { event: at });
  };

  const interval = () => (STEP_MS / speed) * (slow ? SLOW_FACTOR : 1);
  const atEnd = () => {
    const step = stepper();
    return !step || step.at >= step.count - 1;
  };
  const stop = () => {
    clearTimeout(timer);
    timer = null;
    render();
  };
  const tick = () => {
    if (atEnd()) return stop();
    goTo(stepper().at + 1);
    timer = atEnd() ? null : setTimeout(tick, interval());
    return render();
  };
  const start = () => {
    if (atEnd()) goTo(0);
    clearTimeout(timer);
    timer = setTimeout(tick, interval());
    render();
  };
  const actions = {
    next: () => goTo(stepper().at + 1),
    previous: () => goTo(stepper().at - 1),
    toggle: () => (timer ? stop() : start()),
    restart: () => {
      clearTimeout(timer);
      timer = null;
      goTo(0);
      render();
    },
  };

  restart.addEventListener("click", actions.restart);
  previous.addEventListener("click", actions.previous);
  next.addEventListener("click", actions.next);
  play.addEventListener("click", actions.toggle);
  document.addEventListener("keydown", (event) => {
    const action = KEYS[event.key];
    if (!action || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (keyBelongsToTarget(event) || !stepper()) return;
    event.preventDefault();
    actions[action]();
  });

  const applyTiming = () => {
    document.documentElement.style.setProperty("--step-duration", `${Math.round(interval() * 0.4)}ms`);
  };
  speedSelect.addEventListener("change", () => {
    speed = Number(speedSelect.value);
    applyTiming();
    if (timer) start();
  });
  slowBox.addEventListener("change", () => {
    slow = slowBox.checked;
    document.documentElement.classList.toggle("slow-motion", slow);
    applyTiming();
    if (timer) start();
  });
  // With reduced motion, playback is never faster than 1×; stepping by hand is unchanged.
  const respectMotion = () => {
    for (const option of speedSelect.options) option.disabled = reducedMotion.matches && Number(option.value) > 1;
    if (reducedMotion.matches && speed > 1) {
      speed = 1;
      speedSelect.value = "1";
    }
    applyTiming();
    render();
  };

  apply.addEventListener("click", () => {
    const { trace } = store.get();
    if (!trace || trace.diverged) return;
    stop();
    pendingLoss = trace.loss;
    coarseStatus.textContent = "Applied the update; running the next iteration from the new weights…";
    store.set({ params: structuredClone(trace.params_after), stage: 0, event: 0 });
  });

  epoch.addEventListener("click", async () => {
    const state = store.get();
    if (!state.trace || !state.dataset) return;
    stop();
    const { inputs, targets } = state.dataset;
    const batch = context.steppingBatch(state).inputs.length;
    const iterations = Math.ceil(inputs.length / batch);
    training = true;
    render();
    coarseStatus.textContent = `Running an epoch: ${iterations} steps of ${batch} samples…`;
    try {
      const result = await context.api.train({
        network: state.network, seed: state.seed, init: state.init, params: state.trace.params_before,
        inputs, targets, learning_rate: state.learningRate, batch_size: batch, iterations,
        snapshot_every: iterations,
      });
      if (result.diverged) {
        coarseStatus.textContent = `The epoch diverged at step ${result.diverged_at}: the ` +
          `learning rate is too large. The weights were left as they were.`;
        return;
      }
      const first = result.snapshots[0];
      const last = result.snapshots[result.snapshots.length - 1];
      coarseStatus.textContent = `Ran one epoch: ${result.iterations_run} steps of ` +
        `${result.batch_size} samples. The loss over all ${inputs.length} points went from ` +
        `${formatNumber(first.train_loss)} to ${formatNumber(last.train_loss)}.`;
      pendingLoss = null;
      store.set({ params: result.params_after, stage: 0, event: 0 });
    } catch (error) {
      coarseStatus.textContent = `The epoch could not run: ${error.message}`;
    } finally {
      training = false;
      render();
    }
  });

  // The stepper track: one button per stage, rebuilt only when the stages change so that a
  // focused chip keeps its focus; the current one is marked.
  let trackKey = "";
  const renderTrack = (trace, current) => {
    const key = trace.stages.map(stageTag).join(" ");
    if (key !== trackKey) {
      trackKey = key;
      track.replaceChildren(...trace.stages.map((stage, index) => {
        const item = el("li");
        const jump = button(stageTag(stage), `${stageTag(stage)}: stage ${index + 1}, ${stageName(stage)}`);
        jump.className = `stage-chip phase-${stage.phase}`;
        jump.addEventListener("click", () => jumpTo(index));
        item.append(jump);
        return item;
      }));
    }
    track.querySelectorAll("button").forEach((chip, index) => {
      if (index === current) chip.setAttribute("aria-current", "step");
      else chip.removeAttribute("aria-current");
    });
  };
  const jumpTo = (index) => {
    const state = store.get();
    if (effectiveLevel(state) !== "node") {
      store.set({ stage: index });
      return;
    }
    const event = eventOfStage(viewTrace(state), index);
    store.set(event >= 0 ? { stage: index, event } : { stage: index, level: "stage" });
  };

  function render() {
    const state = store.get();
    const { trace } = state;
    const step = stepper();
    for (const control of [restart, play, apply, ...Object.values(levelInputs)]) control.disabled = !step;
    epoch.disabled = !step || !state.dataset || training;
    play.textContent = timer ? "Pause" : "▶ Play";
    play.setAttribute("aria-label", timer ? "Pause" : "Play");
    play.setAttribute("aria-pressed", timer ? "true" : "false");
    if (!step) {
      words.textContent = state.busy ? "Running the iteration…" : "No iteration yet";
      label.textContent = "";
      eventLine.textContent = "";
      position.textContent = "";
      return;
    }
    const stageIndex = Math.min(state.stage, trace.stages.length - 1);
    const stage = trace.stages[stageIndex];
    words.textContent = `Stage ${stageIndex + 1} of ${trace.stages.length}`;
    label.textContent = stageName(stage);
    position.textContent = `${stageIndex + 1} / ${trace.stages.length}`;
    renderTrack(trace, stageIndex);
    // aria-disabled rather than disabled, so that a focused button keeps its focus at either end.
    previous.setAttribute("aria-disabled", String(step.at <= 0));
    next.setAttribute("aria-disabled", String(step.at >= step.count - 1));

    const events = nodeEvents(viewTrace(state));
    levelInputs.node.disabled = !events.length;
    levelInputs[effectiveLevel(state)].checked = true;
    note.textContent = [
      reducedMotion.matches ? "Your system asks for reduced motion: playback stays at 1× or slower." : "",
      events.length ? "" : "Node-by-node stepping needs per-node events, which are sent for " +
        "networks of up to 200 weights.",
    ].filter(Boolean).join(" ");
    if (step.node) {
      const event = events[step.at];
      const name = nodeById(viewTrace(state), event.node).name;
      eventLine.textContent = `node step ${step.at + 1} of ${step.count}: ${event.direction} ${name}`;
    } else {
      eventLine.textContent = "";
    }
    apply.disabled = trace.diverged;
    apply.title = trace.diverged ? "This iteration diverged: its new weights are not finite." : "";
  }

  store.subscribe(["trace", "scalarTrace", "stage", "event", "level", "view", "busy", "dataset"], (state, changed) => {
    if (changed.includes("trace") && state.trace) {
      if (pendingLoss !== null) {
        coarseStatus.textContent = `Applied the update: the loss on this batch went from ` +
          `${formatNumber(pendingLoss)} to ${formatNumber(state.trace.loss)}.`;
        pendingLoss = null;
      }
      const last = state.trace.stages.length - 1;
      if (state.stage > last) store.set({ stage: last });
    }
    followEvent(store.get());
    if (timer && atEnd()) stop();
    render();
  });
  reducedMotion.addEventListener("change", respectMotion);
  respectMotion();
}
