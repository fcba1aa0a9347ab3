// Placeholder: being written.

export function mountExport(root, store, context) {}
