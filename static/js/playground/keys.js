// The playground's keys: → and ← step, Space plays or pauses, Home restarts, Escape leaves
// presenter mode. They are heard on the element the host gives (the whole page for the
// playground page, the component's own root when it is embedded beside others).

const STEP_KEYS = { ArrowRight: "next", ArrowLeft: "previous", " ": "toggle", Home: "restart" };

// Keys typed into a form field, or Space on a focused control, stay with it.
function keyBelongsToTarget(event) {
  const target = event.target;
  if (!target.closest) return false;
  if (target.closest("input, select, textarea, [contenteditable='true']")) return true;
  return event.key === " " && Boolean(target.closest("button, a, summary, [role='button']"));
}

export function bindKeys(target, store, dispatch, presentButton) {
  target.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape" && store.get().present) {
      store.set({ present: false });
      presentButton.focus();
      return;
    }
    const type = STEP_KEYS[event.key];
    if (!type || keyBelongsToTarget(event) || !store.get().trace) return;
    event.preventDefault();
    dispatch({ type });
  });
}
