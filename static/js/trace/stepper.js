// Stepping through an iteration as a pure function: step(state, action) gives the store patch
// that carries the action out (or null when it changes nothing). The player's buttons, the keys,
// the playback timer, a test or a remote teacher all drive the playground by sending these same
// actions. Actions:
//   {type: "next"} {type: "previous"} {type: "restart"}   along the current level
//   {type: "advance"} {type: "back"}                       the same, running on past the update
//                                                          into the next iteration, and back
//   {type: "jump", stage}                                  to a stage (its first node event)
//   {type: "level", level}                                 "stage" or "node" stepping
//   {type: "play"} {type: "pause"} {type: "toggle"}        playback
//   {type: "apply"}                                        run on into the next iteration
// The stage follows the node event in node-level stepping (see `follow`).

import { effectiveLevel, eventOfStage, nodeEvents, stageOfEvent, viewTrace } from "./model.js";

// Where the cursor is and how many steps the current level has; null without a trace.
export function position(state) {
  const { trace } = state;
  if (!trace) return null;
  if (effectiveLevel(state) === "node") {
    const events = nodeEvents(viewTrace(state));
    return { at: Math.min(state.event, events.length - 1), count: events.length, node: true };
  }
  return { at: Math.min(state.stage, trace.stages.length - 1), count: trace.stages.length, node: false };
}

export function atEnd(state) {
  const where = position(state);
  return !where || where.at >= where.count - 1;
}

// The patch that moves to step `index` of the current level, keeping the stage in step with
// the node event.
function goTo(state, index) {
  const where = position(state);
  if (!where) return null;
  const at = Math.max(0, Math.min(index, where.count - 1));
  if (!where.node) return { stage: at };
  const trace = viewTrace(state);
  const stage = stageOfEvent(trace, nodeEvents(trace)[at]);
  return stage >= 0 ? { event: at, stage } : { event: at };
}

// A stage of the track: at the node level, its first node event (or stage stepping for a
// stage that has none, the update).
function jump(state, stage) {
  if (effectiveLevel(state) !== "node") return { stage };
  const event = eventOfStage(viewTrace(state), stage);
  return event >= 0 ? { stage, event } : { stage, level: "stage" };
}

// Node by node starts at the current stage's first node event.
function level(state, wanted) {
  const event = wanted === "node" && state.trace ? eventOfStage(viewTrace(state), state.stage) : -1;
  return event >= 0 ? { level: wanted, event } : { level: wanted };
}

// Start from the new parameters: the update applied, the next iteration at its first stage.
function apply(state) {
  const { trace } = state;
  if (!trace || trace.diverged) return null;
  return { params: structuredClone(trace.params_after), stage: 0, event: 0, playing: false,
    appliedFrom: trace.loss, past: [...state.past, state.params], iteration: state.iteration + 1 };
}

// Back to the parameters the last applied update started from, at that iteration's update.
function retreat(state) {
  if (!state.past.length) return null;
  return { params: state.past[state.past.length - 1], past: state.past.slice(0, -1),
    iteration: state.iteration - 1, stage: state.trace.stages.length - 1,
    event: Math.max(0, nodeEvents(viewTrace(state)).length - 1),
    playing: false, appliedFrom: null, notice: `Back to iteration ${state.iteration}, at its update.` };
}

const ACTIONS = {
  next: (state) => goTo(state, position(state).at + 1),
  previous: (state) => goTo(state, position(state).at - 1),
  advance: (state) => (atEnd(state) ? apply(state) : { ...goTo(state, position(state).at + 1), started: true }),
  back: (state) => (position(state).at > 0 ? goTo(state, position(state).at - 1) : retreat(state)),
  restart: (state) => ({ ...goTo(state, 0), playing: false }),
  jump: (state, action) => jump(state, action.stage),
  level: (state, action) => level(state, action.level),
  play: (state) => ({ ...(atEnd(state) ? goTo(state, 0) : {}), playing: true }),
  pause: () => ({ playing: false }),
  toggle: (state) => (state.playing ? { playing: false } : ACTIONS.play(state)),
  apply,
};

// The patch an action makes, or null when there is nothing to step (no trace yet).
export function step(state, action) {
  const run = ACTIONS[action.type];
  if (!run) throw new Error(`unknown stepping action "${action.type}"`);
  if (!state.trace && action.type !== "pause") return null;
  return run(state, action);
}

// At the node level the stage follows the node event (after a new trace or a new link too):
// the patch that puts it right, or null when it already is.
export function follow(state) {
  if (!state.trace || effectiveLevel(state) !== "node") return null;
  const trace = viewTrace(state);
  const events = nodeEvents(trace);
  const stage = stageOfEvent(trace, events[Math.min(state.event, events.length - 1)]);
  return stage >= 0 && stage !== state.stage ? { stage } : null;
}
