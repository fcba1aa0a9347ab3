// A lesson page: mounts each widget as it comes into view, checks the questions, shows and
// resets the progress kept in this browser, and runs the present view.

import "./crash-notice.js";
import { createApi } from "../core/api.js";
import { el } from "../core/dom.js";
import { describeStatus, lessonStatus, questionIds, resetLesson } from "../lesson/progress.js";
import { teachButton } from "../live/teach-button.js";
import { mountPresent } from "../lesson/present.js";
import { mountQuestion } from "../lesson/questions.js";

const page = document.querySelector(".lesson-page");
const slug = page.dataset.slug;
const preloaded = JSON.parse(document.getElementById("page-data").textContent);
const context = {
  api: createApi("", preloaded),
  formulas: preloaded.formulas,
  catalog: preloaded.catalog,
  present: page.classList.contains("present"),
};

// A widget is the module static/js/widgets/<name>.js (app/lessons.py WIDGETS lists the names).
// Its "Open in the playground" link, if it has one, follows the state it shows: the widget
// gives a hash, or a function that gives the current one when the link is about to be used.
async function mountWidget(element) {
  const link = element.parentElement.querySelector(".playground-link");
  const own = {
    ...context,
    linkToPlayground(hash) {
      if (!link) return;
      const update = () => {
        link.href = `/playground#${typeof hash === "function" ? hash() : hash}`;
      };
      update();
      // Teaching it live starts from what the widget shows now, in a tab of its own.
      const current = () => ({ hash: typeof hash === "function" ? hash() : hash, selection: null });
      link.after(" · ", teachButton(current, (url) => window.open(url, "_blank"), (message) => { link.title = message; },
        document.title));
      if (typeof hash === "function") {
        for (const type of ["pointerenter", "focus", "click"]) link.addEventListener(type, update);
      }
    },
  };
  element.dataset.state = "loading";
  try {
    const module = await import(`../widgets/${element.dataset.widget}.js`);
    // A widget that mounts playgrounds returns them, for the present view's keys.
    const playgrounds = await module.mount(element, JSON.parse(element.dataset.options), own);
    if (Array.isArray(playgrounds)) element.playgrounds = playgrounds;
    element.dataset.state = "ready";
  } catch (error) {
    element.dataset.state = "error";
    element.append(el("p", { class: "widget-error", role: "alert",
      text: `This part of the lesson could not be shown: ${error.message}` }));
    console.error(error);
  }
}

// Widgets start when they are about to be seen (in the present view: when their section is).
function mountWidgetsInView() {
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      observer.unobserve(entry.target);
      mountWidget(entry.target);
    }
  }, { rootMargin: "400px 0px" });
  for (const element of document.querySelectorAll(".lesson-widget")) observer.observe(element);
}

function mountProgress() {
  const ids = questionIds(page);
  const line = page.querySelector("[data-progress]");
  const render = () => {
    const status = lessonStatus(slug, ids);
    line.textContent = describeStatus(status);
    page.classList.toggle("done", status.done);
  };
  const questions = [...document.querySelectorAll("form.question")]
    .map((form) => mountQuestion(form, slug, render));
  page.querySelector("[data-reset]").addEventListener("click", () => {
    resetLesson(slug);
    for (const question of questions) question.reset();
    render();
  });
  render();
}

mountProgress();
if (context.present) mountPresent(page);
mountWidgetsInView();
