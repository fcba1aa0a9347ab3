// The expression widget's reading of an API result: steps, edges each gradient travels, state.

// The variable names of an expression, in order of first use, so the page can ask for their
// values before the server sees it. The server parses it again and has the last word: a
// called name or text in quotes is never a variable (the server refuses what it does not allow).
export function variablesOf(text) {
  const bare = text.replace(/(["'])(?:(?!\1).)*\1?/g, (quoted) => " ".repeat(quoted.length));
  const names = [];
  for (const match of bare.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const name = match[0];
    const before = bare[match.index - 1];
    const called = /^\s*\(/.test(bare.slice(match.index + name.length));
    if (before && /[0-9.]/.test(before)) continue; // the e of 1e-3
    if (called || names.includes(name)) continue;
    names.push(name);
  }
  return names;
}

// "x=2, y=3" as {x: "2", y: "3"}: the texts the value fields start with.
export function parseValues(text) {
  const values = {};
  for (const pair of (text || "").split(",")) {
    const [name, value] = pair.split("=").map((part) => part.trim());
    if (name && value !== undefined) values[name] = value;
  }
  return values;
}

// For one backward event, each gradient it sends with the edge it travels: the k-th entry
// for parent p goes along the k-th edge (by argument index) from p into the node.
function pairEdges(edges, event) {
  const queues = new Map();
  for (const edge of edges.filter((e) => e.target === event.node).sort((a, b) => a.index - b.index)) {
    if (!queues.has(edge.source)) queues.set(edge.source, []);
    queues.get(edge.source).push(edge);
  }
  return event.sent.map((sent, i) => ({
    edge: queues.get(sent.parent).shift(),
    parent: sent.parent,
    local: event.local[i].value,
    sent: sent.grad,
  }));
}

// Step 0 is "nothing run yet"; then one step per forward event, then one per backward event.
export function readResult(result) {
  const nodes = new Map(result.graph.nodes.map((n) => [n.id, n]));
  const steps = [{ phase: "ready" }];
  for (const event of result.events.forward) steps.push({ phase: "forward", node: event.node, event });
  for (const event of result.events.backward) {
    steps.push({ phase: "backward", node: event.node, event, flows: pairEdges(result.graph.edges, event) });
  }
  const gradStep = new Map();
  steps.forEach((step, index) => {
    if (step.phase === "backward") gradStep.set(step.node, index);
  });
  const inputs = (id) => result.graph.edges.filter((e) => e.target === id).sort((a, b) => a.index - b.index)
    .map((e) => e.source);
  return { result, nodes, steps, gradStep, inputs };
}

// What step `index` shows: each node's value and gradient if known by then, and the gradient
// each edge has carried back.
export function stateAt(model, index) {
  const step = model.steps[index];
  const values = new Map();
  const grads = new Map();
  const carried = new Map();
  model.steps.slice(1, index + 1).forEach((s) => {
    if (s.phase === "forward") values.set(s.node, s.event.value);
    if (s.phase === "backward") {
      grads.set(s.node, s.event.upstream);
      for (const flow of s.flows) carried.set(flow.edge, flow.sent);
    }
  });
  return { step, values, grads, carried };
}
