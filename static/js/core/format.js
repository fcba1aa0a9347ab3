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
