// The bar over a student's playground: whether the screen follows the teacher (and the one key
// or button that snaps back), the connection, and the class's name and code.

import { el } from "../core/dom.js";

const SAYS = {
  following: "Following the teacher",
  off: "You stepped off: your own exploring",
  reconnecting: "Connection lost: reconnecting…",
  closed: "This class is over",
};

export function mountStudentBar(root, { code, title, onFollow, onStepOff }) {
  const status = el("p", { class: "live-status", role: "status", "data-testid": "follow-status" });
  const follow = el("button", { type: "button", class: "primary", "data-testid": "follow", "aria-keyshortcuts": "f", text: "Follow the teacher (F)" });
  const stepOff = el("button", { type: "button", "data-testid": "step-off", text: "Step off" });
  const problem = el("p", { class: "live-problem", role: "alert", hidden: true });
  root.append(el("p", { class: "live-class", text: `${title || "Live class"} · ${code}` }), status, follow, stepOff, problem);
  follow.addEventListener("click", onFollow);
  stepOff.addEventListener("click", onStepOff);
  let mode = "following";
  const show = (next) => {
    mode = next;
    status.textContent = SAYS[mode];
    root.dataset.mode = mode;
    follow.hidden = mode !== "off";
    stepOff.hidden = mode !== "following";
  };
  show("following");
  return {
    following: (yes) => show(yes ? "following" : "off"),
    connection(state, detail, following) {
      if (state === "open") show(following ? "following" : "off");
      else show(state);
      problem.hidden = !detail || state === "open";
      problem.textContent = detail || "";
    },
    problem(message) {
      problem.hidden = false;
      problem.textContent = message;
    },
    get mode() { return mode; },
  };
}
