// Placeholder: being written.

export function mountPlayer(root, store, context) {}
