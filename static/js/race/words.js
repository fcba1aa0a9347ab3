// What the race says in sentences: how the run stands, how each runner is doing, and what the
// contours under the paths are. Pure: no DOM.

import { formatNumber } from "../core/format.js";
import { CEILING } from "./surface-window.js";
import { lastOf } from "./tracks.js";

// The iteration every runner still going has reached.
export function reached(tracks) {
  const going = tracks.filter((track) => !track.diverged);
  return going.length ? Math.min(...going.map((track) => track.iteration)) : Math.max(0, ...tracks.map((t) => t.iteration));
}

// The status line for the run's state: idle, running, paused, done or error.
export function statusText(state, { tracks, goal, iterations }, detail = "") {
  const at = reached(tracks);
  if (state === "running") return `Racing: iteration ${at} of ${goal}.`;
  if (state === "paused") return `Paused at iteration ${at}. Start carries on from here; Reset starts again.`;
  if (state === "error") return `The race stopped: ${detail}`;
  if (state === "done") {
    const all = tracks.every((track) => track.diverged);
    return `${all ? "Every optimiser diverged" : `Done: ${goal} iterations`}. Start runs ${iterations} more; Reset starts again.`;
  }
  return `Press Start to race ${tracks.length} optimisers from the same starting weights on the same data, `
    + `${goal} iterations each. Each iteration uses all the data at once (full batch), so each curve is the `
    + "cost C itself.";
}

// One runner's standing: its cost now, or where it diverged.
export function resultText(track) {
  if (track.diverged) {
    return `diverged at iteration ${track.divergedAt}: its weights stopped being finite numbers `
      + "(its steps overshoot; a smaller η would not)";
  }
  if (!track.cost.length) return "not started";
  return `C = ${formatNumber(lastOf(track.cost))} after ${track.iteration} iteration${track.iteration === 1 ? "" : "s"}`;
}

// The runners whose cost climbed past CEILING times the cost at the start: their paths leave
// the picture there (see surface-window.js).
function leftThePicture(tracks, labels) {
  const start = tracks.map((track) => track.cost[0]).find((cost) => cost !== undefined && cost !== null);
  if (start === undefined) return "";
  const left = labels.filter((_, i) => tracks[i].cost.some((cost) => cost === null || cost > CEILING * start));
  if (!left.length) return "";
  return ` ${left.join("; ")}: C climbed past ${CEILING} times its starting value, and the path left the picture.`;
}

// What the contours are: the whole cost for a network of exactly these two parameters, or a
// slice through the others' starting values; and which paths left the picture.
export function surfaceCaption(pairEntries, parameterCount, tracks = [], labels = []) {
  const [a, b] = pairEntries.map((p) => p.symbol);
  const marks = "■ is the start and ★ the lowest C on this grid; the contours are spaced evenly in log C.";
  const left = leftThePicture(tracks, labels);
  if (parameterCount === 2) {
    return `This network has exactly two parameters, ${a} and ${b}, so the contours are its whole cost C `
      + `and every path runs on them. ${marks}${left}`;
  }
  const others = parameterCount - 2;
  return `The contours are C over ${a} and ${b} with the other ${others} parameter${others === 1 ? "" : "s"} `
    + `held at their starting values. Every optimiser moves those too, so a path here is the shadow of one `
    + `through all ${parameterCount} dimensions and need not cross these contours downhill. ${marks}${left}`;
}
