// Lesson widget: logistic regression's gradient by the hand formula beside the engine's
// backward pass, for the same weights and points. Both sets of numbers come from the server
// (POST /api/v1/logistic and /api/v1/iterations); the learner steps through the engine's
// stages and sees the formula's numbers appear.

import { el, uid } from "../core/dom.js";
import { formatNumber } from "../core/format.js";
import { toHash } from "../core/url-state.js";
import { findPreset, iterationBody, presetBatch } from "./lesson-data.js";

const DIGITS = 6;
const AGREE = 1e-12; // relative difference within rounding
const STEPS = [
  ["Not started", "press Next to run the engine's iteration one stage at a time."],
  ["Forward", "z = w·x + w₀ and a = σ(z) at every point. The engine's a is the formula's p."],
  ["Loss", "the binary cross-entropy, averaged over the points. Nothing is differentiated yet."],
  ["Backward", "starting from ∂C/∂C = 1, the engine finds δ = ∂C/∂z = (p − y)/N at each "
    + "point, then ∂C/∂w = Σ δ x and ∂C/∂w₀ = Σ δ. Compare them with the formula's."],
];
const GRADIENTS = ["∂C/∂w₁", "∂C/∂w₂", "∂C/∂w₀"];

function cell(value, testid) {
  const shown = value !== undefined;
  return el("td", { class: "num", "data-value": shown ? String(value) : undefined,
    "data-testid": shown ? testid : undefined, text: shown ? formatNumber(value, DIGITS) : "·" });
}

function table(caption, names, rows) {
  return el("table", {}, el("caption", { text: caption }),
    el("thead", {}, el("tr", {}, ...names.map((name) => el("th", { scope: "col", text: name })))),
    el("tbody", {}, ...rows.map(([label, ...cells]) => el("tr", {},
      el("th", { scope: "row", text: label }), ...cells))));
}

function side(title, ...content) {
  const id = uid("logistic");
  return el("section", { class: "logistic-side", "aria-labelledby": id },
    el("h3", { id, text: title }), ...content);
}

function gradients(caption, values, testid) {
  return el("table", { class: "logistic-gradient" }, el("caption", { text: caption }),
    el("tbody", {}, ...GRADIENTS.map((name, i) => el("tr", {},
      el("th", { scope: "row", text: name }), cell(values[i], testid)))));
}

function handSide({ hand }, batch) {
  const rows = batch.inputs.map((x, i) => [String(i + 1), cell(x[0]), cell(x[1]),
    cell(batch.targets[i][0]), cell(hand.probabilities[i], "hand-p"),
    cell(hand.errors[i], "hand-error")]);
  return side("By hand: the formula",
    table("pᵢ = σ(w·xᵢ + w₀) and the error pᵢ − yᵢ", ["i", "x₁", "x₂", "y", "p", "p − y"],
      rows),
    gradients("(1/N) Σ (pᵢ − yᵢ) xᵢ and (1/N) Σ (pᵢ − yᵢ)",
      [hand.grad_weights[0][0], hand.grad_weights[0][1], hand.grad_bias[0]], "hand-grad"));
}

function engineSide(trace, step) {
  const stage = (phase) => trace.stages.find((s) => s.phase === phase);
  const forward = stage("forward");
  const backward = stage("backward");
  const after = (at, value) => (step >= at ? value : undefined);
  const rows = forward.activation.map((a, i) => [String(i + 1), cell(after(1, a[0]), "engine-a"),
    cell(after(3, backward.delta[i][0]), "engine-delta"),
    ...backward.per_sample_grad_weights[i][0].map((g) => cell(after(3, g)))]);
  const loss = el("span", { class: "num", "data-testid": "engine-loss",
    text: step >= 2 ? formatNumber(stage("loss").loss, DIGITS) : "·" });
  return side("The engine: one iteration",
    table("Per point: a = σ(z), δ = ∂C/∂z, and the point's own gradient ∂Cᵢ/∂w",
      ["i", "a¹", "δ", "∂Cᵢ/∂w₁", "∂Cᵢ/∂w₂"], rows),
    el("p", { class: "logistic-loss" }, "Loss C = ", loss),
    gradients("∂C/∂W¹ and ∂C/∂b¹ from the backward pass",
      [...backward.grad_weights[0], backward.grad_biases[0]].map((g) => after(3, g)),
      "engine-grad"));
}

