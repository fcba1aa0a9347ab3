// The API client: JSON in and out; an error response becomes an ApiError naming the field.

export class ApiError extends Error {
  constructor(status, detail) {
    const first = Array.isArray(detail) && detail.length ? detail[0] : null;
    const field = first && Array.isArray(first.loc) ? first.loc.filter((p) => p !== "body").join(".") : "";
    const message = first ? first.msg : typeof detail === "string" ? detail : `request failed (${status})`;
    super(field ? `${field}: ${message}` : message);
    this.status = status;
    this.field = field;
    this.detail = detail;
  }
}

async function request(method, path, body, signal) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data && data.detail);
  return data;
}

export const api = {
  iteration: (body, signal) => request("POST", "/api/v1/iterations", body, signal),
  network: (body, signal) => request("POST", "/api/v1/networks", body, signal),
  train: (body, signal) => request("POST", "/api/v1/train", body, signal),
  gradcheck: (body, signal) => request("POST", "/api/v1/gradcheck", body, signal),
  datasets: () => request("GET", "/api/v1/datasets"),
  dataset: (name, body) => request("POST", `/api/v1/datasets/${encodeURIComponent(name)}`, body),
  presets: () => request("GET", "/api/v1/presets"),
  logistic: (body, signal) => request("POST", "/api/v1/logistic", body, signal),
};
