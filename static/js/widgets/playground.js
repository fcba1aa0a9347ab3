// Lesson widget: the playground component itself, its state given by the lesson's options (the
// playground's own link fields: preset, view, stage, batch, hide, ...), with the panels the
// lesson hides left out. view="neurons,scalar" mounts one playground per view, side by side.
// Its link opens what the learner sees now in the full playground.

import { el } from "../core/dom.js";
import { FIELDS, toHash } from "../core/url-state.js";
import { createPlayground } from "../playground/playground.js";
import { DEFAULTS } from "../playground/state.js";

const HASH_KEYS = new Set(FIELDS.map((field) => field.key));
const VIEW_NAMES = { neurons: "neuron diagram", layers: "layer graph", scalar: "computational graph" };

// The state of an embedded playground as a hash for the full one: no hidden panels.
export function fullHash(playground) {
  return toHash({ ...playground.store.get(), hidden: [], present: false }, DEFAULTS);
}

// The playground's link fields among a widget's options; view is left to the caller.
export function playgroundParams(options, present) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options)) {
    if (HASH_KEYS.has(key) && key !== "view") params.set(key, value);
  }
  if (present) params.set("present", "1");
  return params;
}

// One playground per view, side by side; resolves with them once each has its first data.
export function mountViews(container, options, context) {
  const views = (options.view || "").split(",").filter(Boolean);
  const row = el("div", { class: "playground-embeds" });
  container.append(row);
  return Promise.all((views.length ? views : [null]).map((view) => {
    const params = playgroundParams(options, context.present);
    if (view) params.set("view", view);
    const root = el("div", { class: "playground-embed", role: "region",
      "aria-label": `The playground${view ? `: ${VIEW_NAMES[view] || view}` : ""}` });
    row.append(root);
    // In the present view the lesson's keys step it (lesson/present.js), so it binds none.
    return createPlayground(root, { api: context.api, formulas: context.formulas,
      initial: params.toString(), keys: context.present ? false : root });
  }));
}

export async function mount(element, options, context) {
  const playgrounds = await mountViews(element, options, context);
  context.linkToPlayground(() => fullHash(playgrounds[0]));
  return playgrounds;
}
