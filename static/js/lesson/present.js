// The present view of a lesson: one section per screen in large type; → and ← (or the buttons)
// move between sections, Escape goes back to the page, and the link keeps the section.

const KEYS = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 };

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
    if (!step) return;
    event.preventDefault();
    show(current + step, true);
  });
  show(current, false);
}
