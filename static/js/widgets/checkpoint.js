// Lesson widget: a playground with a hand-calculation checkpoint under it (explain/checkpoint.js).
// Options: the playground's link fields, and the number asked for first: quantity ("delta",
// "grad_weight", "grad_bias", "new_weight"), layer, j and k (from 1, as the maths writes them).

import { mountCheckpoint } from "../explain/checkpoint.js";
import { fullHash, mountViews } from "./playground.js";

export async function mount(element, options, context) {
  const [playground] = await mountViews(element, { ...options, view: "" }, context);
  const first = options.quantity ? { kind: options.quantity, layer: Number(options.layer || 1),
    j: Number(options.j || 1) - 1, k: Number(options.k || 1) - 1, sample: 0 } : null;
  mountCheckpoint(element, playground.store, playground.services, first);
  context.linkToPlayground(() => fullHash(playground));
  return [playground];
}
