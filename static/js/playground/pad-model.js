// The drawing pad's pure part: strokes of a soft round brush on a small grey image, the image
// as a short text for links (one character per pixel), and the request that runs it through the
// network. Pixels are ink in [0, 1], in steps of 1/STEPS (the digits' pixels count ink in 16
// steps too, so a drawing and a sample look alike). No DOM.

export const STEPS = 16;
const DIGITS = "0123456789abcdefg"; // a pixel's ink in steps, 0 to STEPS, as one character
const RADIUS = 1.25; // px of the image: full ink within a quarter pixel, none past 1.25

const quantise = (ink) => Math.round(Math.max(0, Math.min(1, ink)) * STEPS) / STEPS;

export const blankPad = (shape) => new Array(shape[0] * shape[1]).fill(0);

// The pixels after the brush touched (x, y), in pixels of the image from its top left corner:
// ink added near the point (or taken away, erasing), the rest unchanged.
export function dab(pixels, shape, x, y, erase = false) {
  const [, columns] = shape;
  return pixels.map((ink, k) => {
    const distance = Math.hypot((k % columns) + 0.5 - x, Math.floor(k / columns) + 0.5 - y);
    const brush = Math.max(0, Math.min(1, RADIUS - distance));
    return erase ? Math.min(ink, quantise(1 - brush)) : Math.max(ink, quantise(brush));
  });
}

// A stroke from one pointer position to the next, dabbed every quarter pixel so fast movements
// leave no gaps.
export function stroke(pixels, shape, from, to, erase = false) {
  const steps = Math.max(1, Math.ceil(4 * Math.hypot(to.x - from.x, to.y - from.y)));
  let result = pixels;
  for (let i = 1; i <= steps; i += 1) {
    result = dab(result, shape, from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps, erase);
  }
  return result;
}

// The pixels as a link writes them: one character per pixel, its ink in steps.
export const padText = (pixels) => pixels.map((ink) => DIGITS[Math.round(ink * STEPS)]).join("");

// The pixels a link's text holds, or null when it is not an image of this shape.
export function padPixels(text, shape) {
  if (typeof text !== "string" || text.length !== shape[0] * shape[1]) return null;
  const steps = [...text].map((ch) => DIGITS.indexOf(ch));
  return steps.some((step) => step < 0) ? null : steps.map((step) => step / STEPS);
}

// Why a link's pad text cannot be a pad (null when it can): one step character per pixel.
export function padProblem(text, maxPixels) {
  return typeof text === "string" && text.length >= 1 && text.length <= maxPixels && /^[0-9a-g]+$/.test(text) ? null
    : `must be up to ${maxPixels} characters 0-9 or a-g, one per pixel (its ink in sixteenths)`;
}

// A pixel's ink copied from a sample's input (already in [0, 1]), in the pad's steps.
export const fromSample = (row) => row.map(quantise);

// The body of POST /api/v1/iterations that runs the drawing forward and backward through the
// network as it is (its parameters and the L2 penalty of its cost; nothing is updated, only the
// trace is read), with the digit the learner says it is as the target and ∂C/∂x asked for.
export function padBody(state, parameters, pixels, label) {
  const outputs = state.network.layer_sizes[state.network.layer_sizes.length - 1];
  return {
    network: state.network,
    params: parameters,
    learning_rate: state.learningRate,
    inputs: [pixels],
    targets: [Array.from({ length: outputs }, (_, j) => (j === label ? 1 : 0))],
    input_gradient: true,
    include_events: false,
    ...(state.l2 ? { l2: state.l2 } : {}),
  };
}
