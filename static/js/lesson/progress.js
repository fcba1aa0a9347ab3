// Progress through the lessons, remembered in this browser: each lesson's answers by question id.

const KEY = "backprop-visualized.lessons";

// Everything stored: {slug: {questionId: {choice: [option indices], correct: bool}}}.
function readAll() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) || "{}");
    return stored && typeof stored === "object" ? stored : {};
  } catch {
    return {}; // storage switched off, or a damaged entry: start afresh
  }
}

function writeAll(all) {
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Storage is full or switched off: the answer still counts on this page, it is not kept.
  }
}

export function answersFor(slug) {
  return readAll()[slug] || {};
}

export function saveAnswer(slug, id, choice, correct) {
  const all = readAll();
  all[slug] = { ...all[slug], [id]: { choice, correct } };
  writeAll(all);
}

export function resetLesson(slug) {
  const all = readAll();
  delete all[slug];
  writeAll(all);
}

export function resetAll() {
  writeAll({});
}

// A lesson is done when its latest answer to every question was right.
export function lessonStatus(slug, questionIds) {
  const answers = answersFor(slug);
  const right = questionIds.filter((id) => answers[id] && answers[id].correct).length;
  const answered = questionIds.filter((id) => answers[id]).length;
  const total = questionIds.length;
  return { right, answered, total, done: total > 0 && right === total };
}

export function describeStatus({ right, answered, total, done }) {
  if (done) return `Done: all ${total} questions answered right.`;
  if (!answered) return "Not started.";
  return `${right} of ${total} questions answered right.`;
}

// The question ids listed in an element's data-questions attribute.
export function questionIds(element) {
  return (element.dataset.questions || "").split(" ").filter(Boolean);
}
