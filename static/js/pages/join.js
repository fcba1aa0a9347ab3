// The join page: a code typed (any case, spaces or a dash allowed) and an optional name lead to
// the class's page; an unknown code is said so here, before leaving the page.

import "./crash-notice.js";
import { getSession } from "../live/session-api.js";

const form = document.querySelector(".join-form");
const error = form.querySelector("[data-testid='join-error']");

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const code = form.code.value.replace(/[\s-]/g, "").toUpperCase();
  const name = form.name.value.trim();
  try {
    await getSession(code);
  } catch (problem) {
    error.hidden = false;
    error.textContent = problem.status === 404 ? `No class has the code ${code}: check it on the teacher's screen.` : problem.message;
    return;
  }
  if (name) sessionStorage.setItem("backprop-name", name);
  location.href = `/join/${encodeURIComponent(code)}`;
});
