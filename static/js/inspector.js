// Placeholder: being written.

export function mountInspector(root, store, context) {}
