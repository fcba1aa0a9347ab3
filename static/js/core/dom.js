// The one DOM helper: el() builds an HTML element, svgEl() an SVG one, uid() an id unique on
// the page (so a component mounted twice never repeats an id).

const SVG_NS = "http://www.w3.org/2000/svg";
let counter = 0;

export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

// Attributes on an element: `text` sets its text, `class` its class; false, null and undefined
// are left out, true is an empty attribute.
function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") element.textContent = value;
    else if (name === "class") element.setAttribute("class", value);
    else element.setAttribute(name, value === true ? "" : value);
  }
  return element;
}

// el("p", {class: "note", text: "hi"}, child, ...): attributes, then children (nodes or text).
export function el(tag, attributes = {}, ...children) {
  const element = setAttributes(document.createElement(tag), attributes);
  element.append(...children.filter((child) => child !== null && child !== undefined));
  return element;
}

// svgEl("line", {x1: 0, ...}, parent): an SVG element, appended to `parent` when one is given.
export function svgEl(tag, attributes = {}, parent = null) {
  const element = setAttributes(document.createElementNS(SVG_NS, tag), attributes);
  if (parent) parent.appendChild(element);
  return element;
}
