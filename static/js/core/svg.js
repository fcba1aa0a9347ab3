// SVG building blocks for the diagrams: writes that skip unchanged values, and
// the colour scale (sign by hue, magnitude by intensity) in the page's colour-blind-safe palette.

// Fallbacks equal to the palette in playground.css, for a page that does not load it.
const FALLBACK = { positive: "#0072b2", negative: "#d55e00", highlight: "#e69f00", selected: "#009e73" };
const NEUTRAL = "#9a9a9a";
const INK = "#1b1b1b";

// A handle on one element that remembers what it last wrote, so a step touches the DOM only
// where something changed.
export class Live {
  constructor(node) {
    this.node = node;
    this.written = new Map();
  }

  attr(name, value) {
    if (this.written.get(name) === value) return;
    this.written.set(name, value);
    if (value === null) this.node.removeAttribute(name);
    else this.node.setAttribute(name, value);
  }

  cls(name, on) {
    const key = `.${name}`;
    if (this.written.get(key) === on) return;
    this.written.set(key, on);
    this.node.classList.toggle(name, on);
  }

  // An inline style property, set through the CSSOM (which a strict content security policy
  // allows, unlike a style attribute); it beats the stylesheet's rules.
  style(name, value) {
    const key = `:${name}`;
    if (this.written.get(key) === value) return;
    this.written.set(key, value);
    this.node.style.setProperty(name, value);
  }

  text(value) {
    if (this.written.get("#text") === value) return;
    this.written.set("#text", value);
    this.node.textContent = value;
  }
}

// The palette as the page defines it (CSS custom properties, as `element` inherits them).
export function readPalette(element) {
  const style = getComputedStyle(element);
  const read = (name) => style.getPropertyValue(`--${name}`).trim() || FALLBACK[name];
  return Object.fromEntries(Object.keys(FALLBACK).map((name) => [name, read(name)]));
}

export function rgb(hex) {
  const value = parseInt(hex.replace("#", ""), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

// [r, g, b] of `colour` (as rgb() gives it) mixed with white: strength 0 is white, 1 the colour.
export function mixWithWhite(colour, strength) {
  return colour.map((c) => Math.round(255 + (c - 255) * strength));
}

// The palette colour for the sign of `value`, mixed with white by |value| / scale (0 is white).
// null (a non-finite number from the API) is neutral grey.
export function signColour(value, scale, palette) {
  if (value === null || value === undefined) return NEUTRAL;
  const [r, g, b] = mixWithWhite(rgb(value < 0 ? palette.negative : palette.positive), intensity(value, scale));
  return `rgb(${r},${g},${b})`;
}

// Okabe-Ito colours beyond the four the palette names, for a fifth class and on.
const MORE_CLASS_COLOURS = ["#cc79a7", "#56b4e9", "#000000"];

// Class c's colour, as the data plots draw it: class 0 vermillion, 1 blue, then green, orange
// and the rest of Okabe-Ito.
export function classColours(palette) {
  return [palette.negative, palette.positive, palette.selected, palette.highlight, ...MORE_CLASS_COLOURS];
}

// |value| / scale in [0, 1], never NaN.
export function intensity(value, scale) {
  if (value === null || value === undefined || !scale) return 0;
  return Math.min(1, Math.abs(value) / scale);
}

// Text that stays readable on a signColour fill.
export function inkOn(value, scale) {
  return intensity(value, scale) > 0.55 ? "#ffffff" : INK;
}

// The full-strength palette colour for an edge carrying `value`.
export function edgeColour(value, palette) {
  if (value === null || value === undefined || value === 0) return NEUTRAL;
  return value < 0 ? palette.negative : palette.positive;
}

// Largest |x| over nested arrays of numbers (nulls skipped); 0 when there is none.
export function maxAbs(values) {
  if (values === null || values === undefined) return 0;
  if (!Array.isArray(values)) return Math.abs(values);
  let best = 0;
  for (const item of values) best = Math.max(best, maxAbs(item));
  return best;
}
