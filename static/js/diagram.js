// Placeholder: being written.

export function mountDiagram(root, store, context) {}
