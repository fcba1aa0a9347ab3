// A student's page in a live class: the playground following the teacher's screen over the
// session's socket (live/follow.js), the bar that says whether it follows, the teacher's
// questions, and a checkpoint for hand calculations. A reconnect resumes at the class's state.

import "./crash-notice.js";
import { createApi } from "../core/api.js";
import { mountCheckpoint } from "../explain/checkpoint.js";
import { createFollower, stepOffOnInput } from "../live/follow.js";
import { mountPollCard } from "../live/poll-card.js";
import { connectLive } from "../live/session-api.js";
import { mountStudentBar } from "../live/student-bar.js";
import { createPlayground } from "../playground/playground.js";

const preloaded = JSON.parse(document.getElementById("page-data").textContent);
const { code, title } = JSON.parse(document.getElementById("live-data").textContent);
const root = document.getElementById("playground-app");
const idKey = `backprop-student:${code}`;
let follower = null;
let socket = null;

const bar = mountStudentBar(document.querySelector(".live-bar"), {
  code, title, onFollow: () => follower && follower.snapBack(), onStepOff: () => follower && follower.stepOff(),
});
const card = mountPollCard(document.querySelector(".live-side"), { send: (message) => socket.send(message) });

async function mountPlayground(first) {
  follower = createFollower(first, (following) => bar.following(following));
  const api = createApi("", preloaded);
  const { store, services } = await createPlayground(root, { api, formulas: preloaded.formulas,
    sync: follower.adapter, keys: document });
  follower.attach(store);
  stepOffOnInput(root, document, follower);
  mountCheckpoint(document.querySelector("[data-checkpoint]"), store, services);
  store.subscribe(["present"], (state) => document.body.classList.toggle("present", Boolean(state.present)));
  document.body.classList.toggle("present", Boolean(store.get().present));
  document.body.dataset.ready = "true";
}

const HANDLERS = {
  state: (message) => (follower ? follower.receive(message.state) : mountPlayground(message.state)),
  hello: (message) => sessionStorage.setItem(idKey, message.student),
  poll: (message) => card.showPoll(message.poll),
  reveal: (message) => card.reveal(message),
  ack: () => card.acknowledged(),
  error: (message) => (message.detail[0].type === "answer_refused" || message.detail[0].type === "rate_limited"
    ? card.refused(message.detail[0].msg) : bar.problem(message.detail[0].msg)),
  ended: () => bar.connection("closed", "The teacher ended this class.", false),
};

socket = connectLive(code, {
  query: () => ({ name: sessionStorage.getItem("backprop-name") || "", student: sessionStorage.getItem(idKey) || "" }),
  onMessage: (message) => HANDLERS[message.type] && HANDLERS[message.type](message),
  onStatus: (state, detail) => bar.connection(state, detail, !follower || follower.following),
});

document.addEventListener("keydown", (event) => {
  if ((event.key === "f" || event.key === "F") && !event.target.closest("input, textarea, select") && follower) {
    event.preventDefault();
    follower.snapBack();
  }
});
