// Number and shape formatting. Numbers are shown as the API sent them, never recomputed.

// null is how the API sends a number that is not finite (an overflow, a saturated output).
export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined) return "∞";
  if (typeof value !== "number") return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-4) return value.toExponential(digits - 1);
  return Number(value.toPrecision(digits)).toString();
}

// A row of numbers for a label: each number when there are a few; a long row (an image's 64
// pixels) by its length, or by its class when it is one-hot.
export function rowText(values, [open, close] = ["[", "]"], most = 4) {
  if (values.length <= most) return `${open}${values.map((v) => formatNumber(v, 3)).join(", ")}${close}`;
  const hot = values.filter((v) => v === 1).length === 1 && values.every((v) => v === 0 || v === 1);
  return hot ? `class ${values.indexOf(1)} (one-hot of ${values.length})` : `${values.length} values`;
}

// "scalar", "vector of 3", "matrix 2 × 3" for an array shape.
export function describeShape(shape) {
  if (!shape || shape.length === 0) return "scalar";
  if (shape.length === 1) return `vector of ${shape[0]}`;
  return `matrix ${shape.join(" × ")}`;
}

export function shapeOf(value) {
  const shape = [];
  let item = value;
  while (Array.isArray(item)) {
    shape.push(item.length);
    item = item[0];
  }
  return shape;
}
