// Saving files from the page: text through a Blob and a temporary <a download>, and an SVG
// element as a standalone file with its computed styles written onto it.

export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// The presentation properties the page's stylesheets may set on SVG elements.
const STYLE_PROPERTIES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity",
  "stroke-dasharray", "opacity", "font-family", "font-size", "font-weight", "text-anchor",
  "dominant-baseline", "visibility"];

// The SVG as text that looks the same outside the page: each element's computed style inlined.
export function svgText(svg) {
  const copy = svg.cloneNode(true);
  const originals = [svg, ...svg.querySelectorAll("*")];
  const copies = [copy, ...copy.querySelectorAll("*")];
  originals.forEach((original, i) => {
    const computed = getComputedStyle(original);
    const inline = STYLE_PROPERTIES.map((name) => `${name}:${computed.getPropertyValue(name)}`).join(";");
    copies[i].setAttribute("style", `${inline};${copies[i].getAttribute("style") || ""}`);
  });
  if (!copy.getAttribute("viewBox")) {
    const box = svg.getBoundingClientRect();
    copy.setAttribute("viewBox", `0 0 ${box.width} ${box.height}`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
}
