// Small DOM builders for the control panels: labelled inputs that check their value and say
// what is wrong next to the field, so only valid values ever reach the store.

import { el, uid } from "./dom.js";

function describedBy(input, id) {
  const ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
  if (!ids.includes(id)) input.setAttribute("aria-describedby", [...ids, id].join(" "));
}

// The problem with a typed number, or "" when it is fine. Empty is allowed only when optional.
function numberProblem(text, { min, max, integer = false, above, optional = false }) {
  if (text.trim() === "") return optional ? "" : "Enter a number.";
  const value = Number(text);
  if (!Number.isFinite(value)) return `"${text}" is not a number.`;
  if (integer && !Number.isInteger(value)) return "Use a whole number.";
  if (above !== undefined && value <= above) return `Must be above ${above}.`;
  if (min !== undefined && max !== undefined && (value < min || value > max)) {
    return `Must be between ${min} and ${max}.`;
  }
  if (min !== undefined && value < min) return `Must be at least ${min}.`;
  if (max !== undefined && value > max) return `Must be at most ${max}.`;
  return "";
}

// A labelled number input. onCommit(value), if given, runs on change when the value is valid
// (null for an empty optional field); while it is not, a message sits next to the field.
export function numberField({ label, value, min, max, step = "any", integer = false, above,
  optional = false, testid, onCommit }) {
  const id = uid("number");
  const input = el("input", {
    id, type: "number", step, min, max, value: value ?? "", "data-testid": testid,
    inputmode: integer ? "numeric" : "decimal",
  });
  const message = el("p", { class: "field-error", id: `${id}-error`, hidden: true });
  describedBy(input, message.id);
  const rules = { min, max, integer, above, optional };
  const check = () => {
    const problem = numberProblem(input.value, rules);
    message.textContent = problem;
    message.hidden = !problem;
    input.setAttribute("aria-invalid", problem ? "true" : "false");
    return problem;
  };
  input.addEventListener("input", check);
  input.addEventListener("change", () => {
    if (check() || !onCommit) return;
    onCommit(input.value.trim() === "" ? null : Number(input.value));
  });
  const element = el("div", { class: "field" }, el("label", { for: id, text: label }), input,
    message);
  return {
    element,
    input,
    // Show a value from the store, unless the learner is typing in this field.
    set(next) {
      if (document.activeElement === input) return;
      input.value = next ?? "";
      check();
    },
  };
}

// A labelled select; options are [value, text] pairs.
export function selectField({ label, options, value, testid, onChange }) {
  const id = uid("select");
  const select = el("select", { id, "data-testid": testid });
  setOptions(select, options, value);
  select.addEventListener("change", () => onChange(select.value));
  const element = el("div", { class: "field" }, el("label", { for: id, text: label }), select);
  return { element, select, set: (next) => { select.value = next; } };
}

// Replace a select's options (only when they differ, so a select in use keeps its state).
export function setOptions(select, options, value) {
  const current = [...select.options].map((option) => option.value).join("\n");
  if (current !== options.map(([optionValue]) => optionValue).join("\n")) {
    select.replaceChildren(...options.map(([optionValue, text]) => el("option", { value: optionValue, text })));
  }
  if (value !== undefined) select.value = value;
}

// A short note for one control, linked to it for screen readers.
export function noteFor(control, text = "") {
  const note = el("p", { class: "field-note", id: uid("note"), text });
  describedBy(control, note.id);
  return note;
}
