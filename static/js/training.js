// Placeholder: being written.

export function mountTraining(root, store, context) {}
