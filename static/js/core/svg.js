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

function rgb(hex) {
  const value = parseInt(hex.replace("#", ""), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

// The palette colour for the sign of `value`, mixed with white by |value| / scale (0 is white).
// null (a non-finite number from the API) is neutral grey.
export function signColour(value, scale, palette) {
  if (value === null || value === undefined) return NEUTRAL;
  const strength = intensity(value, scale);
  const [r, g, b] = rgb(value < 0 ? palette.negative : palette.positive);
  const mix = (c) => Math.round(255 + (c - 255) * strength);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
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

// Rules the exported SVG needs to look as it does on the page: each diagram carries them in
// its own <style> element, scoped to the diagram's class so they do not leak into the page.
// Colours use the page's palette variables, with the same colours as fallbacks for a standalone file.
const hl = `var(--highlight, ${FALLBACK.highlight})`;
const sel = `var(--selected, ${FALLBACK.selected})`;
export const EMBEDDED_STYLE = `
.bp-svg { font-family: system-ui, sans-serif; }
.bp-svg text { fill: ${INK}; pointer-events: none; }
.bp-svg text.muted { fill: #6b6b6b; }
.bp-svg .halo { stroke: ${sel}; stroke-opacity: .3; stroke-linecap: round; pointer-events: none; }
.bp-svg .halo-selected { stroke-opacity: .6; }
.bp-svg .halo.hover { stroke: #000; stroke-opacity: .15; }
.bp-svg .neuron .pill { stroke: #555; stroke-width: 1.2; }
.bp-svg .neuron.grad .pill { stroke-dasharray: 6 3; }
.bp-svg .neuron.pending .pill { stroke: #bbb; stroke-dasharray: 2 3; }
.bp-svg .neuron-value { font-variant-numeric: tabular-nums; }
.bp-svg .neuron.grad .neuron-value { font-style: italic; }
.bp-svg .edge-label { font-variant-numeric: tabular-nums; }
.bp-svg .edge-label, .bp-svg .layer-headers text { paint-order: stroke; stroke: #fff; stroke-width: 4px;
  stroke-linejoin: round; }
.bp-svg .weight.grad { stroke-dasharray: 8 4; }
.bp-svg .weight.change { stroke-dasharray: 2 3; }
.bp-svg .weight.pending { stroke: #d0d0d0; stroke-dasharray: 2 5; }
.bp-svg .packet text { font-variant-numeric: tabular-nums; font-weight: bold; paint-order: stroke;
  stroke: #fff; stroke-width: 4px; stroke-linejoin: round; }
.bp-svg .packet.grad text { font-style: italic; }
.bp-svg .op-badge rect { fill: #1b1b1b; }
.bp-svg .op-badge text { fill: #fff; font-variant-numeric: tabular-nums; font-weight: bold; }
.bp-svg .node .box { fill: #fff; stroke: #555; stroke-width: 1.2; }
.bp-svg .node.param .box { fill: #fff8e6; stroke-dasharray: 5 2; }
.bp-svg .node.group .box { fill: #f1efe8; }
.bp-svg .link { fill: none; stroke: #8a8a8a; stroke-width: 1.3; }
.bp-svg marker path { fill: #8a8a8a; }
.bp-svg .link-label { font-size: 10px; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.bp-svg .sum-badge text { fill: #fff; font-weight: bold; }
.bp-svg .weight.dim { stroke-opacity: .4; }
.bp-svg .weight.selected, .bp-svg .weight.linked { stroke-opacity: 1; }
.bp-svg .node.pending, .bp-svg .loss.pending { opacity: .4; }

.bp-svg .node.parent > .box { fill: #fdebc8; stroke: ${hl}; stroke-width: 2; }
.bp-svg .neuron.active > .pill, .bp-svg .bias.active > .badge, .bp-svg .node.active > .box,
.bp-svg .loss.active > .box { stroke: ${hl}; stroke-width: 3.5; }
.bp-svg .neuron.linked > .pill, .bp-svg .bias.linked > .badge { stroke: ${sel}; stroke-width: 2.5; }
.bp-svg .neuron.selected > .pill, .bp-svg .bias.selected > .badge, .bp-svg .node.selected > .box {
  stroke: ${sel}; stroke-width: 4.5; }
.bp-svg.large .neuron.active > .pill, .bp-svg.large .bias.active > .badge { stroke-width: 1.8; }
.bp-svg.large .neuron.selected > .pill, .bp-svg.large .bias.selected > .badge { stroke-width: 3; }
.bp-svg path.link.flowing { stroke: #444; stroke-width: 2; }
.bp-svg path.link.carrying { stroke: ${hl}; stroke-width: 2.6; }
.bp-svg .sum-badge circle, .bp-svg marker.hl path { fill: ${hl}; stroke: none; }
`;
