// The update made by an optimiser other than plain gradient descent, for the weight or bias
// shown: one formula per quantity it computes (PyTorch's rules), filled with this iteration's
// numbers — the state before from what the request sent, the state after and every other
// quantity from the trace's update stage — and, last, the step taken beside a plain gradient
// step, so a learner sees momentum or Adam carry a weight further (or less far) than -eta g.

import { formulaBlock } from "./formula-view.js";

// A params-shaped tree's number for the parameter `at` ({kind, l, j, k}).
export function pick(tree, at) {
  if (!tree) return undefined;
  return at.kind === "bias" ? tree.biases[at.l - 1][at.j] : tree.weights[at.l - 1][at.j][at.k];
}

// What every formula may name, read once.
function numbers(stage, trace, at) {
  const q = stage.quantities;
  const before = trace.optimizer_state_before || {};
  const now = (name) => pick(q[name], at);
  // A buffer before its first step is zero, as PyTorch starts it (momentum's is the exception,
  // handled by its own formula).
  const prev = (name) => (before[name] ? pick(before[name], at) : 0);
  const { optimizer } = trace;
  return {
    w: pick(trace.params_before, at), new: pick({ weights: stage.weights, biases: stage.biases }, at),
    grad: now("grad"), g: now("grad_with_decay") ?? now("grad"), eta: stage.learning_rate, t: stage.step_count,
    lambda: optimizer.weight_decay, mu: optimizer.momentum, tau: optimizer.dampening, alpha: optimizer.alpha,
    eps: optimizer.eps, beta_one: optimizer.betas && optimizer.betas[0], beta_two: optimizer.betas && optimizer.betas[1],
    b: now("momentum_buffer"), b_prev: prev("momentum_buffer"), firstVelocity: !before.momentum_buffer,
    v: now("square_avg") ?? now("exp_avg_sq"), v_prev: prev("square_avg") || prev("exp_avg_sq"),
    gbar: now("grad_avg"), gbar_prev: prev("grad_avg"), den: now("denominator"),
    m: now("exp_avg"), m_prev: prev("exp_avg"), vmax: now("max_exp_avg_sq"), vmax_prev: prev("max_exp_avg_sq"),
    mhat: now("exp_avg_hat"), vhat: now("exp_avg_sq_hat"), decayed: now("decayed_param"),
    step: now("param_step"), plain: now("gradient_step"),
  };
}

// [formula name, note] pairs, in the order the optimiser computes them; the last is the step.
const SEQUENCES = {
  sgd: (o, n) => [
    ...(o.weight_decay ? [["opt_grad_decay"]] : []),
    ...(o.momentum ? [[n.firstVelocity ? "opt_momentum_first" : "opt_momentum"],
      [o.nesterov ? "opt_step_nesterov" : "opt_step_velocity"]] : [["opt_step_plain"]]),
  ],
  rmsprop: (o) => [
    ...(o.weight_decay ? [["opt_grad_decay"]] : []),
    ["opt_square_avg"],
    ...(o.centered ? [["opt_grad_avg"], ["opt_denominator_centered"]] : [["opt_denominator"]]),
    ...(o.momentum ? [["opt_rmsprop_momentum"], ["opt_step_velocity"]] : [["opt_rmsprop_step"]]),
  ],
  adam: (o) => [
    ...(o.weight_decay ? [["opt_grad_decay"]] : []),
    ...momentsOf(o),
    ["opt_adam_step"],
  ],
  adamw: (o) => [
    ...(o.weight_decay ? [["opt_decoupled_decay"]] : []),
    ...momentsOf(o),
    ["opt_adam_step", o.weight_decay ? "Here θ is θ′, the weight after the decay." : ""],
  ],
};

function momentsOf(o) {
  return [["opt_exp_avg"], ["opt_exp_avg_sq"],
    ...(o.amsgrad ? [["opt_max_exp_avg_sq"], ["opt_m_hat"], ["opt_v_hat_max"]] : [["opt_m_hat"], ["opt_v_hat"]])];
}

// {blocks (every formula), caption (the step and the step beside -eta g)} for the parameter
// `at`; null when the trace's update stage carries no optimiser's quantities.
export function optimizerBlocks(stage, trace, formulas, at) {
  const { optimizer } = trace;
  if (!optimizer || !stage.quantities || !SEQUENCES[optimizer.name]) return null;
  const values = numbers(stage, trace, at);
  if (optimizer.name === "adamw" && optimizer.weight_decay) values.w = values.decayed;
  const sequence = SEQUENCES[optimizer.name](optimizer, values);
  const blocks = sequence.map(([name, note]) => formulaBlock(formulas, name,
    name === "opt_decoupled_decay" ? { ...values, w: pick(trace.params_before, at) } : values, note || ""));
  const taken = formulaBlock(formulas, "opt_step_taken", values);
  blocks.push(taken);
  const step = blocks[blocks.length - 2];
  return { blocks, caption: [step.cloneNode(true), taken.cloneNode(true)] };
}

// The inspector's rows for the parameter `at` once the update is reached: each buffer the
// optimiser keeps, before and after this step, the step taken and a plain gradient step beside
// it, and the step count. Empty for plain gradient descent.
export function optimizerRows(trace, catalog, at) {
  const update = trace.stages.find((stage) => stage.phase === "update");
  if (!trace.optimizer || !update || !update.quantities) return [];
  const entry = catalog.optimizers.find((o) => o.name === trace.optimizer.name);
  const before = trace.optimizer_state_before || {};
  const rows = entry.state.filter((buffer) => update.quantities[buffer.name]).flatMap((buffer) => [
    [`${capital(buffer.label)}, before`, before[buffer.name] ? pick(before[buffer.name], at) : 0, `state-before-${buffer.name}`],
    [`${capital(buffer.label)}, after`, pick(update.quantities[buffer.name], at), `state-after-${buffer.name}`],
  ]);
  return [
    ...rows,
    ["Step taken Δθ", pick(update.quantities.param_step, at), "step-taken"],
    ["A plain gradient step −η g", pick(update.quantities.gradient_step, at), "plain-step"],
    [`Steps ${entry.label} has taken`, update.step_count, "step-count"],
  ];
}

const capital = (text) => `${text[0].toUpperCase()}${text.slice(1)}`;
