// The stepping batch as a window over the points: `batchSize` points from `batchStart`, kept
// inside the data so that it is always full; and where a chosen point puts the window and the
// sample shown. Pure: the state in, numbers or a store patch out.

// {start, size, count}: the window over `count` points the state asks for.
export function batchWindow(state, count) {
  const size = Math.max(1, Math.min(state.batchSize || count, count));
  const start = Math.max(0, Math.min(Math.floor(state.batchStart) || 0, count - size));
  return { start, size, count };
}

// The patch that shows point `index` of the data: its sample in the window when it is in the
// batch already (the batch stays as it is), else the batch an epoch without shuffling would put
// it in (points 0 to 7, 8 to 15, ... for a batch of 8; the last one kept full).
export function choosePoint(state, count, index) {
  const { start, size } = batchWindow(state, count);
  if (index >= start && index < start + size) return { sample: index - start };
  const aligned = Math.min(Math.floor(index / size) * size, count - size);
  return { batchStart: aligned, sample: index - aligned };
}
