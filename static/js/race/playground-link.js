// The playground's way into the race: a link to the race page that carries the playground's
// network, starting weights (the ones on screen), data, learning rate, L2 penalty and optimiser,
// written as the learner is about to follow it.

import { el } from "../core/dom.js";
import { raceHashFrom } from "./link.js";

// services: the playground's ({catalog, linkBase}); the race page sits beside the playground's.
export function raceLink(store, services) {
  const link = el("a", { class: "race-link", "data-testid": "race-link", target: "_blank",
    text: "Race optimisers on this network" });
  const update = () => {
    link.href = `${new URL("/race", services.linkBase).href}#${raceHashFrom(store.get(), services.catalog)}`;
  };
  for (const type of ["pointerenter", "focus", "click"]) link.addEventListener(type, update);
  update();
  return el("p", { class: "field-note" }, link, ": SGD, momentum and Adam side by side from these weights, "
    + "with their paths over the loss surface.");
}
