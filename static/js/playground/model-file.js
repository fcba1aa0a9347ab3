// A model file, {network, params, seed, init}, checked before it reaches the store: each problem
// is named by its field, the way the API names them, against the catalog's lists and limits.

class ModelError extends Error {}

const fail = (field, message) => { throw new ModelError(`${field}: ${message}`); };
const isFiniteNumber = (v) => typeof v === "number" && Number.isFinite(v);
const names = (list) => list.map((item) => item.name);

export function checkSizes(sizes, limits) {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.length > limits.max_layers + 1) {
    fail("network.layer_sizes", `needs 2 to ${limits.max_layers + 1} sizes (the input and up to ${limits.max_layers} layers)`);
  }
  sizes.forEach((n, i) => {
    if (!Number.isInteger(n) || n < 1 || n > limits.max_neurons) {
      fail(`network.layer_sizes[${i}]`, `must be a whole number from 1 to ${limits.max_neurons}, got ${JSON.stringify(n)}`);
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

// The model in `text`, checked against the catalog; throws an Error whose message names the
// problem.
export function readModel(text, catalog) {
  let model;
  try {
    model = JSON.parse(text);
  } catch (error) {
    throw new ModelError(`The file is not JSON (${error.message}).`);
  }
  if (!model || typeof model !== "object" || Array.isArray(model)) {
    throw new ModelError("The file holds no model: expected {network, params, seed, init}.");
  }
  checkNetwork(model.network, catalog);
  const params = checkParams(model.params, model.network.layer_sizes);
  const seed = model.seed ?? 0;
  const { max_seed: maxSeed } = catalog.limits;
  if (!Number.isInteger(seed) || seed < 0 || seed > maxSeed) fail("seed", `must be a whole number from 0 to ${maxSeed}`);
  const init = model.init ?? "auto";
  const schemes = names(catalog.init_schemes);
  if (!schemes.includes(init)) fail("init", `"${init}" is not a scheme; known: ${schemes.join(", ")}`);
  const { layer_sizes, activations, loss } = model.network;
  return { network: { layer_sizes, activations, loss }, params, seed, init };
}

export function modelFile(state) {
  return { network: state.network, params: state.trace.params_before, seed: state.seed, init: state.init };
}
