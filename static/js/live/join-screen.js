// The join screen for the projector: the join code as large as the screen allows, the address
// to type and the QR code (made by the server), with the number of students who joined. It
// covers the page until closed (J or Escape, or its button).

import { el } from "../core/dom.js";

// "K4X HNA": the code in two halves, easier to read off a wall.
export const spacedCode = (code) => `${code.slice(0, 3)} ${code.slice(3)}`;

export function mountJoinScreen(root, { code, joinUrl, title }) {
  const address = new URL(joinUrl);
  const count = el("p", { class: "join-count", "data-testid": "join-count", role: "status", text: "No students yet" });
  const names = el("ul", { class: "join-names", "data-testid": "join-names", "aria-label": "Students who joined" });
  const close = el("button", { type: "button", class: "join-close", text: "Start (J)" });
  const screen = el("section", { class: "join-screen", hidden: true, "aria-label": "Join screen", "data-testid": "join-screen" },
    el("div", { class: "join-text" },
      title ? el("p", { class: "join-title", text: title }) : null,
      el("p", { class: "join-go", text: "Go to" }),
      el("p", { class: "join-address", text: `${address.host}/join` }),
      el("p", { class: "join-go", text: "and type" }),
      el("p", { class: "join-code", "data-testid": "join-code", "aria-label": `Join code ${code.split("").join(" ")}`, text: spacedCode(code) }),
      count, names, close),
    el("figure", { class: "join-qr" },
      el("img", { src: `/api/v1/sessions/${encodeURIComponent(code)}/qr.svg`, alt: `QR code for ${joinUrl}`, "data-testid": "join-qr" }),
      el("figcaption", { text: "or scan" })));
  root.append(screen);
  const toggle = (show = screen.hidden) => {
    screen.hidden = !show;
    if (show) close.focus();
  };
  close.addEventListener("click", () => toggle(false));
  return {
    toggle,
    get open() { return !screen.hidden; },
    // Names are the students' own text: set as text, never as markup.
    setStudents(n, joined = []) {
      count.textContent = n === 0 ? "No students yet" : `${n} student${n === 1 ? "" : "s"} joined`;
      names.replaceChildren(...joined.map((name) => el("li", { text: name })));
    },
  };
}
