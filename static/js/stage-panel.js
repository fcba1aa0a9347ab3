// Placeholder: being written.

export function mountStagePanel(root, store, context) {}
