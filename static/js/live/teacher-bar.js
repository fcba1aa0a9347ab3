// The bar over the teacher's playground: the join code and how many students are connected,
// and the session's tools: the join screen, the questions, the worksheet, the answers as CSV
// after class, ending the class.

import { download } from "../core/downloads.js";
import { el } from "../core/dom.js";
import { spacedCode } from "./join-screen.js";

export function mountTeacherBar(root, { code, client, worksheetHref, onJoinScreen, onPolls }) {
  const students = el("span", { class: "live-students", "data-testid": "student-count", text: "0 students" });
  const status = el("p", { class: "live-status", role: "status", "data-testid": "teacher-status" });
  const button = (text, testid, onClick, extra = {}) => {
    const made = el("button", { type: "button", "data-testid": testid, text, ...extra });
    made.addEventListener("click", onClick);
    return made;
  };
  const worksheet = el("a", { href: worksheetHref(), target: "_blank", class: "button-link", text: "Worksheet" });
  worksheet.addEventListener("pointerenter", () => { worksheet.href = worksheetHref(); });
  worksheet.addEventListener("focus", () => { worksheet.href = worksheetHref(); });
  const end = button("End class", "end-class", async () => {
    if (!end.dataset.confirm) {
      end.dataset.confirm = "1";
      end.textContent = "End class: sure?";
      return;
    }
    await client.end().catch(() => {});
    status.textContent = "The class has ended; students were told.";
  });
  root.append(
    el("p", { class: "live-class" }, "Live ", el("strong", { class: "live-code", text: spacedCode(code) }), " · ", students),
    button("Join screen (J)", "open-join-screen", onJoinScreen, { "aria-keyshortcuts": "j" }),
    button("Ask the class (Q)", "open-polls", onPolls, { "aria-keyshortcuts": "q" }),
    worksheet,
    button("Answers (CSV)", "download-csv", async () => {
      try {
        download(`session-${code}.csv`, await client.csv(), "text/csv");
      } catch (error) {
        status.textContent = error.message;
      }
    }),
    end, status);
  return {
    setStudents(n) { students.textContent = `${n} student${n === 1 ? "" : "s"}`; },
    say(text) { status.textContent = text; },
  };
}
