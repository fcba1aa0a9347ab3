// Keeping the loss surface in step with a race: fetched around the start when the race is set
// up, and again over a wider window whenever a path leaves the one drawn. One request at a time:
// a window wanted meanwhile is fetched when it returns, and an answer for a race that has since
// been set up again is dropped. A grid the server finds over its work limit is asked for again
// with fewer points.

import { valueOf } from "./parameters.js";
import { covers, initialWindow, pointsInView, RESOLUTIONS, surfaceBody, widened } from "./surface-window.js";

export function keepSurface(store, api) {
  let setup = 0; // counts the races set up: an answer for an older one is dropped
  let busy = false;
  let wanted = null; // a window asked for while a request was out

  async function fetchOnce(window, mine) {
    const { race, pairEntries } = store.get();
    for (const resolution of RESOLUTIONS) {
      try {
        return await api.lossSurface(surfaceBody(race, pairEntries, window, resolution));
      } catch (error) {
        if (error.field !== "resolution" || resolution === RESOLUTIONS.at(-1) || mine !== setup) throw error;
      }
    }
    return null;
  }

  async function request(window) {
    if (busy) {
      wanted = window;
      return;
    }
    busy = true;
    const mine = setup;
    try {
      const surface = await fetchOnce(window, mine);
      if (mine === setup) store.set({ surface, surfaceProblem: null });
    } catch (error) {
      if (mine === setup) store.set({ surfaceProblem: error.message });
    }
    busy = false;
    if (wanted) {
      const next = wanted;
      wanted = null;
      request(next);
    }
  }

  return {
    // A new race: the window around its start, and its surface.
    reset() {
      setup += 1;
      wanted = null;
      const { race, pairEntries } = store.get();
      const start = pairEntries.map((p) => valueOf(race.start, p));
      const window = initialWindow(start);
      store.set({ start, window, surface: null, surfaceProblem: null });
      request(window);
    },
    // After a chunk: a wider surface if a path left this one.
    check() {
      const { window, tracks } = store.get();
      const points = pointsInView(tracks.map((track) => track.path));
      if (!window || covers(window, points)) return;
      const next = widened(window, points);
      store.set({ window: next });
      request(next);
    },
  };
}
