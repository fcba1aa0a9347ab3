// Small images on a canvas, one square per pixel: a drawing, a saliency map, a misclassified
// digit. Colours come from the caller (grey ink, or the palette's signed colours).

const CELL = 32; // canvas pixels per image pixel (CSS scales the canvas)

// Each value of `values` (row by row, `shape` = [height, width]) as a square filled by
// colour(value, k).
export function drawPixels(canvas, shape, values, colour) {
  const [rows, columns] = shape;
  canvas.width = columns * CELL;
  canvas.height = rows * CELL;
  const context = canvas.getContext("2d");
  values.forEach((value, k) => {
    context.fillStyle = colour(value, k);
    context.fillRect((k % columns) * CELL, Math.floor(k / columns) * CELL, CELL, CELL);
  });
}

// Ink in [0, 1] as grey: 0 white, 1 black.
export function ink(value) {
  const level = Math.round(255 * (1 - Math.max(0, Math.min(1, value ?? 0))));
  return `rgb(${level},${level},${level})`;
}
