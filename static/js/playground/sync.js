// Keeping a playground's shareable state and a place that holds it (a page's URL hash) in step,
// both ways. The place is an adapter {read(), write(hash), listen(onChange)} the host hands to
// createPlayground (pages/hash-sync.js for the playground page); an embedded playground gets none.

import { toHash, URL_KEYS } from "../core/url-state.js";

const WRITE_AFTER = 100; // ms: the URL follows the state once changes settle

// Write the state to `sync` as it changes; read edits of it back into the store, through `read`
// (a hash → {state, problems}, the fields checked), saying what could not be used with `notice`.
export function keepInSync(store, sync, read, notice) {
  let pending = null;
  const defaults = read("").state;
  const write = () => sync.write(toHash(store.get(), defaults));
  store.subscribe(URL_KEYS, () => {
    clearTimeout(pending);
    pending = setTimeout(write, WRITE_AFTER);
  });
  sync.listen((hash) => {
    if (hash === null) {
      write();
      return;
    }
    // Only what really changed, so an edited #stage=3 does not refetch the trace.
    const { state: next, problems } = read(hash);
    const current = store.get();
    store.set(Object.fromEntries(Object.entries(next)
      .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key]))));
    if (problems.length) store.set({ notice: notice(problems) });
  });
}
