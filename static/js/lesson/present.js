// The present view of a lesson: one section per screen in large type; → and ← (or the buttons)
// move on and back, Escape goes back to the page, and the link keeps the section. → means one
// thing, "next", wherever the focus is: it steps the section's playground until that reaches
// its last stage, and then moves to the next section (← likewise backwards).

import { position } from "../trace/stepper.js";

const reduceMotion = matchMedia("(prefers-reduced-motion: reduce)");
const KEYS = { ArrowRight: 1, PageDown: 1, " ": 1, ArrowLeft: -1, PageUp: -1 };

// The playgrounds a section's widgets mounted (lesson.js keeps each widget's handles).
function playgroundsIn(section) {
  return [...section.querySelectorAll(".lesson-widget")].flatMap((widget) => widget.playgrounds || []);
}

// Step the section's playgrounds one stage that way, if they can go: true when they did.
function stepPlaygrounds(section, step) {
  const playgrounds = playgroundsIn(section);
  const first = playgrounds[0];
  const where = first && position(first.store.get());
  if (!where || (step > 0 ? where.at >= where.count - 1 : where.at <= 0)) return false;
  for (const playground of playgrounds) playground.dispatch({ type: step > 0 ? "next" : "previous" });
  // The diagram that moved comes into view (the text above it may have pushed it down).
  const widget = section.querySelector(".lesson-widget[data-widget='playground']");
  if (widget) widget.scrollIntoView({ block: "nearest", behavior: reduceMotion.matches ? "auto" : "smooth" });
  return true;
}

// Keys typed into a form field or a question's options stay with it.
function keyBelongsToField(event) {
  const field = "input, select, textarea, [contenteditable='true']";
  return Boolean(event.target.closest && event.target.closest(field));
}

export function mountPresent(page) {
  const sections = [...page.querySelectorAll(".lesson-section")];
  const where = page.querySelector("[data-where]");
  const leave = page.querySelector("[data-leave-present]");
  const [back, forward] = [...page.querySelectorAll(".present-nav [data-step]")];
  const home = leave.getAttribute("href");
  let current = Math.max(0, sections.findIndex((section) => `#${section.id}` === location.hash));

  const show = (index, focus) => {
    current = Math.max(0, Math.min(index, sections.length - 1));
    sections.forEach((section, i) => section.toggleAttribute("data-current", i === current));
    const section = sections[current];
    const title = section.getAttribute("aria-label");
    where.textContent = `${current + 1} / ${sections.length} · ${title}`;
    back.setAttribute("aria-disabled", String(current === 0));
    forward.setAttribute("aria-disabled", String(current === sections.length - 1));
    history.replaceState(null, "", `#${section.id}`);
    leave.href = `${home}#${section.id}`;
    window.scrollTo(0, 0);
    if (focus) section.focus({ preventScroll: true });
  };

  for (const button of [back, forward]) {
    button.addEventListener("click", () => show(current + Number(button.dataset.step), false));
  }
  document.addEventListener("keydown", (event) => {
    const modified = event.altKey || event.ctrlKey || event.metaKey;
    if (event.defaultPrevented || modified || keyBelongsToField(event)) return;
    if (event.key === "Escape") {
      location.assign(leave.href);
      return;
    }
    const step = KEYS[event.key];
    if (!step || (event.key === " " && event.target.closest && event.target.closest("button, a, summary"))) return;
    event.preventDefault();
    if (!stepPlaygrounds(sections[current], step)) show(current + step, true);
  });
  show(current, false);
}
