// Starting to teach live from a playground or a lesson: a new session whose first state is what
// is on screen; its teacher token stays in this browser (local storage), so a reload or a new
// tab of the teacher's page keeps control.

import { createSession, teacherClient } from "./session-api.js";

export const tokenKey = (code) => `backprop-teacher:${code}`;

export function teacherToken(storage, code) {
  return storage.getItem(tokenKey(code));
}

// The teacher's page for a new session showing `live` ({hash, selection}).
export async function startTeaching(storage, live, title = "") {
  const session = await createSession(title || null);
  storage.setItem(tokenKey(session.code), session.teacher_token);
  await teacherClient(session.code, session.teacher_token).putState(live);
  return `/teach/${session.code}${live.hash ? `#${live.hash}` : ""}`;
}
