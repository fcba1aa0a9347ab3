// What a live session carries from the teacher's screen to the students': the playground's
// shareable state exactly as a link holds it (core/url-state.js), plus the selection, which a
// link leaves out but a class should see. The server keeps it as an opaque object.

import { toHash, URL_KEYS } from "../core/url-state.js";
import { DEFAULTS } from "../playground/state.js";
import { selectionFits } from "../trace/selection.js";

export const LIVE_KEYS = [...URL_KEYS, "selection"];

export function liveState(state) {
  return { hash: toHash(state, DEFAULTS), selection: state.selection || null };
}

// The selection a live state asks for, if it points into this network.
export function liveSelection(live, state) {
  const selection = live && live.selection;
  return selection && selectionFits(selection, state.network.layer_sizes) ? selection : null;
}

const SEND_AFTER = 60; // ms: a burst of changes (a step that moves stage and selection) goes as one

// The teacher's screen drives the session: each change is sent (the newest wins; one request at a
// time, so they arrive in order). onResult(error or null) after each.
export function driveSession(store, client, onResult) {
  let timer = null;
  let sending = false;
  let again = false;
  const send = async () => {
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    try {
      await client.putState(liveState(store.get()));
      onResult(null);
    } catch (error) {
      onResult(error);
    }
    sending = false;
    if (again) {
      again = false;
      send();
    }
  };
  store.subscribe(LIVE_KEYS, () => {
    clearTimeout(timer);
    timer = setTimeout(send, SEND_AFTER);
  });
  return send;
}
