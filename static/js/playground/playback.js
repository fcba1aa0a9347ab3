// Playback: while the store says `playing`, a "next" step every interval (1.5 s at 1×, three
// times as long in slow motion), stopping at the last step. Driven by the store, so a pause
// from anywhere (a key, a button, a remote teacher) stops it.

import { atEnd } from "../trace/stepper.js";

export const SPEEDS = [0.5, 1, 2, 4];
const STEP_MS = 1500; // one step at 1×
const SLOW_FACTOR = 3;

export function createPlayback(store, dispatch) {
  let timer = null;
  let speed = 1;
  let slow = false;
  const interval = () => (STEP_MS / speed) * (slow ? SLOW_FACTOR : 1);
  const tick = () => {
    timer = null;
    dispatch({ type: "next" });
    if (atEnd(store.get())) dispatch({ type: "pause" });
    else schedule();
  };
  function schedule() {
    clearTimeout(timer);
    timer = store.get().playing ? setTimeout(tick, interval()) : null;
  }
  store.subscribe(["playing"], schedule);
  store.subscribe(["trace", "stage", "event", "level"], (state) => {
    if (state.playing && atEnd(state)) dispatch({ type: "pause" });
  });
  return {
    interval,
    get speed() { return speed; },
    get slow() { return slow; },
    set(options) {
      speed = options.speed ?? speed;
      slow = options.slow ?? slow;
      if (timer) schedule();
    },
  };
}
