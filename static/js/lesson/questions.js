// A lesson's question: check the chosen options and remember the answer. A right answer shows
// the explanation at once; a wrong one shows the hint of each wrong option chosen and offers the
// explanation behind "Show the solution". A saved answer is shown again when the page opens.

import { answersFor, saveAnswer } from "./progress.js";

const sameSet = (a, b) => a.length === b.length && a.every((value) => b.includes(value));

// The verdict for a wrong choice: what went wrong, and what the learner can do next.
function wrongVerdict(choice, answer, hinted, revealed) {
  const next = revealed ? "The solution is below." : "Try again, or show the solution.";
  if (choice.every((option) => answer.includes(option))) {
    return `✗ Not yet: each option you chose is right, but a right one is missing. ${next}`;
  }
  return hinted ? `✗ Not right. Read what your choice would mean. ${next}` : `✗ Not right. ${next}`;
}

export function mountQuestion(form, slug, onAnswer) {
  const id = form.dataset.question;
  const answer = form.dataset.answer.split(",").map(Number);
  const inputs = [...form.querySelectorAll("input")];
  const verdict = form.querySelector(".question-verdict");
  const hints = [...form.querySelectorAll(".question-option-hint")];
  const solutionButton = form.querySelector(".question-show-solution");
  const explanation = form.querySelector(".question-explanation");
  let revealed = false; // the learner asked for the solution: it stays until a reset
  let wrongChoice = []; // the wrong answer on show

  const clear = () => {
    delete form.dataset.state;
    verdict.textContent = "";
    for (const hint of hints) hint.hidden = true;
    solutionButton.hidden = true;
    explanation.hidden = true;
  };
  const show = (choice, correct) => {
    clear();
    form.dataset.state = correct ? "right" : "wrong";
    if (correct) {
      verdict.textContent = "✓ Right.";
      explanation.hidden = false;
      return;
    }
    wrongChoice = choice;
    const chosen = hints.filter((hint) => choice.includes(Number(hint.dataset.option)));
    for (const hint of chosen) hint.hidden = false;
    verdict.textContent = wrongVerdict(choice, answer, chosen.length > 0, revealed);
    solutionButton.hidden = revealed;
    explanation.hidden = !revealed;
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
    show(choice, correct);
    saveAnswer(slug, id, choice, correct);
    onAnswer();
  });

  solutionButton.addEventListener("click", () => {
    revealed = true;
    show(wrongChoice, false);
    explanation.focus();
  });

  const saved = answersFor(slug)[id];
  if (saved) {
    for (const input of inputs) input.checked = saved.choice.includes(Number(input.value));
    show(saved.choice, saved.correct);
  }
  return {
    reset() {
      revealed = false;
      for (const input of inputs) input.checked = false;
      clear();
    },
  };
}
