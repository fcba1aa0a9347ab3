// A small observable store: one state object, shallow-merged updates, subscribers by key.

export function createStore(initial) {
  let state = { ...initial };
  const subscribers = new Set();

  return {
    get: () => state,
    // Merge `patch` into the state and tell the subscribers whose keys changed.
    set(patch) {
      const previous = state;
      state = { ...state, ...patch };
      const changed = Object.keys(patch).filter((key) => previous[key] !== state[key]);
      if (!changed.length) return;
      for (const { keys, fn } of [...subscribers]) {
        if (!keys || keys.some((key) => changed.includes(key))) fn(state, changed);
      }
    },
    // Call fn(state, changedKeys) when any of `keys` changes (all keys when null).
    subscribe(keys, fn) {
      const entry = { keys, fn };
      subscribers.add(entry);
      return () => subscribers.delete(entry);
    },
  };
}
