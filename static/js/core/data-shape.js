// What a set of points is: its input dimension, its target width, and whether the targets are
// 0/1 labels, one-hot classes or numbers to fit.

const isOneHot = (row) => row.every((v) => v === 0 || v === 1) && row.filter((v) => v === 1).length === 1;

// What the data are: input dimension, target width, and kind: "binary" (one 0/1 label),
// "classes" (one-hot rows, `classes` of them) or "regression" (any numbers); `unit` says the
// targets all lie in [0, 1].
export function dataShape(dataset) {
  if (!dataset || !dataset.inputs.length) return null;
  const { inputs, targets } = dataset;
  const width = targets[0].length;
  const unit = targets.every((row) => row.every((v) => v >= 0 && v <= 1));
  let kind = "regression";
  if (width === 1 && targets.every(([v]) => v === 0 || v === 1)) kind = "binary";
  else if (width > 1 && targets.every(isOneHot)) kind = "classes";
  const classes = kind === "binary" ? 2 : kind === "classes" ? width : null;
  return { dim: inputs[0].length, width, kind, classes, unit };
}

// The class of each target row (0/1 label or one-hot position), or null for regression.
export function classOf(target, shape) {
  if (shape.kind === "binary") return target[0];
  if (shape.kind === "classes") return target.indexOf(1);
  return null;
}
