// An iteration trace as CSV: one row per number, with its stage's phase and layer, the quantity
// it belongs to, and its row and column (0-based, as in the JSON; empty for scalars).

const SKIP = new Set(["phase", "layer", "node_ids"]);
// The update stage lists every layer's new weights and biases: entry i is layer i + 1.
const PER_LAYER = new Set(["weights", "biases"]);

function cell(value) {
  return value === null || value === undefined ? "" : String(value);
}

// [row, column, value] for a number, a vector or a matrix.
function entries(value) {
  if (!Array.isArray(value)) return [["", "", value]];
  if (!value.some(Array.isArray)) return value.map((v, i) => [i, "", v]);
  return value.flatMap((row, i) => row.map((v, j) => [i, j, v]));
}

// The rows of one quantity: per-sample lists of matrices carry the sample in the quantity name.
function quantityRows(phase, layer, name, value) {
  if (Array.isArray(value) && Array.isArray(value[0]) && Array.isArray(value[0][0])) {
    return value.flatMap((part, s) => quantityRows(phase, layer, `${name}[sample ${s}]`, part));
  }
  return entries(value).map(([row, column, v]) => [phase, layer ?? "", name, row, column, cell(v)]);
}

export function traceCsv(trace) {
  const rows = [["phase", "layer", "quantity", "row", "column", "value"]];
  for (const stage of trace.stages) {
    for (const [name, value] of Object.entries(stage)) {
      if (SKIP.has(name) || value === null || typeof value === "string") continue;
      if (stage.phase === "update" && PER_LAYER.has(name)) {
        value.forEach((part, l) => rows.push(...quantityRows(stage.phase, l + 1, name, part)));
      } else {
        rows.push(...quantityRows(stage.phase, stage.layer, name, value));
      }
    }
  }
  return `${rows.map((row) => row.join(",")).join("\n")}\n`;
}
