// A student's card for the teacher's question: the options to tap or a number to type, sent over
// the session's socket (a later answer replaces the earlier one while the question is open);
// then, at the reveal, the engine's answer beside the class's and their own.

import { el } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { drawResults } from "./poll-chart.js";

function answerText(poll, value) {
  if (value === null || value === undefined) return "";
  return poll.kind === "choice" ? poll.options[value] : formatNumber(value);
}

function choiceInputs(poll, send) {
  return el("div", { class: "poll-options", role: "group", "aria-label": "Options" },
    ...poll.options.map((option, i) => {
      const button = el("button", { type: "button", "data-option": String(i), text: option });
      button.addEventListener("click", () => send(i));
      return button;
    }));
}

function numberInput(send) {
  const input = el("input", { type: "text", inputmode: "decimal", "aria-label": "Your answer", "data-testid": "number-answer" });
  const form = el("form", { class: "poll-number" }, input, el("button", { type: "submit", text: "Send" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = Number(input.value.replace(",", "."));
    if (input.value.trim() !== "" && Number.isFinite(value)) send(value);
  });
  return form;
}

// Mount in `root`; returns {showPoll(poll), reveal(message), acknowledged(message)}.
export function mountPollCard(root, { send }) {
  const prompt = el("p", { class: "poll-prompt", "data-testid": "student-poll-prompt" });
  const inputs = el("div", { class: "poll-inputs" });
  const status = el("p", { class: "poll-status", role: "status", "data-testid": "poll-status" });
  const chart = el("div", { class: "poll-chart", hidden: true });
  const fold = el("button", { type: "button", class: "poll-fold", "aria-expanded": "true", text: "Hide" });
  const body = el("div", { class: "poll-body" }, prompt, inputs, status, chart);
  const card = el("section", { class: "poll-card", hidden: true, "aria-label": "The teacher's question" },
    el("div", { class: "poll-head" }, el("h2", { text: "Question" }), fold), body);
  root.append(card);
  // On a phone the card covers part of the diagram: it folds to its heading.
  fold.addEventListener("click", () => {
    body.hidden = !body.hidden;
    fold.textContent = body.hidden ? "Show" : "Hide";
    fold.setAttribute("aria-expanded", String(!body.hidden));
  });
  let poll = null;
  let mine = null;
  const answer = (value) => {
    mine = value;
    send({ type: "answer", poll: poll.id, value });
    status.textContent = `Sending ${answerText(poll, value)}…`;
    for (const button of inputs.querySelectorAll("[data-option]")) {
      button.setAttribute("aria-pressed", String(Number(button.dataset.option) === value));
    }
  };
  return {
    showPoll(next) {
      const isNew = !poll || next.id !== poll.id;
      poll = next;
      card.hidden = false;
      if (isNew) {
        mine = null;
        body.hidden = false;
        chart.hidden = true;
        prompt.textContent = poll.prompt;
        inputs.replaceChildren(poll.kind === "choice" ? choiceInputs(poll, answer) : numberInput(answer));
        status.textContent = "Answer before the teacher reveals it.";
      }
      inputs.toggleAttribute("inert", poll.status !== "open");
      if (poll.status === "closed") status.textContent = "Answers are closed; the reveal is next.";
    },
    acknowledged() {
      if (poll && mine !== null) status.textContent = `Your answer: ${answerText(poll, mine)}. You can change it until the teacher closes the question.`;
    },
    refused(message) {
      status.textContent = message;
    },
    reveal(message) {
      if (!poll || message.poll !== poll.id) return;
      const engine = message.answer === null ? "no single answer" : answerText(poll, message.answer);
      const yours = mine === null ? "You did not answer." : `Yours: ${answerText(poll, mine)}.`;
      status.textContent = `The engine: ${engine}. ${yours} ${message.results.answered} answered.`;
      chart.hidden = false;
      drawResults(chart, poll, message.results, { revealed: true });
    },
  };
}
