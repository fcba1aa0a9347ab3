// A hand-calculation checkpoint beside a playground: the learner picks a quantity of this
// iteration (a δ of one sample, a weight's or a bias's gradient, an updated weight), types the
// number they worked out, and the engine says whether it is right and, if not, which factor of
// the chain rule differs (POST /api/v1/checkpoints). Alone in a lesson or in a live session.

import { el, uid } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { biasSymbol, neuronSymbol, weightSymbol } from "../trace/notation.js";

const KINDS = [
  ["delta", "δ of one neuron, one sample"], ["grad_weight", "∂C/∂w of one weight"],
  ["grad_bias", "∂C/∂b of one bias"], ["new_weight", "a weight after the update"],
];

function symbolOf({ kind, layer, j, k, sample }) {
  if (kind === "delta") return `${neuronSymbol(layer, j, "δ")} for sample ${sample + 1}`;
  if (kind === "grad_weight") return `∂C/∂${weightSymbol(layer, j, k)}`;
  if (kind === "grad_bias") return `∂C/∂${biasSymbol(layer, j)}`;
  return `${weightSymbol(layer, j, k)} after the update`;
}

// The quantity a selection suggests.
function fromSelection(selection) {
  if (!selection) return null;
  const { layer, j, k = 0 } = selection;
  const kind = { weight: "grad_weight", bias: "grad_bias", neuron: "delta" }[selection.kind];
  return kind && layer > 0 ? { kind, layer, j, k, sample: 0 } : null;
}

function numberField(name, label) {
  const input = el("input", { type: "number", name, min: "1", step: "1", value: "1", class: "index-field" });
  return { input, label: el("label", {}, label, input) };
}

function buildFields() {
  const kind = el("select", { name: "kind", "data-testid": "checkpoint-kind" },
    ...KINDS.map(([value, text]) => el("option", { value, text })));
  const fields = { layer: numberField("layer", "layer l"), j: numberField("j", "neuron j"),
    k: numberField("k", "input k"), sample: numberField("sample", "sample") };
  const answer = el("input", { type: "text", inputmode: "decimal", id: uid("checkpoint-answer"),
    "data-testid": "checkpoint-answer", autocomplete: "off" });
  return { kind, fields, answer };
}

function readQuantity(parts) {
  const read = (name) => Math.max(0, Math.floor(Number(parts.fields[name].input.value) || 1) - (name === "layer" ? 0 : 1));
  return { kind: parts.kind.value, layer: Math.max(1, read("layer")), j: read("j"), k: read("k"), sample: read("sample") };
}

function showQuantity(parts, q) {
  parts.kind.value = q.kind;
  parts.fields.layer.input.value = String(q.layer);
  for (const name of ["j", "k", "sample"]) parts.fields[name].input.value = String(q[name] + 1);
}

// Mount under `root` for the playground whose store and services are given; `first`: the
// quantity asked for before anything is selected.
export function mountCheckpoint(root, store, services, first = null) {
  const parts = buildFields();
  const symbol = el("p", { class: "checkpoint-symbol", "data-testid": "checkpoint-symbol" });
  const verdict = el("p", { class: "checkpoint-verdict", role: "status", "data-testid": "checkpoint-verdict" });
  const form = el("form", { class: "checkpoint-form" },
    el("label", {}, "Quantity ", parts.kind), ...Object.values(parts.fields).map((f) => f.label),
    symbol, el("label", { for: parts.answer.id, text: "Your number" }), parts.answer,
    el("button", { type: "submit", text: "Check" }));
  const section = el("section", { class: "checkpoint", "aria-label": "Check a hand calculation" },
    el("h2", { text: "Check a hand calculation" }), form, verdict);
  root.append(section);
  const refresh = () => {
    const q = readQuantity(parts);
    parts.fields.k.label.hidden = !["grad_weight", "new_weight"].includes(q.kind);
    parts.fields.sample.label.hidden = q.kind !== "delta";
    symbol.textContent = `Work out ${symbolOf(q)}`;
  };
  form.addEventListener("input", refresh);
  store.subscribe(["selection"], (state) => {
    const q = fromSelection(state.selection);
    if (q) showQuantity(parts, q);
    refresh();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    check(store, services, readQuantity(parts), parts.answer.value, verdict);
  });
  const start = fromSelection(store.get().selection) || first;
  if (start) showQuantity(parts, start);
  refresh();
}

async function check(store, services, quantity, text, verdict) {
  const answer = Number(text.replace(",", ".").trim());
  if (text.trim() === "" || !Number.isFinite(answer)) {
    verdict.textContent = "Type a number, e.g. 0.0821 or -1.5e-3.";
    return;
  }
  verdict.textContent = "Checking…";
  verdict.dataset.result = "";
  try {
    const body = { ...services.iterationBody(store.get()), quantity, answer };
    const result = await services.api.post("/api/v1/checkpoints", body);
    verdict.dataset.result = result.correct ? "right" : "wrong";
    verdict.textContent = result.correct ? `Right: ${symbolOf(quantity)} is ${formatNumber(result.value, 6)}.` : `Not quite: ${result.says}.`;
  } catch (error) {
    verdict.dataset.result = "error";
    verdict.textContent = error.message;
  }
}
