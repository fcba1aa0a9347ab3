// The teacher's page of a live class: the playground driving every student's screen (each
// change sent with the teacher's token), the join screen for the projector, the questions and
// their live results. The token is this browser's (live/start.js); without it the page says so.

import "./crash-notice.js";
import { createApi } from "../core/api.js";
import { el } from "../core/dom.js";
import { mountJoinScreen } from "../live/join-screen.js";
import { mountPollPanel } from "../live/poll-panel.js";
import { connectLive, getSession, teacherClient } from "../live/session-api.js";
import { driveSession } from "../live/shared-state.js";
import { teacherToken } from "../live/start.js";
import { mountTeacherBar } from "../live/teacher-bar.js";
import { createPlayground } from "../playground/playground.js";
import { hashSync } from "./hash-sync.js";

const preloaded = JSON.parse(document.getElementById("page-data").textContent);
const { code, title, joinUrl } = JSON.parse(document.getElementById("live-data").textContent);
const root = document.getElementById("playground-app");
const drawer = document.querySelector(".live-drawer");
const token = teacherToken(localStorage, code);

function withoutToken() {
  root.append(el("p", { class: "page error", role: "alert", "data-testid": "no-token" },
    `This browser does not hold the teacher's key of class ${code}: it drives the class only from the browser that `
    + "started it. ", el("a", { href: `/join/${code}`, text: "Join it as a student" }), "."));
}

function bindKeys(joinScreen, togglePolls) {
  // On the window, so it hears J and Escape before the playground's keys (on the document) do.
  window.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.target.closest("input, textarea, select")) return;
    if (event.key === "j" || event.key === "J" || (event.key === "Escape" && joinScreen.open)) {
      event.preventDefault();
      event.stopPropagation();
      joinScreen.toggle(event.key === "Escape" ? false : undefined);
    } else if (event.key === "q" || event.key === "Q") {
      togglePolls();
    }
  }, { capture: true });
}

async function teach() {
  const session = await getSession(code);
  if (!location.hash && session.state.hash) history.replaceState(null, "", `#${session.state.hash}`);
  const client = teacherClient(code, token);
  const { store } = await createPlayground(root, { api: createApi("", preloaded), formulas: preloaded.formulas,
    sync: hashSync(window), keys: document, heading: null });
  const joinScreen = mountJoinScreen(document.querySelector("[data-join-screen]"), { code, joinUrl, title });
  const togglePolls = () => { drawer.hidden = !drawer.hidden; };
  const bar = mountTeacherBar(document.querySelector(".live-bar"), { code, client,
    worksheetHref: () => `/worksheet${location.hash}`, onJoinScreen: () => joinScreen.toggle(), onPolls: togglePolls });
  const polls = mountPollPanel(drawer, { client, store, onError: (error) => bar.say(error.message) });
  const push = driveSession(store, client, (error) => bar.say(error ? `Students did not get this step: ${error.message}` : ""));
  push();
  connectLive(code, {
    query: { role: "teacher" },
    onOpen: (socket) => socket.send(JSON.stringify({ type: "teacher", token })),
    onMessage(message) {
      if (message.type === "students") {
        bar.setStudents(message.count);
        joinScreen.setStudents(message.count, message.names || []);
        polls.setStudents(message.count);
      } else if (message.type === "results") {
        polls.showResults(message);
      }
    },
    onStatus: (state, detail) => bar.say(state === "open" ? "" : `${state}${detail ? `: ${detail}` : ""}`),
  });
  bindKeys(joinScreen, togglePolls);
  store.subscribe(["present"], (state) => document.body.classList.toggle("present", Boolean(state.present)));
  document.body.classList.toggle("present", Boolean(store.get().present));
  if (session.students === 0 && session.seq <= 1) joinScreen.toggle(true);
  document.body.dataset.ready = "true";
}

if (token) teach();
else withoutToken();
