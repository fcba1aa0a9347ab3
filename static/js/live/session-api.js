// The live-session API for the pages: the teacher's requests (each with the token, an
// Authorization header) and the WebSocket every screen follows, reconnecting by itself. Errors
// arrive in the one error shape and become ApiErrors, as core/api.js makes them.

import { ApiError } from "../core/api.js";

const RECONNECT_FIRST = 500; // ms; doubled up to RECONNECT_MOST, with jitter so a class spreads out
const RECONNECT_MOST = 8000;
// Close codes after which trying again cannot help: no such session, a wrong token, ended.
const FINAL_CLOSES = new Set([4404, 4401, 4403, 4503, 1000]);

async function request(method, path, body, token) {
  const headers = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return null;
  const isJson = (response.headers.get("content-type") || "").includes("json");
  const data = isJson ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) throw new ApiError(response.status, data && data.detail);
  return data;
}

const base = (code) => `/api/v1/sessions/${encodeURIComponent(code)}`;

export const createSession = (title) => request("POST", "/api/v1/sessions", { title });
export const getSession = (code) => request("GET", base(code));
export const saveState = (state) => request("POST", "/api/v1/states", { state });
export const loadState = (id) => request("GET", `/api/v1/states/${encodeURIComponent(id)}`);

// The teacher's side of one session.
export function teacherClient(code, token) {
  const as = (method, path, body) => request(method, `${base(code)}${path}`, body, token);
  return {
    code,
    token,
    putState: (state) => as("PUT", "/state", { state }),
    openPoll: (poll) => as("POST", "/polls", poll),
    closePoll: (id) => as("POST", `/polls/${id}/close`),
    reveal: (id) => as("POST", `/polls/${id}/reveal`),
    results: (id) => as("GET", `/polls/${id}/results`),
    csv: () => as("GET", "/results.csv"),
    end: () => as("DELETE", ""),
  };
}

// The session's WebSocket, opened again after a drop (the server sends the current state at
// once, so a screen resumes where the class is). onMessage(message); onStatus("open" |
// "reconnecting" | "closed", detail) where detail is the last error message, if any.
export function connectLive(code, { query = {}, onMessage, onStatus, onOpen }) {
  let socket = null;
  let wait = RECONNECT_FIRST;
  let stopped = false;
  let lastError = "";
  const open = () => {
    const params = new URLSearchParams(typeof query === "function" ? query() : query);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${base(code)}/live?${params}`);
    socket.addEventListener("open", () => {
      wait = RECONNECT_FIRST;
      onStatus("open", "");
      if (onOpen) onOpen(socket);
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "error") lastError = message.detail[0].msg;
      onMessage(message);
    });
    socket.addEventListener("close", (event) => {
      if (stopped || FINAL_CLOSES.has(event.code)) {
        onStatus("closed", lastError);
        return;
      }
      onStatus("reconnecting", lastError);
      setTimeout(open, wait * (0.75 + Math.random() / 2));
      wait = Math.min(wait * 2, RECONNECT_MOST);
    });
  };
  open();
  return {
    send: (message) => socket && socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(message)),
    close() {
      stopped = true;
      if (socket) socket.close();
    },
  };
}
