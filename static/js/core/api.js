// The one API client: JSON in and out; an error response becomes an ApiError naming the field.
// Lists that never change while a page is open (the catalog, the presets) are fetched once per
// client. Anything with these methods can stand in for it (a notebook kernel, a test).

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

// True for the error a superseded request ends with: it is not shown to the learner.
export function isAbort(error) {
  return Boolean(error) && error.name === "AbortError";
}

// Requests over HTTP to the API at `base` ("" for this page's server): JSON in and out, an
// error response as an ApiError.
export function httpTransport(base = "") {
  return async (method, path, body, signal) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const data = await response.json().catch(() => null);
    if (!response.ok) throw new ApiError(response.status, data && data.detail);
    return data;
  };
}

// A client for the API at `base`. `preloaded` may hold the catalog, formulas or presets a page
// already has, so they are not fetched again. `transport(method, path, body, signal)` carries
// each request: HTTP by default, a notebook widget's comm in a notebook.
export function createApi(base = "", preloaded = {}, transport = httpTransport(base)) {
  const request = transport;
  const kept = new Map(Object.entries(preloaded).map(([key, value]) => [key, Promise.resolve(value)]));
  const once = (key, path) => () => {
    if (!kept.has(key)) kept.set(key, request("GET", path).catch((error) => { kept.delete(key); throw error; }));
    return kept.get(key);
  };
  const post = (path, body, signal) => request("POST", path, body, signal);
  return {
    get: (path, signal) => request("GET", path, undefined, signal),
    post,
    catalog: once("catalog", "/api/v1/catalog"),
    formulas: once("formulas", "/api/v1/formulas"),
    presets: once("presets", "/api/v1/presets"),
    datasets: () => request("GET", "/api/v1/datasets"),
    dataset: (name, body) => post(`/api/v1/datasets/${encodeURIComponent(name)}`, body),
    iteration: (body, signal) => post("/api/v1/iterations", body, signal),
    network: (body, signal) => post("/api/v1/networks", body, signal),
    train: (body, signal) => post("/api/v1/train", body, signal),
    gradcheck: (body, signal) => post("/api/v1/gradcheck", body, signal),
    lossSurface: (body, signal) => post("/api/v1/loss-surface", body, signal),
    logistic: (body, signal) => post("/api/v1/logistic", body, signal),
  };
}
