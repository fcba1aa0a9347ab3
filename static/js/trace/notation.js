// The maths notation as text: layers as superscripts, indices as subscripts, 1-based as written
// in the maths, and the parts of a node's symbol read from its kind, layer and index.

const SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹";
const SUBSCRIPT = "₀₁₂₃₄₅₆₇₈₉";
export const sup = (n) => String(n).replace(/\d/g, (d) => SUPERSCRIPT[d]);
export const sub = (text) => String(text).replace(/\d/g, (d) => SUBSCRIPT[d]);

// 1-based indices as the engine writes them: "13", or "1,12" once one passes 9.
export function indexLabel(...indices) {
  const parts = indices.map((i) => i + 1);
  return parts.join(parts.some((p) => p > 9) ? "," : "");
}

// The typeset label of a neuron: x₁ for inputs, a¹₂ (or δ¹₂ ...) for layer 1, neuron 2.
export function neuronSymbol(l, j, letter = "a") {
  return l === 0 ? `x${sub(j + 1)}` : `${letter}${sup(l)}${sub(j + 1)}`;
}

export const weightSymbol = (l, j, k) => `w${sup(l)}${sub(indexLabel(j, k))}`;
export const biasSymbol = (l, j) => `b${sup(l)}${sub(indexLabel(j))}`;

// {base, sup, sub} of a graph node's symbol, from the catalog's node kinds: W¹ for the layer
// graph's matrix, w¹₁₂ for one of its entries, x₁ for an input; the name where the kind has no
// letter (an expression's variables and operations).
export function nodeSymbolParts(node, nodeKinds) {
  const kind = nodeKinds.find((k) => k.kind === node.kind);
  if (!kind || !kind.symbol) return { base: node.name, sup: "", sub: "" };
  const whole = node.index === null || node.index === undefined;
  const layer = kind.layered ? String(node.layer) : "";
  return { base: whole ? kind.whole : kind.symbol, sup: layer,
    sub: whole ? "" : indexLabel(...node.index) };
}

// A graph node's symbol as text: "w¹₁₂", "W²", "x₁"; its name where its kind has no letter.
export function nodeText(node, nodeKinds) {
  const parts = nodeSymbolParts(node, nodeKinds);
  return `${parts.base}${sup(parts.sup)}${sub(parts.sub)}`;
}
