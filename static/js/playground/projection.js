// Data with more than two inputs are plotted as their projection on the first two principal
// components, which the API computes (POST /api/v1/projections); the plots say so on their axes.
// The projection is kept in the state beside the data it belongs to.

import { dataShape } from "../core/data-shape.js";

// Fetch the projection whenever the data in use have more than two inputs.
export function keepProjection(store, api, onError) {
  const update = async ({ dataset }) => {
    const shape = dataShape(dataset);
    if (!shape || shape.dim <= 2 || (store.get().projection || {}).dataset === dataset) return;
    try {
      const { points, explained } = await api.projection({ inputs: dataset.inputs });
      if (store.get().dataset === dataset) store.set({ projection: { dataset, points, explained } });
    } catch (error) {
      onError(error);
    }
  };
  store.subscribe(["dataset"], update);
  update(store.get());
}

// The data as the plots draw them: as they are, or for many inputs their projection (with
// `projected`, the share of the variance each axis keeps); null while it is being fetched.
export function plottedData(state) {
  const shape = dataShape(state.dataset);
  if (!shape || shape.dim <= 2) return state.dataset;
  const { projection } = state;
  if (!projection || projection.dataset !== state.dataset) return null;
  return { inputs: projection.points, targets: state.dataset.targets, projected: projection.explained,
    features: shape.dim };
}