function agree({ hand, backward }) {
  const pairs = [[hand.grad_weights[0][0], backward.grad_weights[0][0]],
    [hand.grad_weights[0][1], backward.grad_weights[0][1]],
    [hand.grad_bias[0], backward.grad_biases[0]]];
  return pairs.every(([a, b]) => Math.abs(a - b) <= AGREE * Math.max(Math.abs(a), Math.abs(b)));
}

export async function mount(element, options, context) {
  const preset = await findPreset(context.api, options.preset || "logistic-regression");
  const rows = Number(options.samples || 6);
  const batch = await presetBatch(context.api, preset, rows);
  let seed = preset.seed;
  let step = 0;
  let shown = null; // {trace, result}: the iteration and the hand formula for the current weights

  const back = el("button", { type: "button", text: "◀ Previous" });
  const next = el("button", { type: "button", class: "primary", text: "Next ▶" });
  const counter = el("span", { class: "step-counter" });
  const reroll = el("button", { type: "button", text: "Other starting weights" });
  const words = el("p", { class: "logistic-step", "aria-live": "polite" });
  const weights = el("p", { class: "widget-note" });
  const columns = el("div", { class: "logistic-columns" });
  const verdict = el("p", { class: "logistic-verdict", role: "status" });
  const problem = el("p", { class: "widget-error", role: "alert", hidden: true });
  const controls = el("div", { class: "step-controls" }, back, next, counter, reroll);
  element.append(weights, controls, words, columns, verdict, problem);

  const render = () => {
    const { trace, result } = shown;
    const [w1, w2] = result.params.weights[0][0];
    const w0 = result.params.biases[0][0];
    weights.textContent = `The first ${rows} points of the ${preset.name} preset, starting `
      + `weights w₁ = ${formatNumber(w1)}, w₂ = ${formatNumber(w2)}, w₀ = ${formatNumber(w0)}.`;
    counter.textContent = `Stage ${step} of ${STEPS.length - 1}`;
    words.replaceChildren(el("strong", { text: `${STEPS[step][0]}: ` }), STEPS[step][1]);
    back.setAttribute("aria-disabled", String(step === 0));
    next.setAttribute("aria-disabled", String(step === STEPS.length - 1));
    columns.replaceChildren(handSide(result, batch), engineSide(trace, step));
    const done = step === STEPS.length - 1;
    const same = agree(result);
    verdict.dataset.agree = done ? String(same) : "";
    verdict.textContent = !done ? "" : same
      ? "✓ The backward pass gives the formula's numbers: all three agree to 12 digits."
      : "✗ The two disagree. That would be a bug in the engine: please report it.";
  };

  const load = async () => {
    const trace = await context.api.iteration(iterationBody(preset, batch, { seed }));
    const result = await context.api.logistic({ params: trace.params_before, ...batch });
    shown = { trace, result };
    context.linkToPlayground(toHash({ network: preset.network, params: trace.params_before,
      points: batch, batchSize: rows, learningRate: preset.learning_rate }, {}));
    render();
  };

  back.addEventListener("click", () => { step = Math.max(0, step - 1); render(); });
  next.addEventListener("click", () => { step = Math.min(STEPS.length - 1, step + 1); render(); });
  reroll.addEventListener("click", () => {
    seed += 1;
    step = 0;
    problem.hidden = true;
    load().catch((error) => {
      problem.hidden = false;
      problem.textContent = `New weights could not be drawn: ${error.message}`;
    });
  });
  await load();
}
