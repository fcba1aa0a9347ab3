// A selection ({kind: "weight" | "bias" | "neuron", layer, j, k}) and the graph nodes that show
// it, both ways, read from each node's kind, layer and index.

const PART = { weight: "weight", bias: "bias", pre_activation: "neuron", activation: "neuron",
  input: "neuron" };

// The ids of the graph nodes that show a selection: one entry's node in the scalar graph, its
// matrix or vector in the layer graph (a neuron is its z and its a, or the input).
export function selectionNodeIds(trace, selection) {
  if (!selection) return [];
  const { kind, layer, j, k } = selection;
  const index = kind === "weight" ? [j, k] : [j];
  return trace.graph.nodes.filter((node) => node.layer === layer && PART[node.kind] === kind
    && (node.index === null || node.index.join() === index.join())).map((node) => node.id);
}

// The selection a click on a graph node makes, or null for nodes that are not a weight, bias or
// neuron (targets, the loss). A node for a whole matrix or vector keeps the current selection
// when it already points into it, and otherwise selects its first entry.
export function selectionForNode(node, current) {
  const kind = PART[node.kind];
  if (!kind) return null;
  const layer = node.layer;
  if (node.index === null) {
    if (current && current.kind === kind && current.layer === layer) return current;
    return kind === "weight" ? { kind, layer, j: 0, k: 0 } : { kind, layer, j: 0 };
  }
  const [j, k] = node.index;
  return kind === "weight" ? { kind, layer, j, k } : { kind, layer, j };
}

// The neurons, weights and biases a selection links to: a weight's two neurons; a neuron's
// incoming and outgoing weights and its bias; a bias's neuron. Keys are "l-j" and "l-j-k".
export function linksOf(selection, sizes) {
  const linked = { neurons: new Set(), weights: new Set(), biases: new Set() };
  if (!selection) return linked;
  const { kind, layer: l, j, k } = selection;
  if (kind === "weight") {
    linked.neurons.add(`${l - 1}-${k}`).add(`${l}-${j}`);
  } else if (kind === "bias") {
    linked.neurons.add(`${l}-${j}`);
  } else {
    if (l > 0) for (let i = 0; i < sizes[l - 1]; i += 1) linked.weights.add(`${l}-${j}-${i}`);
    if (l + 1 < sizes.length) for (let i = 0; i < sizes[l + 1]; i += 1) linked.weights.add(`${l + 1}-${i}-${j}`);
    if (l > 0) linked.biases.add(`${l}-${j}`);
  }
  return linked;
}

// A selection that points into a network of these layer sizes.
export function selectionFits(selection, sizes) {
  if (!selection) return false;
  const { kind, layer: l, j, k } = selection;
  const low = kind === "neuron" ? 0 : 1;
  if (!(l >= low && l < sizes.length && j >= 0 && j < sizes[l])) return false;
  return kind !== "weight" || (k >= 0 && k < sizes[l - 1]);
}
