// The stepping cursor: every action on the engine's traces, at the stage and node levels.

import assert from "node:assert/strict";
import { test } from "node:test";
import { nodeEvents, stageOfEvent } from "../../static/js/trace/model.js";
import { atEnd, follow, position, step } from "../../static/js/trace/stepper.js";
import { fixture } from "./fixtures.js";

const trace = fixture("trace-tiny");
const base = { trace, scalarTrace: null, view: "neurons", level: "stage", stage: 0, event: 0, playing: false,
  params: null, past: [], iteration: 0 };
const run = (state, ...actions) => actions.reduce((s, action) => ({ ...s, ...step(s, action) }), state);

test("next and previous walk the stages and stop at either end", () => {
  const stages = trace.stages.length;
  assert.equal(stages, 6);
  let state = base;
  for (let i = 1; i < stages; i += 1) {
    state = run(state, { type: "next" });
    assert.equal(state.stage, i);
  }
  assert.ok(atEnd(state));
  assert.equal(run(state, { type: "next" }).stage, stages - 1);
  assert.equal(run(state, { type: "previous" }, { type: "previous" }).stage, stages - 3);
  assert.equal(run(base, { type: "previous" }).stage, 0);
  assert.equal(run(state, { type: "restart" }).stage, 0);
});

test("no trace, no step; an unknown action is an error", () => {
  assert.equal(step({ ...base, trace: null }, { type: "next" }), null);
  assert.equal(position({ ...base, trace: null }), null);
  assert.throws(() => step(base, { type: "fly" }), /unknown stepping action "fly"/);
});

test("node by node starts at the stage's first event and the stage follows the event", () => {
  const state = run({ ...base, stage: 3 }, { type: "level", level: "node" });
  assert.equal(state.level, "node");
  const events = nodeEvents(trace);
  assert.equal(stageOfEvent(trace, events[state.event]), 3);
  let walked = state;
  for (let i = 0; i < events.length; i += 1) {
    walked = run(walked, { type: "next" });
    const expected = stageOfEvent(trace, events[walked.event]);
    if (expected >= 0) assert.equal(walked.stage, expected);
  }
  assert.equal(walked.event, events.length - 1);
  assert.equal(follow({ ...walked, stage: 0 }).stage, walked.stage);
  assert.equal(follow(walked), null);
});

test("a jump at the node level goes to the stage's first event; the update has none", () => {
  const node = { ...base, level: "node" };
  const loss = run(node, { type: "jump", stage: 2 });
  assert.equal(loss.stage, 2);
  assert.equal(stageOfEvent(trace, nodeEvents(trace)[loss.event]), 2);
  const update = run(node, { type: "jump", stage: 5 });
  assert.deepEqual([update.stage, update.level], [5, "stage"]);
});

test("play starts over from the end, toggle pauses, apply runs on from the new parameters", () => {
  const end = { ...base, stage: 5 };
  assert.deepEqual(step(end, { type: "play" }), { stage: 0, playing: true });
  assert.deepEqual(step({ ...base, playing: true }, { type: "toggle" }), { playing: false });
  const applied = step(end, { type: "apply" });
  assert.deepEqual(applied.params, trace.params_after);
  assert.notEqual(applied.params, trace.params_after, "a copy, not the trace's own object");
  assert.deepEqual([applied.stage, applied.event, applied.playing, applied.appliedFrom], [0, 0, false, trace.loss]);
  assert.deepEqual([applied.past, applied.iteration], [[null], 1]);
  assert.equal(step({ ...end, trace: { ...trace, diverged: true } }, { type: "apply" }), null);
});

test("advance runs on past the update into the next iteration; back returns across it", () => {
  const end = { ...base, stage: 5 };
  const on = { ...end, ...step(end, { type: "advance" }) };
  assert.deepEqual([on.stage, on.iteration, on.past], [0, 1, [null]]);
  assert.deepEqual(on.params, trace.params_after);
  assert.equal(run(base, { type: "advance" }).stage, 1);
  assert.equal(run(base, { type: "advance" }).started, true);
  const back = { ...on, ...step(on, { type: "back" }) };
  assert.deepEqual([back.stage, back.iteration, back.past, back.params], [5, 0, [], null]);
  assert.match(back.notice, /Back to iteration 1/);
  assert.equal(step(base, { type: "back" }), null, "nothing before the first iteration");
  assert.equal(run({ ...base, stage: 3 }, { type: "back" }).stage, 2);
});
