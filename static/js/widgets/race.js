// Lesson widget: the optimiser race, its setup given by the lesson's options in the race link's
// own fields (preset, opts, pair, its, lr, ... as race/link.js reads them), e.g.
//   ::: widget race preset="line" opts="sgd;sgd,momentum:0.9;adam" its="100"
// It links to the race page with what the learner has set up.

import { createRace } from "../race/race.js";

export async function mount(element, options, context) {
  await createRace(element, { api: context.api, initial: new URLSearchParams(options).toString() });
}
