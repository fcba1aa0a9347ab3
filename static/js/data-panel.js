// Placeholder: being written.

export function mountDataPanel(root, store, context) {}
