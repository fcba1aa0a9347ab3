// The teacher's questions: ask one generated from the trace on screen or written on the spot,
// watch the class's answers arrive (how many answered, a live chart), then reveal the engine's
// answer on every screen.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { drawResults } from "./poll-chart.js";
import { customQuestion, questionsFor } from "./questions.js";

function engineAnswer(poll) {
  if (poll.answer === null || poll.answer === undefined) return "no single answer";
  return poll.kind === "choice" ? poll.options[poll.answer] : formatNumber(poll.answer);
}

function customForm(onAsk) {
  const prompt = el("textarea", { name: "prompt", rows: "2", maxlength: "500", required: true,
    "aria-label": "The question" });
  const options = el("textarea", { name: "options", rows: "3", "aria-label": "Options, one per line" });
  const answer = el("input", { name: "answer", type: "text", inputmode: "decimal", "aria-label": "The answer, for a number" });
  const error = el("p", { class: "error", role: "alert", hidden: true });
  const form = el("form", { class: "custom-question", hidden: true },
    el("label", {}, "Question", prompt),
    el("label", {}, "Options, one per line (mark the right one with *); none for a number", options),
    el("label", {}, "Answer, for a number (optional)", answer),
    el("button", { type: "submit", text: "Ask" }), error);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      onAsk(customQuestion(prompt.value.trim(), options.value, answer.value));
      error.hidden = true;
      form.hidden = true;
    } catch (problem) {
      error.hidden = false;
      error.textContent = problem.message;
    }
  });
  return form;
}

function buildPanel() {
  const live = {
    prompt: el("p", { class: "poll-prompt", "data-testid": "poll-prompt" }),
    count: el("p", { class: "poll-count", "data-testid": "poll-count", role: "status" }),
    chart: el("div", { class: "poll-chart", "data-testid": "poll-chart" }),
    answer: el("p", { class: "poll-answer", "data-testid": "poll-answer", hidden: true }),
    reveal: el("button", { type: "button", class: "primary", "data-testid": "reveal", text: "Reveal the answer" }),
    close: el("button", { type: "button", text: "Stop answers" }),
    another: el("button", { type: "button", class: "new-question", "data-testid": "new-question", text: "New question" }),
  };
  live.box = el("div", { class: "poll-live", hidden: true }, live.prompt, live.count, live.chart, live.answer,
    el("div", { class: "poll-actions" }, live.reveal, live.close, live.another));
  return live;
}

// The question on screen and its results, drawn again as they change.
function pollView(live, store) {
  const view = { poll: null, results: null, students: 0 };
  view.redraw = () => {
    const { poll, results } = view;
    if (!poll || !results) return;
    const revealed = poll.status === "revealed";
    const big = Boolean(store.get().present);
    live.count.textContent = `${results.answered} of ${view.students} answered`;
    live.answer.hidden = !revealed;
    if (revealed) {
      const right = results.correct === null || results.correct === undefined ? "" : ` · ${results.correct} of ${results.answered} right`;
      live.answer.textContent = `The engine: ${engineAnswer(poll)}${right}`;
    }
    live.reveal.disabled = revealed;
    live.close.disabled = poll.status !== "open";
    drawResults(live.chart, poll, results, { revealed, big, dark: big });
  };
  return view;
}

// Each of the teacher's requests, its answer shown, a refusal passed to onError.
function wireActions(live, view, client, onError) {
  const act = (request) => async () => {
    try {
      await request();
      view.redraw();
    } catch (error) {
      onError(error);
    }
  };
  live.reveal.addEventListener("click", act(async () => {
    view.results = await client.reveal(view.poll.id);
    view.poll = { ...view.poll, status: "revealed" };
  }));
  live.close.addEventListener("click", act(async () => {
    view.poll = await client.closePoll(view.poll.id);
  }));
  return act;
}

function askButtons(store, ask, form) {
  const asks = el("div", { class: "ask-buttons" });
  const render = () => {
    const { trace, selection } = store.get();
    asks.replaceChildren(...(trace ? questionsFor(trace, selection) : []).map((question) =>
      el("button", { type: "button", "data-question": question.id, text: question.label })),
    el("button", { type: "button", "data-question": "custom", text: "Write a question…" }));
  };
  asks.addEventListener("click", (event) => {
    const button = event.target.closest("[data-question]");
    if (!button) return;
    if (button.dataset.question === "custom") {
      form.hidden = !form.hidden;
      return;
    }
    const { trace, selection } = store.get();
    const question = questionsFor(trace, selection).find((q) => q.id === button.dataset.question);
    if (question) ask(question.make());
  });
  store.subscribe(["trace", "selection"], render);
  render();
  return asks;
}

// Mount in `root`; returns {showResults(results), setStudents(count)} for the session's messages.
export function mountPollPanel(root, { client, store, onError }) {
  const live = buildPanel();
  const view = pollView(live, store);
  const act = wireActions(live, view, client, onError);
  const ask = (body) => act(async () => {
    view.poll = await client.openPoll(body);
    view.results = { answered: 0, counts: view.poll.options ? view.poll.options.map(() => 0) : null, values: [],
      answer: view.poll.answer };
    live.prompt.textContent = view.poll.prompt;
    live.box.hidden = false;
    root.classList.add("has-poll");
    root.classList.remove("asking");
  })();
  const form = customForm(ask);
  store.subscribe(["present"], view.redraw);
  live.another.addEventListener("click", () => root.classList.toggle("asking"));
  root.append(el("h2", { text: "Ask the class" }), askButtons(store, ask, form), form, live.box);
  return {
    showResults(next) {
      if (view.poll && next.poll === view.poll.id) {
        view.results = next;
        view.redraw();
      }
    },
    setStudents(count) {
      view.students = count;
      view.redraw();
    },
  };
}
