// The presets lesson widgets start from, and their data as the playground draws them: the whole
// data set, of which a stepped iteration uses the first rows.

// The preset called `name`; an error that names it when there is none.
export async function findPreset(api, name) {
  const preset = (await api.presets()).find((p) => p.name === name);
  if (!preset) throw new Error(`there is no preset called "${name}"`);
  return preset;
}

// The preset's points: its explicit rows, or its data set drawn with the preset's settings.
export async function presetData(api, preset) {
  const { dataset, inputs, targets } = preset.data;
  if (!dataset) return { inputs, targets };
  const drawn = await api.dataset(dataset.name, { samples: dataset.samples, noise: dataset.noise,
    seed: dataset.seed });
  return { inputs: drawn.inputs, targets: drawn.targets };
}

// The first `rows` points: the batch the playground steps through with that batch size.
export async function presetBatch(api, preset, rows) {
  const { inputs, targets } = await presetData(api, preset);
  return { inputs: inputs.slice(0, rows), targets: targets.slice(0, rows) };
}

// The body of POST /api/v1/iterations for a preset on a batch.
export function iterationBody(preset, batch, changes = {}) {
  const body = { network: preset.network, seed: preset.seed, learning_rate: preset.learning_rate,
    include_events: false, ...batch, ...changes };
  if (preset.params && !body.params) body.params = preset.params;
  return body;
}
