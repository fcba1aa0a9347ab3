// Saving files from the page: text (or a Blob, such as a canvas's PNG) through a temporary
// <a download>, and an SVG element as a standalone file with its computed styles written onto it.

export function download(filename, content, type) {
  const url = URL.createObjectURL(content instanceof Blob ? content : new Blob([content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The presentation properties the page's stylesheets (svg.css, the palette) may set on SVG
// elements: each is also an SVG attribute, so a file carries them without any CSS.
const STYLE_PROPERTIES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity",
  "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "paint-order", "opacity", "font-family",
  "font-size", "font-style", "font-weight", "text-anchor", "dominant-baseline", "visibility"];

// The SVG as text that looks the same outside the page: each element's computed style written
// onto its copy as presentation attributes (never a style attribute, which the page's content
// security policy would refuse to apply).
export function svgText(svg) {
  const copy = svg.cloneNode(true);
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [copy, ...copy.querySelectorAll("*")];
  originals.forEach((original, i) => {
    const computed = getComputedStyle(original);
    copies[i].removeAttribute("style");
    for (const name of STYLE_PROPERTIES) {
      const value = computed.getPropertyValue(name);
      if (value) copies[i].setAttribute(name, value);
    }
  });
  if (!copy.getAttribute("viewBox")) {
    const box = svg.getBoundingClientRect();
    copy.setAttribute("viewBox", `0 0 ${box.width} ${box.height}`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}
