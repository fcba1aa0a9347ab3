// Editing the points by hand, as pure functions on {inputs, targets}: add one where a click
// or typed coordinates put it (of the chosen class), remove one, find the nearest. Each returns
// the new points, or a sentence saying why not.

// Explicit points live in the URL: four decimals keep a link short.
export const round = (value) => Number(value.toFixed(4));

// The points as an explicit, rounded list (generated points become one when first edited).
export function editable(dataset) {
  return { inputs: dataset.inputs.map((r) => r.map(round)), targets: dataset.targets.map((r) => r.map(round)) };
}

// A point at (a, b): x1, x2 of class `chosen` for 2-D data, or x and its target y for 1-D data.
export function addPoint(dataset, shape, a, b, chosen, maxPoints) {
  if (dataset.inputs.length >= maxPoints) return { problem: `At most ${maxPoints} points.` };
  if (shape.kind === "regression" && shape.dim !== 1) {
    return { problem: "These targets are not class labels or a 1-D curve: edit them in a CSV file." };
  }
  const points = editable(dataset);
  if (shape.dim === 1) {
    points.inputs.push([round(a)]);
    points.targets.push([round(b)]);
  } else {
    points.inputs.push([round(a), round(b)]);
    points.targets.push(shape.kind === "binary" ? [chosen]
      : Array.from({ length: shape.classes }, (_, c) => (c === chosen ? 1 : 0)));
  }
  return { points };
}

export function removePoint(dataset, index) {
  if (dataset.inputs.length <= 1) return { problem: "The last point cannot be removed." };
  const points = editable(dataset);
  points.inputs.splice(index, 1);
  points.targets.splice(index, 1);
  return { points };
}

// The index of the point nearest to (a, b), in the plot's coordinates.
export function nearestPoint(dataset, shape, a, b) {
  const { inputs, targets } = dataset;
  const distance = (i) => (shape.dim === 1 ? (inputs[i][0] - a) ** 2 + (targets[i][0] - b) ** 2
    : (inputs[i][0] - a) ** 2 + (inputs[i][1] - b) ** 2);
  let best = 0;
  for (let i = 1; i < inputs.length; i += 1) if (distance(i) < distance(best)) best = i;
  return best;
}
