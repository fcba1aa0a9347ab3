// The playground's keys, for a lecture: → PageDown and Space step on (past the update into the
// next iteration), ← and PageUp step back (across iterations too), Home restarts the
// iteration, P plays or pauses, S opens the settings, Escape clears the selection first and
// only then leaves presenter mode. They are heard on the element the host gives (the whole page
// for the playground page, the component's own root when it is embedded beside others). A
// focused control never swallows a stepping key; only typing in a text field keeps them.

const STEP_KEYS = { ArrowRight: "advance", PageDown: "advance", " ": "advance", ArrowLeft: "back",
  PageUp: "back", Home: "restart", p: "toggle", P: "toggle" };
const TEXT_ENTRY = "input:not([type]), input[type='text'], input[type='number'], input[type='search'], "
  + "textarea, [contenteditable='true']";
const ACTIVATES_ON_SPACE = "button, a, summary, select, input, [role='button']";

// Whether the focused element keeps this key for itself.
function keyBelongsToTarget(event) {
  const target = event.target;
  if (!target.closest) return false;
  if (target.closest(TEXT_ENTRY)) return true;
  return event.key === " " && Boolean(target.closest(ACTIVATES_ON_SPACE));
}

function onEscape(store, presentButton) {
  const state = store.get();
  if (state.selection) {
    store.set({ selection: null });
  } else if (state.settingsOpen) {
    store.set({ settingsOpen: false });
  } else if (state.present) {
    store.set({ present: false });
    presentButton.focus();
  } else {
    return false;
  }
  return true;
}

export function bindKeys(target, store, dispatch, presentButton) {
  // Capture: a focused select, checkbox or slider would otherwise take the arrows first.
  target.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      if (onEscape(store, presentButton)) event.preventDefault();
      return;
    }
    if (event.shiftKey || keyBelongsToTarget(event)) return;
    if (event.key === "s" || event.key === "S") {
      store.set({ settingsOpen: !store.get().settingsOpen });
      return;
    }
    const type = STEP_KEYS[event.key];
    if (!type || !store.get().trace) return;
    event.preventDefault();
    event.stopPropagation();
    dispatch({ type });
  }, { capture: true });
}
