// "Teach this live": a button that starts a live session showing `currentLive()` (a live state,
// {hash, selection}: the playground's state as shared-state.js makes it) and
// hands the teacher's page URL to `go` (the same tab from the playground, a new one from a
// lesson). A refusal (live sessions off, too many) goes to `onError` with its message.

import { el } from "../core/dom.js";
import { startTeaching } from "./start.js";

export function teachButton(currentLive, go, onError, title = "") {
  const button = el("button", { type: "button", class: "teach-live not-in-present", "data-testid": "teach-live",
    title: "Start a live class: students follow this screen on their own devices", text: "Teach this live" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      go(await startTeaching(localStorage, currentLive(), title));
    } catch (error) {
      onError(`A live class could not start: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  });
  return button;
}
