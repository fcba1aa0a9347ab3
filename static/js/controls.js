// Placeholder: being written.

export function mountControls(root, store, context) {}
