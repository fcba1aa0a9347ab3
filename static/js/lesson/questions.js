// A lesson's question: check the chosen options, say right or wrong with the explanation at
// once, and remember the answer; a saved answer is shown again when the page opens.

import { answersFor, saveAnswer } from "./progress.js";

const sameSet = (a, b) => a.length === b.length && a.every((value) => b.includes(value));

export function mountQuestion(form, slug, onAnswer) {
  const id = form.dataset.question;
  const answer = form.dataset.answer.split(",").map(Number);
  const inputs = [...form.querySelectorAll("input")];
  const verdict = form.querySelector(".question-verdict");
  const explanation = form.querySelector(".question-explanation");

  const show = (correct) => {
    form.dataset.state = correct ? "right" : "wrong";
    verdict.textContent = correct ? "✓ Right." : "✗ Not right. Read why, then try again.";
    explanation.hidden = false;
  };
  const clear = () => {
    delete form.dataset.state;
    verdict.textContent = "";
    explanation.hidden = true;
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const choice = inputs.filter((input) => input.checked).map((input) => Number(input.value));
    if (!choice.length) {
      clear();
      verdict.textContent = "Choose an answer first.";
      return;
    }
    const correct = sameSet(choice, answer);
    show(correct);
    saveAnswer(slug, id, choice, correct);
    onAnswer();
  });

  const saved = answersFor(slug)[id];
  if (saved) {
    for (const input of inputs) input.checked = saved.choice.includes(Number(input.value));
    show(saved.correct);
  }
  return {
    reset() {
      for (const input of inputs) input.checked = false;
      clear();
    },
  };
}
