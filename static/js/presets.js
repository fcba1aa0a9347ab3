// The preset picker in the top bar: named starting points from GET /api/v1/presets, each a
// network, its parameters or seed, its data and the SGD settings that train it well.

import { el, uid } from "./fields.js";

const MAX_BATCH = 512; // app/schemas/common.py MAX_BATCH: rows in one stepped iteration

let presetsPromise = null;

// The presets, fetched once per page.
export function loadPresets(api) {
  presetsPromise = presetsPromise || api.presets();
  return presetsPromise;
}

// The store patch that loads a preset. Its `data` is either a dataset reference or explicit
// points; a null batch size means the full batch.
export function presetPatch(preset, state) {
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
    batchSize: Math.min(preset.batch_size ?? rows, MAX_BATCH),
  };
}

// Load a preset. Its points are fetched first and set together with its network, so no request
// ever pairs the new network with the old data.
export async function applyPreset(store, api, preset) {
  const patch = presetPatch(preset, store.get());
  try {
    const { name, samples, noise, seed } = patch.data;
    const dataset = patch.points || await api.dataset(name, { samples, noise, seed })
      .then(({ inputs, targets }) => ({ inputs, targets }));
    store.set({ ...patch, dataset });
  } catch (error) {
    store.set({ error: `The preset ${preset.title} could not be loaded: ${error.message}` });
  }
}

export function mountPresets(tools, store, context) {
  const id = uid("preset");
  const select = el("select", { id, "data-testid": "preset-picker" },
    el("option", { value: "", text: "Choose a preset…" }));
  const field = el("div", { class: "topbar-field not-in-present" },
    el("label", { for: id, text: "Preset" }), select);
  tools.append(field);

  let presets = [];
  const show = (state) => { select.value = presets.some((p) => p.name === state.preset) ? state.preset : ""; };
  loadPresets(context.api).then((list) => {
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
    if (preset) applyPreset(store, context.api, preset);
  });
  store.subscribe(["preset"], show);
}
