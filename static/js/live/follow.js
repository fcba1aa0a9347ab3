// A student's screen following the teacher: a sync adapter for the playground (see
// playground/sync.js) whose "place" is the session. While following, every state the teacher
// sends is applied; the student's own input (a step, a click on the diagram, a field) steps off,
// and snapping back applies the teacher's latest state again.

import { liveSelection } from "./shared-state.js";

// The input that means the student is exploring on their own: a click (or a press, for what is
// drawn on: the drawing pad, the canvas diagram, a map) on something that acts, a key, an edited
// field. Scrolling a phone is not a click.
const ACTS = "button, a, input, select, label, summary, svg, canvas, .canvas-focus";
const DRAWN_ON = "canvas";
const OWN_KEYS = new Set(["ArrowRight", "ArrowLeft", "PageDown", "PageUp", " ", "Home", "p", "P", "s", "S"]);
// Enter selects what the keys have reached in the diagram (elsewhere it presses a button, which
// says for itself whether it acts).
const SELECTS = ".diagram-canvas";

export function createFollower(first, onChange) {
  let latest = first;
  let following = true;
  let apply = null;
  let store = null;
  const applyLatest = () => {
    if (!apply || !latest) return;
    apply(latest.hash || "");
    if (store) store.set({ selection: liveSelection(latest, store.get()) });
  };
  const follower = {
    adapter: {
      read: () => (latest && latest.hash) || "",
      write() {},
      listen(fn) { apply = fn; },
    },
    get following() { return following; },
    attach(playgroundStore) {
      store = playgroundStore;
      store.set({ selection: liveSelection(latest, store.get()) });
    },
    receive(live) {
      latest = live;
      if (following) applyLatest();
    },
    stepOff() {
      if (!following) return;
      following = false;
      onChange(false);
    },
    snapBack() {
      following = true;
      applyLatest();
      onChange(true);
    },
  };
  return follower;
}

// The student's own input in the playground's root, or a stepping key where the playground hears
// its keys, steps off; keys in a text field do not count.
export function stepOffOnInput(root, keys, follower) {
  root.addEventListener("click", (event) => {
    if (follower.following && event.isTrusted && event.target.closest(ACTS)) follower.stepOff();
  }, { capture: true });
  root.addEventListener("pointerdown", (event) => {
    if (follower.following && event.isTrusted && event.target.closest(DRAWN_ON)) follower.stepOff();
  }, { capture: true });
  root.addEventListener("change", () => follower.stepOff(), { capture: true });
  keys.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (OWN_KEYS.has(event.key) && !event.target.closest("input, textarea")) follower.stepOff();
    if (event.key === "Enter" && root.contains(event.target) && event.target.closest(SELECTS)) follower.stepOff();
  }, { capture: true });
}
