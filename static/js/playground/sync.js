// Keeping a playground's shareable state and a page's URL hash in step, both ways: the page
// hands a `hashSync(window)` to createPlayground; an embedded playground gets none.

import { fromHash, toHash, URL_KEYS } from "../core/url-state.js";

const WRITE_AFTER = 100; // ms: the URL follows the state once changes settle

// The hash adapter: read() the hash, write(hash) it without a new history entry, and
// listen(onChange) for edits of the address bar. A link to a part of the page (a skip link's
// #id) is not a state: it is put back, rather than read as "everything at its default".
export function hashSync(win) {
  return {
    read: () => win.location.hash,
    write(hash) {
      win.history.replaceState(null, "", hash ? `#${hash}` : win.location.pathname + win.location.search);
    },
    listen(onChange) {
      win.addEventListener("hashchange", () => {
        const anchor = win.location.hash.slice(1);
        if (anchor && !anchor.includes("=") && win.document.getElementById(anchor)) onChange(null);
        else onChange(win.location.hash);
      });
    },
  };
}

// Write the state to `sync` as it changes; read edits of it back into the store.
export function keepInSync(store, sync, defaults) {
  let pending = null;
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
    const next = fromHash(hash, defaults).state;
    const current = store.get();
    store.set(Object.fromEntries(Object.entries(next)
      .filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key]))));
  });
}
