// The rules a network and its parameters keep, as the API states them: each problem thrown as
// an Error whose message starts with the field's name the way the API names it ("field: ...").
// Model files, links and optimiser states are all checked here. Pure: no DOM.

export class RuleError extends Error {}

export const fail = (field, message) => { throw new RuleError(`${field}: ${message}`); };
export const isFiniteNumber = (v) => typeof v === "number" && Number.isFinite(v);
export const names = (list) => list.map((item) => item.name);

export function checkSizes(sizes, limits) {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.length > limits.max_layers + 1) {
    fail("network.layer_sizes", `needs 2 to ${limits.max_layers + 1} sizes (the input and up to ${limits.max_layers} layers)`);
  }
  sizes.forEach((n, i) => {
    const most = i === 0 ? limits.max_inputs : limits.max_neurons; // the input layer may be an image
    if (!Number.isInteger(n) || n < 1 || n > most) {
      fail(`network.layer_sizes[${i}]`, `must be a whole number from 1 to ${most}, got ${JSON.stringify(n)}`);
    }
  });
}

export function checkNetwork(network, catalog) {
  if (!network || typeof network !== "object") fail("network", "missing; expected {layer_sizes, activations, loss}");
  const { layer_sizes: sizes, activations, loss } = network;
  checkSizes(sizes, catalog.limits);
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) {
    fail("network.activations", `needs one activation per layer after the input: ${sizes.length - 1}`);
  }
  activations.forEach((name, i) => {
    const last = i === activations.length - 1;
    const allowed = names(catalog.activations.filter((a) => last || !a.output_only));
    if (!allowed.includes(name)) {
      fail(`network.activations[${i}]`, `"${name}" is not an activation here; known: ${allowed.join(", ")}`);
    }
  });
  const found = catalog.losses.find((item) => item.name === loss);
  if (!found) fail("network.loss", `"${loss}" is not a loss; known: ${names(catalog.losses).join(", ")}`);
  if (found.output_activation && activations.at(-1) !== found.output_activation) {
    fail("network.activations", `the loss ${loss} needs a ${found.output_activation} output layer`);
  }
}

export function checkParams(params, sizes) {
  if (params === null || params === undefined) return null;
  const { weights, biases } = params;
  const depth = sizes.length - 1;
  if (!Array.isArray(weights) || weights.length !== depth) fail("params.weights", `needs ${depth} matrices`);
  if (!Array.isArray(biases) || biases.length !== depth) fail("params.biases", `needs ${depth} vectors`);
  for (let l = 1; l <= depth; l += 1) {
    const w = weights[l - 1];
    const shape = `${sizes[l]}x${sizes[l - 1]}`;
    if (!Array.isArray(w) || w.length !== sizes[l]
      || !w.every((row) => Array.isArray(row) && row.length === sizes[l - 1] && row.every(isFiniteNumber))) {
      fail(`params.weights[${l - 1}]`, `W^${l} must be a ${shape} matrix of finite numbers`);
    }
    const b = biases[l - 1];
    if (!Array.isArray(b) || b.length !== sizes[l] || !b.every(isFiniteNumber)) {
      fail(`params.biases[${l - 1}]`, `b^${l} must be ${sizes[l]} finite numbers`);
    }
  }
  return { weights, biases };
}
