// POST JSON to an API endpoint that api.js has no method for, with api.js's error handling.

import { ApiError } from "../api.js";

export async function postJson(path, body, signal) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data && data.detail);
  return data;
}

// True for the error a superseded request ends with: it is not shown to the learner.
export function isAbort(error) {
  return error && error.name === "AbortError";
}
