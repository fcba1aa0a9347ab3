// The presenter-mode toggle in the top bar: large type for a projector, driven by the keyboard;
// the same button (or Escape, see keys.js) leaves it.

import { el } from "../core/dom.js";

export function mountPresentToggle(tools, store) {
  const button = el("button", { type: "button", class: "present-toggle", "data-testid": "present-toggle" });
  tools.append(button);
  const show = ({ present }) => {
    button.setAttribute("aria-pressed", present ? "true" : "false");
    button.textContent = present ? "Leave presenter mode (Esc)" : "Present";
  };
  button.addEventListener("click", () => store.set({ present: !store.get().present }));
  store.subscribe(["present"], show);
  show(store.get());
  return button;
}
