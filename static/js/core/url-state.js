// The playground's shareable state as a declarative table that round-trips through the URL hash.
// Each row: the hash key, the state key, and how to write and read it. Runtime data (the
// trace, training results, the selection) is not here: it is recomputed from this state.

const list = (separator, parse = (x) => x) => ({
  write: (value) => value.join(separator),
  read: (text) => text.split(separator).filter((x) => x !== "").map(parse),
});
const number = { write: (v) => String(v), read: (t) => Number(t) };
const text = { write: (v) => v, read: (t) => t };
const flag = { write: (v) => (v ? "1" : "0"), read: (t) => t === "1" };
// Arrays of numbers (parameters, points) as base64url JSON.
const json = {
  write: (v) => btoa(JSON.stringify(v)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, ""),
  read: (t) => JSON.parse(atob(t.replace(/-/g, "+").replace(/_/g, "/"))),
};

// An optimiser as its name and the hyperparameters that differ from the defaults:
// "adam,betas:0.8/0.99,eps:1e-6", "sgd,momentum:0.9,nesterov:true".
const optimizer = {
  write: (v) => [v.name, ...Object.entries(v).filter(([key]) => key !== "name")
    .map(([key, value]) => `${key}:${Array.isArray(value) ? value.join("/") : value}`)].join(","),
  read: (t) => {
    const [name, ...pairs] = t.split(",");
    const read = (value) => {
      if (value === "true" || value === "false") return value === "true";
      if (value.includes("/")) return value.split("/").map(Number);
      return Number(value);
    };
    return Object.fromEntries([["name", name], ...pairs.map((pair) => {
      const at = pair.indexOf(":");
      if (at < 1) throw new Error(`"${pair}" is not name:value`);
      return [pair.slice(0, at), read(pair.slice(at + 1))];
    })]);
  },
};

export const FIELDS = [
  { key: "net", path: ["network", "layer_sizes"], codec: list("-", Number) },
  { key: "act", path: ["network", "activations"], codec: list(",") },
  { key: "loss", path: ["network", "loss"], codec: text },
  { key: "init", path: ["init"], codec: text },
  { key: "seed", path: ["seed"], codec: number },
  { key: "params", path: ["params"], codec: json },
  { key: "data", path: ["data", "name"], codec: text },
  { key: "n", path: ["data", "samples"], codec: number },
  { key: "noise", path: ["data", "noise"], codec: number },
  { key: "dseed", path: ["data", "seed"], codec: number },
  { key: "points", path: ["points"], codec: json },
  { key: "lr", path: ["learningRate"], codec: number },
  { key: "opt", path: ["optimizer"], codec: optimizer },
  { key: "ostate", path: ["optimizerState"], codec: json },
  { key: "l2", path: ["l2"], codec: number },
  { key: "batch", path: ["batchSize"], codec: number },
  { key: "order", path: ["updateOrder"], codec: text },
  { key: "view", path: ["view"], codec: text },
  { key: "edges", path: ["edges"], codec: text },
  { key: "level", path: ["level"], codec: text },
  { key: "stage", path: ["stage"], codec: number },
  { key: "event", path: ["event"], codec: number },
  { key: "sample", path: ["sample"], codec: number },
  { key: "pad", path: ["pad"], codec: text },
  { key: "padlabel", path: ["padLabel"], codec: number },
  { key: "preset", path: ["preset"], codec: text },
  { key: "hide", path: ["hidden"], codec: list(",") },
  { key: "present", path: ["present"], codec: flag },
];

export const URL_KEYS = [...new Set(FIELDS.map((f) => f.path[0]))];

export function getPath(object, path) {
  return path.reduce((item, key) => (item == null ? undefined : item[key]), object);
}

export function setPath(object, path, value) {
  const [head, ...rest] = path;
  if (!rest.length) return { ...object, [head]: value };
  return { ...object, [head]: setPath(object[head] || {}, rest, value) };
}

// The hash for a state: only fields that differ from the defaults, so links stay short.
export function toHash(state, defaults) {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = getPath(state, field.path);
    if (value === undefined || value === null) continue;
    const written = field.codec.write(value);
    const fallback = getPath(defaults, field.path);
    if (fallback !== undefined && fallback !== null && field.codec.write(fallback) === written) continue;
    params.set(field.key, written);
  }
  return params.toString();
}

// The state a hash describes, on top of the defaults; a field that does not parse is skipped
// and reported, so a damaged link still opens.
export function fromHash(hash, defaults) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  let state = structuredClone(defaults);
  const problems = [];
  for (const field of FIELDS) {
    if (!params.has(field.key)) continue;
    const raw = params.get(field.key);
    try {
      const value = field.codec.read(raw);
      if (typeof value === "number" && !Number.isFinite(value)) throw new Error("not a number");
      state = setPath(state, field.path, value);
    } catch (error) {
      const fallback = getPath(defaults, field.path);
      problems.push(`${raw.length <= 40 ? `${field.key}=${raw}` : field.key}: cannot be read (${error.message}); `
        + `using ${fallback === null || fallback === undefined ? "none" : field.codec.write(fallback)}`);
    }
  }
  return { state, problems };
}
