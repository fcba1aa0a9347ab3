// Running a race in rounds: each round sends one chunk of POST /api/v1/train for every runner
// still going, one request at a time, so that a race of four asks no more of the server at once
// than one training run does. A runner stops at the goal or where it diverges; the others go
// on. Pause stops once the round in flight is done, so the runners stay level; stop() abandons
// the run at once (the race is being set up again).

import { absorb, chunkBody, nextChunk, running } from "./tracks.js";

// The store holds the race (see race.js: race, runners, tracks, pairEntries, goal, iterations);
// `report(state, text)` says how the run stands; `progress()` is called after each chunk.
export function createRun({ api, catalog, store, report, progress }) {
  let current = null; // {pause} while a run goes
  let controller = null;
  const self = {};

  const going = () => {
    const { tracks, goal } = store.get();
    return tracks.some((track) => running(track, goal));
  };

  async function round(mine) {
    const { race, runners, tracks, pairEntries, goal } = store.get();
    for (const [i, runner] of runners.entries()) {
      if (!running(tracks[i], goal)) continue;
      const iterations = nextChunk(tracks[i], catalog.limits, goal);
      const response = await api.train(chunkBody(race, runner, tracks[i], iterations), controller.signal);
      if (current !== mine) return;
      absorb(tracks[i], response, pairEntries);
      progress();
    }
  }

  self.start = async () => {
    if (current || !store.get().race) return;
    if (!going()) store.set({ goal: store.get().goal + store.get().iterations });
    const mine = { pause: false };
    current = mine;
    controller = new AbortController();
    report("running");
    while (!mine.pause && going()) {
      try {
        await round(mine);
      } catch (error) {
        if (current === mine) finish("error", error.message);
        return;
      }
      if (current !== mine) return;
    }
    finish(going() ? "paused" : "done");
  };

  function finish(state, text) {
    current = null;
    report(state, text);
  }

  self.pause = () => { if (current) current.pause = true; };
  self.stop = () => {
    if (controller) controller.abort();
    current = null;
  };
  return self;
}
