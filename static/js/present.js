// The presenter-mode toggle in the top bar: large type for a projector, driven by the keyboard;
// the same button (or Escape) leaves it.

import { el } from "./fields.js";

export function mountPresentToggle(tools, store) {
  const button = el("button", { type: "button", class: "present-toggle", "data-testid": "present-toggle" });
  tools.append(button);

  const show = ({ present }) => {
    button.setAttribute("aria-pressed", present ? "true" : "false");
    button.textContent = present ? "Leave presenter mode (Esc)" : "Present";
  };
  button.addEventListener("click", () => store.set({ present: !store.get().present }));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && store.get().present) {
      store.set({ present: false });
      button.focus();
    }
  });
  store.subscribe(["present"], show);
  show(store.get());
}
