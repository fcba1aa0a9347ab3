// The expression widget's reading of an API result: steps, edges each gradient travels, state.

// The names of one expression, in order of first use: a called name or text in quotes is
// never a variable, nor the e of 1e-3.
function namesIn(text) {
  const bare = text.replace(/(["'])(?:(?!\1).)*\1?/g, (quoted) => " ".repeat(quoted.length)).replace(/#.*/, "");
  const names = [];
  for (const match of bare.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
    const name = match[0];
    const before = bare[match.index - 1];
    const called = /^\s*\(/.test(bare.slice(match.index + name.length));
    if (before && /[0-9.]/.test(before)) continue;
    if (called || names.includes(name)) continue;
    names.push(name);
  }
  return names;
}

const ASSIGNMENT = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\*\*|[-+*/])?=(?!=)/;

// The names an expression or program reads before any line assigns them, in order of first
// use, so the page can ask for their values before the server sees the text. The server parses
// it again and has the last word (it refuses what it does not allow).
export function variablesOf(text) {
  const names = [];
  const assigned = new Set();
  for (const line of text.split(/\r?\n/)) {
    const match = line.match(ASSIGNMENT);
    const reads = namesIn(match ? line.slice(match[0].length) : line);
    if (match && match[2]) reads.unshift(match[1]); // c += 1 reads c
    for (const name of reads) if (!assigned.has(name) && !names.includes(name)) names.push(name);
    if (match) assigned.add(match[1]);
  }
  return names;
}

// A lesson's widget line holds a program's lines separated by ";" (the grammar has no ";").
export function programText(option) {
  return (option || "").split(";").map((line) => line.trim()).filter(Boolean).join("\n");
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
  // The line of a program that named each node (c₂ is the node line 5 made).
  const lines = new Map((result.statements || []).filter((s) => s.name).map((s) => [s.node, s.line]));
  return { result, nodes, steps, gradStep, inputs, lines };
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
