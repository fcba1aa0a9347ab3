// Reading the catalog (GET /api/v1/catalog): the engine's one list of activations, losses,
// schemes, orders, datasets, kinds and limits. The page keeps no copy of any of them.

// The entry called `name` in one of the catalog's lists (undefined if there is none).
export function entryOf(catalog, list, name) {
  return catalog[list].find((item) => item.name === name);
}

// Its label for people, or the name itself when the catalog does not know it.
export function labelOf(catalog, list, name) {
  const found = entryOf(catalog, list, name);
  return found ? found.label : name;
}

// [name, label] pairs of a list, for a select's options.
export function options(catalog, list, names = null) {
  return catalog[list].filter((item) => !names || names.includes(item.name))
    .map((item) => [item.name, item.label]);
}

// Whether a loss is computed from the logits z^L, so that dC/dz^L simplifies to (a - y)/N.
export function onLogits(catalog, lossName) {
  const loss = entryOf(catalog, "losses", lossName);
  return Boolean(loss && loss.on_logits);
}

// Whether an activation mixes the whole layer (softmax): only an output, no f' per neuron.
export function mixesLayer(catalog, activationName) {
  const activation = entryOf(catalog, "activations", activationName);
  return Boolean(activation && activation.output_only);
}
