// Placeholder: being written.

export function mountGradcheck(root, store, context) {}
