// The preset picker in the top bar: named starting points from GET /api/v1/presets, each a
// network, its parameters or seed, its data and the SGD settings that train it well.

import { el, uid } from "../core/dom.js";

// The store patch that loads a preset. Its `data` is either a dataset reference or explicit
// points; a null batch size means the full batch (at most the catalog's max_batch rows).
export function presetPatch(preset, state, limits) {
  const { dataset, inputs, targets } = preset.data;
  const rows = dataset ? dataset.samples : inputs.length;
  return {
    preset: preset.name,
    network: preset.network,
    params: preset.params,
    seed: preset.seed,
    init: "auto",
    data: dataset ? { ...dataset } : state.data,
    points: dataset ? null : { inputs, targets },
    learningRate: preset.learning_rate,
    batchSize: Math.min(preset.batch_size ?? rows, limits.max_batch),
    ...(preset.view ? { view: preset.view } : {}),
  };
}

// Load a preset. Its points are fetched first and set together with its network, so no request
// ever pairs the new network with the old data.
export async function applyPreset(store, services, preset) {
  const patch = presetPatch(preset, store.get(), services.catalog.limits);
  try {
    const { name, samples, noise, seed } = patch.data;
    const dataset = patch.points || await services.api.dataset(name, { samples, noise, seed })
      .then(({ inputs, targets, image }) => ({ inputs, targets, image: image ?? null }));
    store.set({ ...patch, dataset });
  } catch (error) {
    store.set({ error: `The preset ${preset.title} could not be loaded: ${error.message}` });
  }
}

// The preset called `name` (undefined when there is none or the list cannot be had).
export async function findPreset(api, name) {
  const list = await api.presets().catch(() => []);
  return list.find((preset) => preset.name === name);
}

export function mountPresets(tools, store, services) {
  const id = uid("preset");
  const select = el("select", { id, "data-testid": "preset-picker" },
    el("option", { value: "", text: "Choose a preset…" }));
  tools.append(el("div", { class: "topbar-field not-in-present" },
    el("label", { for: id, text: "Preset" }), select));

  let presets = [];
  const show = (state) => { select.value = presets.some((p) => p.name === state.preset) ? state.preset : ""; };
  services.api.presets().then((list) => {
    presets = list;
    select.append(...list.map((preset) => el("option", { value: preset.name, text: preset.title,
      title: preset.description })));
    show(store.get());
  }).catch((error) => {
    select.disabled = true;
    select.title = `Presets could not be loaded: ${error.message}`;
  });

  select.addEventListener("change", () => {
    const preset = presets.find((p) => p.name === select.value);
    if (preset) applyPreset(store, services, preset);
  });
  store.subscribe(["preset"], show);
}
