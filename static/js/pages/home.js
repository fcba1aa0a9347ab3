// The home page: how far this browser has come in each lesson, and a reset for all of them.

import "./crash-notice.js";
import { describeStatus, lessonStatus, questionIds, resetAll } from "../lesson/progress.js";

const items = [...document.querySelectorAll(".lesson-item")];
const note = document.querySelector("[data-reset-note]");

function render() {
  for (const item of items) {
    const status = lessonStatus(item.dataset.slug, questionIds(item));
    item.querySelector("[data-status]").textContent = `· ${describeStatus(status)}`;
    item.classList.toggle("done", status.done);
  }
}

document.querySelector("[data-reset-all]").addEventListener("click", () => {
  resetAll();
  render();
  note.textContent = "Progress reset in every lesson.";
});
render();
