// Maths symbols as HTML: a variable with its layer above and its index below, and a graph node's
// symbol from its kind, layer and index.

import { el } from "../core/dom.js";
import { nodeSymbolParts } from "../trace/notation.js";

// A node or parameter symbol: base, with `sup` (the layer) above and `sub` (the index) below.
export function symbol(base, sup = "", sub = "") {
  const span = el("span", { class: "symbol" }, el("var", { text: base }));
  if (sup === "" && sub === "") return span;
  span.setAttribute("role", "img");
  span.setAttribute("aria-label", [base, sup && `layer ${sup}`, sub && `index ${sub}`].filter(Boolean).join(", "));
  span.append(el("span", { class: "scripts" }, el("sup", { text: sup }), el("sub", { text: sub })));
  return span;
}

export function nodeSymbol(node, nodeKinds) {
  const parts = nodeSymbolParts(node, nodeKinds);
  return symbol(parts.base, parts.sup, parts.sub);
}
